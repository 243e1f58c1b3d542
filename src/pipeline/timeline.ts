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
  /** The state left: null for the alert's creation; unknown when absent (stored as null, see views.ts). */
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

const SECOND_MS = 1000;

/**
 * The instants a report's time can stand for. GitHub's REST and webhook alert times are whole seconds
 * (`2026-05-01T10:00:00Z`) while audit-log `@timestamp`s are milliseconds (GITHUB-API.md §0): a whole-second time X
 * of a poll or webhook means some instant in [X, X + 999 ms]. Such a time moved to the alert's creation instant
 * (`creationAt`, inside its second: see recordTransitions) still means the rest of that second, so a millisecond
 * report of the change can date it whichever arrived first. Audit times, and times ghaudit made up (an inferred
 * reopen 1 ms before a close), are exact.
 */
function span(at: number, source: ChangeSource, creationAt: number | undefined): [number, number] {
  if (source === "audit_log") return [at, at];
  if (at % SECOND_MS === 0) return [at, at + SECOND_MS - 1];
  if (at === creationAt) return [at, at - (at % SECOND_MS) + SECOND_MS - 1];
  return [at, at];
}

/** Whether `at` is a more precise reading of the instant `e` stands for. */
function refines(e: AlertEvent, at: number, source: ChangeSource, creationAt: number | undefined): boolean {
  const [lo, hi] = span(e.at, e.source, creationAt);
  const [clo, chi] = span(at, source, creationAt);
  return hi > lo && clo === chi && at !== e.at && at >= lo && at <= hi;
}

/** The alert's creation entry: the first one entering `open` from nothing. */
function creationOf(timeline: readonly AlertEvent[]): AlertEvent | undefined {
  let first: AlertEvent | undefined;
  for (const e of timeline) if (e.fromState === null && e.toState === "open" && (!first || e.at < first.at)) first = e;
  return first;
}

/**
 * The entry that reports the same change as the candidate, if any. A creation is the alert's creation entry,
 * whatever its time (an alert is created once; a `*.create` audit event never becomes a reopen). Otherwise: same
 * target state, not a creation, no contradicting `from` state, times within the window (a whole-second time read as
 * its whole second), no other state necessarily in between (resolve, reopen, resolve again are three changes), and
 * never two distinct audit events (each audit event is one change). The nearest such entry wins.
 */
function sameChange(timeline: readonly AlertEvent[], c: TransitionCandidate, at: number): AlertEvent | undefined {
  const creation = creationOf(timeline);
  if (c.from === null && c.to === "open") return creation;
  const creationAt = creation?.at;
  const [clo, chi] = span(at, c.source, creationAt);
  let best: { e: AlertEvent; gap: number; distance: number } | undefined;
  for (const e of timeline) {
    if (e.toState !== c.to || e === creation) continue;
    if (e.source === "audit_log" && c.source === "audit_log" && e.sourceRef !== c.sourceRef) continue;
    const [elo, ehi] = span(e.at, e.source, creationAt);
    // Different states left are two changes where both come from the action itself (an audit or webhook action). A
    // poll's is the state stored before it, stale when the poll missed changes in between: it then reports the latest
    // change, so its time is never before that change's.
    if (c.from != null && e.fromState !== null && e.fromState !== c.from) {
      if (c.source !== "poll" && e.source !== "poll") continue;
      if (c.source === "poll" ? chi < elo : ehi < clo) continue;
    }
    const gap = Math.max(0, Math.max(elo, clo) - Math.min(ehi, chi));
    if (gap > SAME_CHANGE_WINDOW_MS) continue;
    // Between the end of the earlier report's span and the start of the later one's (nothing when they overlap).
    const [from, to] = elo <= clo ? [ehi, clo] : [chi, elo];
    const between = timeline.some((o) => {
      if (o.toState === c.to) return false;
      const [olo, ohi] = span(o.at, o.source, creationAt);
      return olo > from && ohi < to;
    });
    if (between) continue;
    const distance = Math.abs(e.at - at);
    if (!best || gap < best.gap || (gap === best.gap && distance < best.distance)) best = { e, gap, distance };
  }
  return best?.e;
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
  // The new entries of every alert, recorded in one call (one statement per chunk, not one per alert).
  const fresh: AlertEventInput[] = [];
  for (const [alertId, list] of byAlert) {
    const timeline = await tx.alertEvents.timeline(alertId);
    // Entries of this batch, not stored yet: a later candidate that reports the same change fills them directly.
    const unsaved = new Map<AlertEvent, AlertEventInput>();
    // Stored entries to move to a more precise instant.
    const retimed = new Set<AlertEvent>();
    const moveTo = (e: AlertEvent, at: number) => {
      // Never onto an entry of the same alert entering the same state at that instant (the unique key).
      if (timeline.some((o) => o !== e && o.toState === e.toState && o.at === at)) return;
      e.at = at;
      const pending = unsaved.get(e);
      if (pending) pending.at = at;
      else retimed.add(e);
    };
    // By instant (REST "…:48Z" and audit "…:48.518Z" texts do not sort as times); a batch keeps its order on ties.
    for (const c of list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
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
          pending.fromState ??= c.from ?? null;
        } else if ((existing.actor === null && c.actor) || (existing.reason === null && reason) || (existing.comment === null && c.comment)) {
          await tx.alertEvents.enrich(existing.id, { actor: c.actor, reason, comment: c.comment });
        }
        // A whole-second time and a millisecond one of the same change: the entry takes the precise one.
        // (The creation itself is dated by creation reports only: it does not stand for the rest of its second.)
        const creation = creationOf(timeline);
        if (refines(existing, at, c.source, existing === creation ? undefined : creation?.at)) moveTo(existing, at);
        continue;
      }
      // An audit event's `from` is the state its action leaves; a report may come in any order (parallel backfill
      // slices, restarts), so the state before is never taken from what happens to be stored (pipeline/views.ts).
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
    // Nothing is dated before the alert's creation: a whole-second time whose second holds the (precise) creation
    // instant is read as that instant (entries at one instant read causally: the creation first).
    const creation = creationOf(timeline);
    if (creation) {
      for (const e of timeline) {
        const [lo, hi] = span(e.at, e.source, creation.at);
        if (e !== creation && e.at < creation.at && hi > lo && creation.at <= hi) moveTo(e, creation.at);
      }
    }
    for (const e of retimed) await tx.alertEvents.retime(e.id, e.at);
  }
  return fresh.length ? (await tx.alertEvents.record(fresh)).inserted : 0;
}
