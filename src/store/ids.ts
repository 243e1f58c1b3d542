// Stable record ids: the same GitHub fact always gets the same id, so re-recording it is a no-op.
import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level, so equal content gives equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** 22 base64url characters (132 bits) of SHA-256: as long as GitHub's own `_document_id`. */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 22);
}

/**
 * An audit event's id: GitHub's `_document_id` (unique per event, see GITHUB-API.md §3.1), else `h_` + a hash of the
 * event's content, which is identical each time the same event is fetched again.
 */
export function auditEventId(raw: string | Record<string, unknown>): string {
  const event = typeof raw === "string" ? parseObject(raw) : raw;
  const documentId = event?.["_document_id"];
  if (typeof documentId === "string" && documentId.length > 0) return documentId;
  return `h_${shortHash(event ? canonicalJson(event) : String(raw))}`;
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

/** A timeline entry's id: an alert enters a given state at a given instant only once, whoever reports it. */
export function alertEventId(alertIdValue: string, toState: string, at: number): string {
  return `ae_${shortHash(`${alertIdValue}\n${toState}\n${at}`)}`;
}

/** A detection's id: the rule and the set of events it matched (order-insensitive). */
export function detectionId(ruleId: string, eventIds: readonly string[]): string {
  return `d_${shortHash(`${ruleId}\n${[...eventIds].sort().join("\n")}`)}`;
}
