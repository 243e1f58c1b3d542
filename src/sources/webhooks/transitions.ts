// The state change a webhook action reports, as a timeline candidate: with the acting user (`sender`) that REST data
// never has for a reopen, and from the legacy `repository_vulnerability_alert` or a partial alert when nothing else is.
import type { AlertKind, FindingRecord } from "../../core/records.js";
import { alertId } from "../../core/records.js";
import type { Observation } from "../../pipeline/history.js";
import { toIsoUtc } from "../../pipeline/normalize/index.js";
import { SAME_CHANGE_WINDOW_MS, type TransitionCandidate } from "../../pipeline/timeline.js";
import type { ActionMeaning } from "./events.js";
import { isObject, type AlertPayload, type JsonObject } from "./payload.js";

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const iso = (v: unknown): string | null => toIsoUtc(str(v));
const login = (v: unknown): string | null => (isObject(v) ? str(v["login"]) : null);

interface Change {
  /** The state left; null for a creation. */
  from: string | null;
  to: string;
  at: string;
  actor: string | null;
  reason: string | null;
  comment: string | null;
}

/** From the normalized alert: the same times diffAlert uses, so both reports of one change coincide. */
function fromFinding(meaning: ActionMeaning, f: FindingRecord, p: AlertPayload, obs: Observation): Change | null {
  const sender = meaning.byUser ? p.sender : null;
  if (meaning.change === "created") {
    const bypassed = f.github.push_protection_bypassed === true;
    return {
      from: null,
      to: "open",
      at: f.created_at,
      actor: bypassed ? f.github.push_protection_bypassed_by : null,
      reason: bypassed ? "push_protection_bypassed" : null,
      comment: null,
    };
  }
  if (meaning.change === "reopened") {
    return { from: meaning.from ?? null, to: "open", at: f.updated_at ?? obs.observedAt, actor: sender, reason: meaning.reason ?? null, comment: null };
  }
  if (f.open) return null; // says closed, but this view of the alert is open: read the webhook's own fields
  return { from: "open", to: f.state, at: f.closed_at ?? f.updated_at ?? obs.observedAt, actor: f.closed_by ?? sender, reason: f.close_reason ?? meaning.reason ?? null, comment: f.close_comment };
}

/** From the raw alert when it cannot be normalized (no `created_at`) or is the legacy Dependabot shape. */
function fromRaw(meaning: ActionMeaning, a: JsonObject, p: AlertPayload, obs: Observation): Change {
  const sender = meaning.byUser ? p.sender : null;
  if (meaning.change === "created") return { from: null, to: "open", at: iso(a["created_at"]) ?? obs.observedAt, actor: null, reason: null, comment: null };
  if (meaning.change === "reopened") {
    return { from: meaning.from ?? null, to: "open", at: iso(a["updated_at"]) ?? obs.observedAt, actor: sender, reason: meaning.reason ?? null, comment: null };
  }
  const state = str(a["state"]);
  const to = state && state !== "open" ? state : (meaning.to ?? "closed");
  const at = iso(a["dismissed_at"]) ?? iso(a["fixed_at"]) ?? iso(a["resolved_at"]) ?? iso(a["auto_dismissed_at"]) ?? iso(a["updated_at"]) ?? obs.observedAt;
  return {
    from: "open",
    to,
    at,
    actor: login(a["dismissed_by"]) ?? login(a["dismisser"]) ?? login(a["resolved_by"]) ?? sender,
    reason: str(a["dismissed_reason"]) ?? str(a["dismiss_reason"]) ?? str(a["resolution"]) ?? meaning.reason ?? null,
    comment: str(a["dismissed_comment"]) ?? str(a["resolution_comment"]),
  };
}

/** The candidate for the action's own change, or null for actions that change no state. */
export function actionCandidate(
  kind: AlertKind,
  number: number,
  meaning: ActionMeaning | null,
  payload: AlertPayload,
  finding: FindingRecord | null,
  obs: Observation,
): TransitionCandidate | null {
  if (!meaning) return null;
  const change = (finding && fromFinding(meaning, finding, payload, obs)) ?? fromRaw(meaning, payload.alert, payload, obs);
  const repository = finding?.repository ?? payload.repository;
  return {
    alertId: alertId(kind, repository, number),
    kind,
    repository,
    number,
    from: change.from,
    to: change.to,
    at: change.at,
    actor: change.actor,
    reason: change.reason,
    comment: change.comment,
    source: obs.source,
    sourceRef: obs.sourceRef,
  };
}

/**
 * Adds the action's candidate to those diffAlert found: when both describe one change, the diff's keeps its `from`
 * and gains the actor, reason or comment only the webhook knew (a reopen's sender).
 */
export function withActionCandidate(diffs: TransitionCandidate[], action: TransitionCandidate | null): TransitionCandidate[] {
  if (!action) return diffs;
  const at = Date.parse(action.at);
  const same = diffs.find((d) => d.to === action.to && Math.abs(Date.parse(d.at) - at) <= SAME_CHANGE_WINDOW_MS);
  if (!same) return [...diffs, action];
  return diffs.map((d) =>
    d === same
      ? {
          ...d,
          actor: d.actor ?? action.actor,
          reason: d.reason === null || d.reason === "inferred" ? (action.reason ?? d.reason) : d.reason,
          comment: d.comment ?? action.comment,
        }
      : d,
  );
}
