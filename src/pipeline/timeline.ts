// Writes alert transitions into the store's timelines, whichever source saw them, so that one change seen by a
// poll, a webhook and an audit event is one timeline entry (the first report wins; later reports fill in an
// actor, reason or comment it lacked).
import type { AlertKind, ChangeSource } from "../core/records.js";
import type { StoreRepositories } from "../store/index.js";
import type { AlertEvent, AlertEventInput } from "../store/alert-events.js";

/** Reports of the same transition by different sources land within this window of each other. */
export const SAME_CHANGE_WINDOW_MS = 120_000;

export interface TransitionCandidate {
  alertId: string;
  kind: AlertKind;
  repository: string;
  number: number;
  /** Unknown for audit events (stored as null; readers show the previous entry's state). */
  from?: string | null;
  to: string;
  /** ISO 8601. */
  at: string;
  actor: string | null;
  reason: string | null;
  comment: string | null;
  source: ChangeSource;
  sourceRef: string | null;
}

/**
 * The entry that reports the same change as the candidate, if any: same target state within the window, no other
 * state in between (resolve, reopen, resolve again are three changes), and never two distinct audit events (each
 * audit event is one change). The nearest such entry wins.
 */
function sameChange(timeline: readonly AlertEvent[], c: TransitionCandidate, at: number): AlertEvent | undefined {
  let best: AlertEvent | undefined;
  for (const e of timeline) {
    if (e.toState !== c.to || Math.abs(e.at - at) > SAME_CHANGE_WINDOW_MS) continue;
    if (e.source === "audit_log" && c.source === "audit_log" && e.sourceRef !== c.sourceRef) continue;
    const [lo, hi] = e.at <= at ? [e.at, at] : [at, e.at];
    if (timeline.some((o) => o.toState !== c.to && o.at > lo && o.at < hi)) continue;
    if (!best || Math.abs(e.at - at) < Math.abs(best.at - at)) best = e;
  }
  return best;
}

/** Records the candidates that are not already in their alert's timeline; returns how many were new. */
export async function recordTransitions(tx: StoreRepositories, candidates: readonly TransitionCandidate[]): Promise<number> {
  if (candidates.length === 0) return 0;
  const byAlert = new Map<string, TransitionCandidate[]>();
  for (const c of candidates) {
    const list = byAlert.get(c.alertId);
    if (list) list.push(c);
    else byAlert.set(c.alertId, [c]);
  }
  let recorded = 0;
  for (const [alertId, list] of byAlert) {
    const timeline = await tx.alertEvents.timeline(alertId);
    const fresh: AlertEventInput[] = [];
    // Entries of this batch, not stored yet: a later candidate that reports the same change fills them directly.
    const unsaved = new Map<AlertEvent, AlertEventInput>();
    for (const c of list.sort((a, b) => a.at.localeCompare(b.at))) {
      const at = Date.parse(c.at);
      const existing = sameChange(timeline, c, at);
      if (existing) {
        // An inferred reason is a guess of ours, not something GitHub said: never written over a blank.
        const reason = c.reason === "inferred" ? null : c.reason;
        const pending = unsaved.get(existing);
        if (pending) {
          pending.actor ??= c.actor;
          pending.reason ??= reason;
          pending.comment ??= c.comment;
        } else if ((existing.actor === null && c.actor) || (existing.reason === null && reason) || (existing.comment === null && c.comment)) {
          await tx.alertEvents.enrich(existing.id, { actor: c.actor, reason, comment: c.comment });
        }
        continue;
      }
      // An audit event does not say what the state was before. Left unknown here (reports may arrive in any order:
      // parallel backfill slices, restarts); readers take the previous entry's state (pipeline/views.ts).
      const from = c.from ?? null;
      const entry: AlertEventInput = {
        alertId,
        kind: c.kind,
        repository: c.repository,
        number: c.number,
        fromState: from,
        toState: c.to,
        at,
        actor: c.actor,
        reason: c.reason,
        comment: c.comment,
        source: c.source,
        sourceRef: c.sourceRef,
      };
      fresh.push(entry);
      // Later candidates of this batch must see it.
      const placeholder: AlertEvent = { ...entry, fromState: from, actor: c.actor, reason: c.reason, comment: c.comment, sourceRef: c.sourceRef, id: "", recordedAt: 0, seq: 0 };
      timeline.push(placeholder);
      unsaved.set(placeholder, entry);
    }
    if (fresh.length) recorded += (await tx.alertEvents.record(fresh)).inserted;
  }
  return recorded;
}
