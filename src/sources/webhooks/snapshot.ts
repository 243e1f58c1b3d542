// A webhook's alert as the store keeps alerts: GitHub's REST shape (the webhook's fields over what is already
// stored, or the alert re-read through the API), normalized by the poll pipeline's own normalizers.
import type { AlertKind, FindingRecord, RiskLevel } from "../../core/records.js";
import { normalizeCodeScanningAlert, normalizeDependabotAlert, normalizeSecretScanningAlert } from "../../pipeline/normalize/index.js";
import { isObject, type AlertPayload, type JsonObject } from "./payload.js";

/** The fields that say how and when an alert was closed (REST names of the three kinds). */
const CLOSING_KEYS = [
  "dismissed_at", "dismissed_by", "dismissed_reason", "dismissed_comment", "fixed_at", "auto_dismissed_at",
  "resolved_at", "resolved_by", "resolution", "resolution_comment",
] as const;

/**
 * The webhook's alert laid over the stored raw alert: fields the webhook has win, fields it lacks (a reduced rule,
 * `security_severity_level`, `first_location_detected`, the repository) are kept. The literal secret is dropped.
 */
export function mergeAlert(kind: AlertKind, stored: JsonObject | null, payload: AlertPayload, location: JsonObject | null): JsonObject {
  const hook = payload.alert;
  const out: JsonObject = { ...(stored ?? {}), ...hook };
  for (const key of ["rule", "tool"]) {
    const before = stored?.[key];
    const after = hook[key];
    if (isObject(before) && isObject(after)) out[key] = { ...before, ...after };
  }
  if (kind === "code_scanning" && hook["state"] === "fixed" && typeof hook["fixed_at"] !== "string") {
    // Webhooks send `fixed_at: null`; the stored fix time of the same fix is the real one.
    if (stored?.["state"] === "fixed" && typeof stored["fixed_at"] === "string") out["fixed_at"] = stored["fixed_at"];
  }
  if (kind === "secret_scanning") {
    // The webhook schema has no `state`: it follows from `resolution`.
    if (!("state" in hook) && "resolution" in hook) out["state"] = hook["resolution"] == null ? "open" : "resolved";
  }
  // Times and closing details the webhook lacks describe the stored version, not this one: inherited, they would date
  // this change at the stored change's time (a reopen then looks older than the dismissal it undoes and is dropped as
  // stale). Most code scanning payloads have no `updated_at` (only `created` and `reopened` do).
  if (!("updated_at" in hook)) delete out["updated_at"];
  if (stored && out["state"] !== stored["state"]) {
    for (const key of CLOSING_KEYS) if (!(key in hook)) delete out[key];
  }
  if (kind === "secret_scanning") {
    if (!isObject(out["first_location_detected"]) && location && isObject(location["details"])) {
      out["first_location_detected"] = location["details"];
    }
    delete out["secret"];
  }
  out["repository"] = isObject(stored?.["repository"]) ? stored["repository"] : payload.repositoryObject;
  return out;
}

/** A REST alert re-read through the API, with the repository a REST repo-level alert lacks. */
export function withRepository(rest: JsonObject, stored: JsonObject | null, payload: AlertPayload): JsonObject {
  const out: JsonObject = { ...rest, repository: isObject(stored?.["repository"]) ? stored["repository"] : payload.repositoryObject };
  delete out["secret"];
  return out;
}

/** The normalized alert, or null when even the merged alert lacks what a record needs (e.g. `created_at`). */
export function normalizeAlert(kind: AlertKind, raw: JsonObject, payload: AlertPayload, secretRisk: RiskLevel): FindingRecord | null {
  const ctx = { repository: payload.repository, ...(payload.org ? { org: payload.org } : {}) };
  try {
    if (kind === "code_scanning") return normalizeCodeScanningAlert(raw, ctx);
    if (kind === "dependabot") return normalizeDependabotAlert(raw, ctx);
    return normalizeSecretScanningAlert(raw, ctx, { risk: secretRisk });
  } catch {
    return null;
  }
}

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/**
 * When the webhook's view of the alert was true at GitHub: `updated_at` (or the closing time when later), else the
 * creation time for `created`, the closing time of a closed alert, and last the time the delivery arrived.
 */
export function observedTime(finding: FindingRecord, created: boolean, receivedAt: number): number {
  const updated = ms(finding.updated_at);
  const closed = ms(finding.closed_at);
  if (updated !== null) return Math.max(updated, closed ?? updated);
  if (created) return Date.parse(finding.created_at);
  if (!finding.open && closed !== null) return closed;
  return receivedAt;
}
