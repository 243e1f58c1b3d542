// Stable record ids: the same GitHub fact always gets the same id, so re-recording it is a no-op.
import { createHash } from "node:crypto";
import { auditDocumentId } from "../core/ids.js";

export { canonicalJson } from "../core/ids.js";

/** 22 base64url characters (132 bits) of SHA-256: as long as GitHub's own `_document_id`. */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 22);
}

/**
 * An audit event's id: GitHub's `_document_id` (unique per event, see GITHUB-API.md §3.1), else a hash of the
 * event's content (core/ids.ts), identical each time the same event is fetched again.
 */
export function auditEventId(raw: string | Record<string, unknown>): string {
  const event = typeof raw === "string" ? parseObject(raw) : raw;
  return event ? auditDocumentId(event) : `sha256:${createHash("sha256").update(String(raw)).digest("hex")}`;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** An alert's id (kind, `owner/name`, number): one definition for the store, the pipeline and every source. */
export { alertId } from "../core/records.js";

/**
 * A timeline entry's id: an alert enters a given state at a given instant only once, whoever reports it. `retime`
 * keeps an entry's id when it moves to a more precise instant, so a later entry at the first instant takes the next
 * `variant` (1, 2, …) that is free.
 */
export function alertEventId(alertIdValue: string, toState: string, at: number, variant = 0): string {
  return `ae_${shortHash(`${alertIdValue}\n${toState}\n${at}${variant === 0 ? "" : `\n#${variant}`}`)}`;
}

/** A detection's id: the rule and the set of events it matched (order-insensitive). */
export function detectionId(ruleId: string, eventIds: readonly string[]): string {
  return `d_${shortHash(`${ruleId}\n${[...eventIds].sort().join("\n")}`)}`;
}
