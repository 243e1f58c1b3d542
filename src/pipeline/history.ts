// Alert history: GitHub's API only reports an alert's current state, so every observation (poll, webhook,
// audit event) is turned into state-change records that together read like GitHub's own alert timeline.
import type { AlertKind, ChangeSource, FindingRecord, StateChangeRecord } from "../core/records.js";
import { alertId } from "../core/records.js";
import { alertEventId } from "../store/ids.js";

export interface Observation {
  source: ChangeSource;
  /** Delivery id, `_document_id`, or poll run id. */
  sourceRef: string | null;
  /** When ghaudit saw it (ISO); used only when GitHub gives no better time. */
  observedAt: string;
}

interface Transition {
  from: string | null;
  to: string;
  at: string;
  actor: string | null;
  reason: string | null;
  comment: string | null;
}

function record(alert: FindingRecord, t: Transition, obs: Observation): StateChangeRecord {
  const id = alertId(alert.alert_kind, alert.repository ?? "", alert.number);
  return {
    // The store's id for the same entry: one change has one id however it was reported.
    id: alertEventId(id, t.to, Date.parse(t.at)),
    kind: "alert_state_change",
    event_type: "ALERT_STATE_CHANGE",
    source: "github",
    category: "vcs",
    timestamp: t.at,
    org: alert.org,
    enterprise: alert.enterprise,
    repository: alert.repository,
    actor: t.actor,
    alert_id: id,
    alert_kind: alert.alert_kind,
    number: alert.number,
    from_state: t.from,
    to_state: t.to,
    reason: t.reason,
    comment: t.comment,
    change_source: obs.source,
    source_ref: obs.sourceRef,
  };
}

/** The state GitHub shows for a new alert (code scanning reports `null` for alerts outside the default branch). */
const OPEN = "open";

function creation(alert: FindingRecord): Transition {
  const bypassed = alert.github.push_protection_bypassed === true;
  return {
    from: null,
    to: OPEN,
    at: alert.created_at,
    actor: bypassed ? alert.github.push_protection_bypassed_by : null,
    reason: bypassed ? "push_protection_bypassed" : null,
    comment: null,
  };
}

function closing(alert: FindingRecord, from: string): Transition {
  return {
    from,
    to: alert.state,
    at: alert.closed_at ?? alert.updated_at ?? alert.created_at,
    actor: alert.closed_by,
    reason: alert.close_reason,
    comment: alert.close_comment,
  };
}

/**
 * When an inferred reopen is put: 1 ms before the close that follows it. The real time is unknown (somewhere between
 * the two closes); just before the second one keeps the order unambiguous, and a report of the real reopen or of
 * the first close still finds its own entry.
 */
function justBefore(iso: string): string {
  return new Date(Date.parse(iso) - 1).toISOString();
}

/**
 * The transitions between what was stored (`prev`, null for a new alert) and what GitHub reports now.
 * Exact times and actors come from the alert's own fields (dismissed_at/by, fixed_at, resolved_at/by,
 * auto_dismissed_at); a reopen carries no actor in REST data, so it gets `updated_at` and a null actor.
 */
export function diffAlert(prev: FindingRecord | null, next: FindingRecord, obs: Observation): StateChangeRecord[] {
  const out: Transition[] = [];
  if (!prev) {
    out.push(creation(next));
    if (next.state !== OPEN) out.push(closing(next, OPEN));
  } else if (prev.state !== next.state) {
    if (next.open) {
      out.push({ from: prev.state, to: next.state, at: next.updated_at ?? obs.observedAt, actor: null, reason: null, comment: null });
    } else if (!prev.open) {
      // Closed one way, then another (e.g. dismissed, then fixed): it was reopened in between.
      out.push({ from: prev.state, to: OPEN, at: justBefore(next.closed_at ?? next.updated_at ?? obs.observedAt), actor: null, reason: "inferred", comment: null });
      out.push(closing(next, OPEN));
    } else {
      out.push(closing(next, prev.state));
    }
  } else if (!next.open && prev.closed_at !== next.closed_at && next.closed_at !== null) {
    // Same closed state, new closing time: reopened and closed again between two observations.
    out.push({ from: prev.state, to: OPEN, at: justBefore(next.closed_at), actor: null, reason: "inferred", comment: null });
    out.push(closing(next, OPEN));
  }
  return out.map((t) => record(next, t, obs));
}

/**
 * Alert lifecycle audit actions, the state each one leads to and the state it leaves (GitHub writes none for code
 * scanning). `from: null` is a creation (a push-protection bypass creates the alert): never read as a reopen.
 */
const AUDIT_TRANSITIONS: Record<string, { kind: AlertKind; from: string | null; to: string; reason?: string }> = {
  "repository_vulnerability_alert.create": { kind: "dependabot", from: null, to: "open" },
  "repository_vulnerability_alert.dismiss": { kind: "dependabot", from: "open", to: "dismissed" },
  "repository_vulnerability_alert.reopen": { kind: "dependabot", from: "dismissed", to: "open" },
  "repository_vulnerability_alert.resolve": { kind: "dependabot", from: "open", to: "fixed" },
  "repository_vulnerability_alert.auto_dismiss": { kind: "dependabot", from: "open", to: "auto_dismissed" },
  "repository_vulnerability_alert.auto_reopen": { kind: "dependabot", from: "auto_dismissed", to: "open" },
  "repository_vulnerability_alert.reintroduce": { kind: "dependabot", from: "fixed", to: "open", reason: "reintroduced" },
  "secret_scanning_alert.create": { kind: "secret_scanning", from: null, to: "open" },
  "secret_scanning_alert.resolve": { kind: "secret_scanning", from: "open", to: "resolved" },
  "secret_scanning_alert.revoke": { kind: "secret_scanning", from: "open", to: "resolved", reason: "revoked" },
  "secret_scanning_alert.reopen": { kind: "secret_scanning", from: "resolved", to: "open" },
  "secret_scanning_push_protection.bypass": { kind: "secret_scanning", from: null, to: "open", reason: "push_protection_bypassed" },
};

export interface AuditTransition {
  alertId: string;
  kind: AlertKind;
  repository: string;
  number: number;
  /** The state the action leaves (null: the alert's creation). */
  from: string | null;
  to: string;
  at: string;
  actor: string | null;
  reason: string | null;
  comment: string | null;
  documentId: string;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** Reads an alert transition out of an audit event, or null when the event is not about one alert. */
export function auditTransition(raw: Record<string, unknown>, documentId: string, at: string): AuditTransition | null {
  const action = str(raw["action"]);
  const known = action ? AUDIT_TRANSITIONS[action] : undefined;
  if (!known) return null;
  const repository = str(raw["repo"]) ?? str(raw["repository"]);
  const number = Number(raw["alert_number"] ?? raw["number"]);
  if (!repository || !Number.isInteger(number) || number <= 0) return null;
  return {
    alertId: alertId(known.kind, repository, number),
    kind: known.kind,
    repository,
    number,
    from: known.from,
    to: known.to,
    at,
    actor: str(raw["actor"]),
    reason: known.reason ?? str(raw["reason"]) ?? str(raw["dismiss_reason"]) ?? str(raw["resolution"]),
    comment: str(raw["comment"]) ?? str(raw["dismiss_comment"]) ?? str(raw["resolution_comment"]),
    documentId,
  };
}
