// How stored alerts and timeline entries are shown outside ghaudit (API responses and exports): one shape for both.
import type { Alert } from "../store/alert-rows.js";
import type { AlertEvent } from "../store/alert-events.js";
import type { Detection } from "../store/detections.js";

export const isoOrNull = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

export function alertView(a: Alert) {
  return {
    id: a.id,
    kind: a.kind,
    repository: a.repository,
    number: a.number,
    state: a.state,
    severity: a.severity,
    risk_level: a.riskLevel,
    risk_score: a.riskScore,
    created_at: isoOrNull(a.createdAt),
    updated_at: isoOrNull(a.updatedAt),
    closed_at: isoOrNull(a.closedAt),
    closed_by: a.closedBy,
    reason: a.reason,
    comment: a.comment,
    rule: a.rule,
    tool: a.tool,
    package: a.package,
    ecosystem: a.ecosystem,
    secret_type: a.secretType,
    location: a.location,
    html_url: a.url,
    missing_since: isoOrNull(a.missingSince),
  };
}

/**
 * A timeline entry. An entry recorded before the alert's earlier history was known has no from_state; the state
 * before it (`previousState`, the to_state of the entry before) is shown instead.
 */
export function timelineView(t: AlertEvent, previousState: string | null = null) {
  return {
    id: t.id,
    alert_id: t.alertId,
    kind: t.kind,
    repository: t.repository,
    number: t.number,
    from_state: t.fromState ?? previousState,
    to_state: t.toState,
    at: isoOrNull(t.at),
    actor: t.actor,
    reason: t.reason,
    comment: t.comment,
    source: t.source,
    source_ref: t.sourceRef,
  };
}

/** A detection: the rule, its level and severity, and what it matched (audit events, or an alert in `details`). */
export function detectionView(d: Detection) {
  return {
    id: d.id,
    at: isoOrNull(d.at),
    rule_id: d.ruleId,
    rule_title: d.ruleTitle,
    level: d.level,
    severity: d.severity,
    event_ids: d.events.map((e) => e.id),
    events: d.events,
    details: d.details,
  };
}
