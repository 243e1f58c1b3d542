// Org and enterprise audit-log events -> AuditEventRecord. On the backfill hot path: one pass, no zod, no copies.
import { auditDocumentId } from "../../core/ids.js";
import type { components } from "@octokit/openapi-types-ghec";
import { AppError } from "../../core/errors.js";
import type { AuditEventRecord } from "../../core/records.js";
import { type JsonObject, obj, str } from "./read.js";
import { isoFromMillis, toMillisUtc } from "./time.js";

/** Where the event was read from: the org or enterprise audit-log endpoint (or stream) and its name. */
export interface AuditContext {
  scope: "org" | "enterprise";
  name: string;
}

/** GitHub's documented shape; real events add many fields and bend a few (see GITHUB-API.md 3.1). */
export type AuditLogEvent = components["schemas"]["audit-log-event"];

export { auditDocumentId, canonicalJson } from "../../core/ids.js";

/** `org` is a string, or sometimes an array of names (go-github #2379): prefer the org being read. */
function auditOrg(v: unknown, ctx: AuditContext): string | null {
  if (typeof v === "string") return v === "" ? (ctx.scope === "org" ? ctx.name : null) : v;
  if (Array.isArray(v)) {
    let first: string | null = null;
    for (const x of v) {
      if (typeof x !== "string" || x === "") continue;
      if (ctx.scope === "org" && x.toLowerCase() === ctx.name.toLowerCase()) return x;
      first ??= x;
    }
    return first ?? (ctx.scope === "org" ? ctx.name : null);
  }
  return ctx.scope === "org" ? ctx.name : null;
}

/** `repo` (web events) or `repository` (Git events); a bare name is qualified with the event's org. */
function auditRepository(raw: JsonObject, org: string | null): string | null {
  const name = str(raw.repo) ?? str(raw.repository);
  if (name === null || name.includes("/")) return name;
  return org === null ? null : `${org}/${name}`;
}

function invalid(message: string, raw: JsonObject): AppError {
  return new AppError("bad-request", message, {
    status: 422,
    hint: "The event is kept in the dead-letter table; check the source that produced it.",
    details: { _document_id: raw._document_id ?? null, action: raw.action ?? null },
  });
}

/** An audit event's time (`@timestamp`, else `created_at`) in epoch ms: the record's `timestamp`, as a number. */
export function auditEventMillis(raw: AuditLogEvent | JsonObject): number | null {
  const r = raw as JsonObject;
  return toMillisUtc(r["@timestamp"]) ?? toMillisUtc(r.created_at);
}

/**
 * One audit event -> AuditEventRecord. `raw` is referenced, never copied or changed.
 * Throws AppError(`bad-request`) only when the event has no action or no usable time (dead-letter it).
 */
export function normalizeAuditEvent(raw: AuditLogEvent | JsonObject, ctx: AuditContext): AuditEventRecord {
  const r = raw as JsonObject;
  const action = r.action;
  if (typeof action !== "string" || action === "") throw invalid("audit event without an action", r);
  const at = auditEventMillis(r);
  if (at === null) throw invalid(`audit event ${action} without a usable @timestamp or created_at`, r);
  const timestamp = isoFromMillis(at);
  const org = auditOrg(r.org, ctx);
  const location = obj(r.actor_location);
  const documentId = auditDocumentId(r as Record<string, unknown>);
  return {
    id: documentId,
    kind: "audit_event",
    event_type: "AUDIT_LOG",
    source: "github",
    category: "vcs",
    timestamp,
    org,
    enterprise: str(r.business) ?? (ctx.scope === "enterprise" ? ctx.name : null),
    repository: auditRepository(r, org),
    actor: str(r.actor),
    action,
    document_id: documentId,
    user: str(r.user),
    country_code: location === null ? null : str(location.country_code),
    operation_type: str(r.operation_type),
    severity: "INFO",
    tags: [],
    raw: r,
  };
}
