// One stored delivery into the alert store and timeline, through the poll pipeline's own pieces (normalizers,
// toInput, upsert, diffAlert, recordTransitions) with source `webhook` and the delivery id as source_ref. A webhook
// older than what the store has never overwrites it; its state change still joins the timeline as history.
import type { Logger } from "../../core/logger.js";
import { alertId, type RiskLevel } from "../../core/records.js";
import { diffAlert, type Observation } from "../../pipeline/history.js";
import { recordTransitions, type TransitionCandidate } from "../../pipeline/timeline.js";
import type { Alert, Store, WebhookDelivery } from "../../store/index.js";
import { ALERT_SUMMARIES, storedFinding, toCandidates, toInput } from "../util/alerts.js";
import { actionMeaning, EVENT_KINDS, isAlertEvent } from "./events.js";
import { alertPayload, deliveryPayload, isObject, type JsonObject } from "./payload.js";
import { fetchAlert, mayNeedRefresh, needsRefresh, type ClientResolver } from "./refresh.js";
import { mergeAlert, normalizeAlert, observedTime, withRepository } from "./snapshot.js";
import { actionCandidate, withActionCandidate } from "./transitions.js";

export interface ProcessContext {
  store: Store;
  logger: Logger;
  /** GitHub clients for re-reading alerts; without them webhooks are stored as they came. */
  clients?: ClientResolver;
  secretRisk: RiskLevel;
}

export interface ProcessOutcome {
  status: "processed" | "ignored";
  /** Why it was ignored, or what happened (`stored`, `stale`, `timeline-only`). */
  note: string;
  /** New timeline entries. */
  transitions: number;
  refreshed: boolean;
}

/** Processes one delivery and marks it processed (or ignored) in the same transaction. Throws to retry it later. */
export async function processDelivery(ctx: ProcessContext, delivery: WebhookDelivery): Promise<ProcessOutcome> {
  const event = delivery.event;
  if (!isAlertEvent(event)) return ignore(ctx, delivery, `event ${event} is not processed`);
  const body = deliveryPayload(delivery);
  const payload = alertPayload(body);
  const kind = EVENT_KINDS[event];
  const number = payload.number;
  if (number === null) return ignore(ctx, delivery, "the alert has no number, so it cannot be matched to an alert");
  const id = alertId(kind, payload.repository, number);
  const meaning = actionMeaning(event, payload.action);
  const legacy = event === "repository_vulnerability_alert";
  const location = isObject(body["location"]) ? body["location"] : null;

  // Network first, outside any transaction: GitHub's REST alert when the webhook lacks what the store needs.
  let rest: JsonObject | null = null;
  if (legacy || mayNeedRefresh(kind, payload.alert)) {
    const before = await ctx.store.alerts.get(id);
    if (legacy || needsRefresh(kind, payload.alert, rawOf(before))) {
      try {
        rest = await fetchAlert(ctx.clients, kind, payload.org, payload.repository, number);
      } catch (err) {
        ctx.logger.warn({ err, delivery: delivery.id, alert: id }, "could not re-read the alert through the API; storing what the webhook says");
      }
    }
  }
  const obs: Observation = { source: "webhook", sourceRef: delivery.id, observedAt: new Date(delivery.receivedAt).toISOString() };

  return ctx.store.transaction(async (tx) => {
    const prev = await tx.alerts.get(id);
    const storedRaw = rawOf(prev);
    // The webhook's own view (the legacy event's alert has another shape), and what is stored: the REST alert if re-read.
    const hookRaw = legacy ? null : mergeAlert(kind, storedRaw, payload, location);
    const hookFinding = hookRaw ? normalizeAlert(kind, hookRaw, payload, ctx.secretRisk) : null;
    const raw = rest ? withRepository(rest, storedRaw, payload) : hookRaw;
    const finding = rest && raw ? normalizeAlert(kind, raw, payload, ctx.secretRisk) : hookFinding;
    // The action's own change is read from the webhook's view: the REST alert is now, and may show a later change to
    // the same state (dismissed again by someone else). It only stands in for a closing time the webhook lacks
    // (`fixed_at`), when it still shows that outcome.
    const closingTimeFromRest = hookFinding !== null && !hookFinding.open && hookFinding.closed_at === null && finding !== null && finding.state === hookFinding.state;
    const actionView = hookFinding === null || closingTimeFromRest ? finding : hookFinding;

    let diffs: TransitionCandidate[] = [];
    let note = "timeline-only";
    if (finding && raw) {
      // Older than the stored version (a poll or another delivery came first): upsert leaves the alert as it is.
      const observedAt = observedTime(finding, meaning?.change === "created", delivery.receivedAt);
      const [result] = (await tx.alerts.upsert([{ ...toInput({ kind, summary: ALERT_SUMMARIES[kind] }, finding, raw), observedAt }])).results;
      note = result?.status === "stale" ? "stale" : "stored";
      if (result && (result.status === "new" || result.status === "changed")) diffs = toCandidates(diffAlert(storedFinding(prev), finding, obs));
    }
    const candidates = withActionCandidate(diffs, actionCandidate(kind, number, meaning, payload, actionView, obs));
    const transitions = await recordTransitions(tx, candidates);
    await tx.webhookDeliveries.finish(delivery.id, { status: "processed" });
    return { status: "processed" as const, note, transitions, refreshed: rest !== null };
  });
}

const rawOf = (alert: Alert | undefined): JsonObject | null => (alert && isObject(alert.raw) ? alert.raw : null);

async function ignore(ctx: ProcessContext, delivery: WebhookDelivery, note: string): Promise<ProcessOutcome> {
  ctx.logger.debug({ delivery: delivery.id, event: delivery.event }, `webhook ignored: ${note}`);
  await ctx.store.webhookDeliveries.finish(delivery.id, { status: "ignored" });
  return { status: "ignored", note, transitions: 0, refreshed: false };
}
