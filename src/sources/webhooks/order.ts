// GitHub sends deliveries concurrently, so two changes of one alert can arrive in either order. Within a batch of
// pending deliveries, those about the same alert are processed in the order of the alert's own change times (the
// slots they take in arrival order stay the same), so a fix seen before the reopen that preceded it leaves no guess
// in the timeline. Deliveries whose payload cannot be read keep their place.
import type { WebhookDelivery } from "../../store/index.js";
import { actionMeaning, EVENT_KINDS, isAlertEvent } from "./events.js";
import { alertPayload, deliveryPayload, type JsonObject } from "./payload.js";

const CLOSED_AT = ["dismissed_at", "fixed_at", "resolved_at", "auto_dismissed_at"];

function timeOf(alert: JsonObject, fields: readonly string[]): number | null {
  for (const field of fields) {
    const value = alert[field];
    const t = typeof value === "string" ? Date.parse(value) : NaN;
    if (!Number.isNaN(t)) return t;
  }
  return null;
}

function keyAndTime(d: WebhookDelivery): { key: string; time: number } | null {
  if (!isAlertEvent(d.event)) return null;
  try {
    const p = alertPayload(deliveryPayload(d));
    if (p.number === null) return null;
    // As observedTime: `updated_at`, else the time the action itself names, else when it arrived.
    const change = actionMeaning(d.event, p.action)?.change;
    const time =
      timeOf(p.alert, ["updated_at"]) ??
      (change === "closed" ? timeOf(p.alert, CLOSED_AT) : change === "created" ? timeOf(p.alert, ["created_at"]) : null) ??
      d.receivedAt;
    return { key: `${EVENT_KINDS[d.event]}:${p.repository.toLowerCase()}#${p.number}`, time };
  } catch {
    return null;
  }
}

export function orderByAlertTime(batch: readonly WebhookDelivery[]): WebhookDelivery[] {
  const slots = new Map<string, { index: number; time: number; delivery: WebhookDelivery }[]>();
  const out = [...batch];
  batch.forEach((delivery, index) => {
    const kt = keyAndTime(delivery);
    if (!kt) return;
    const list = slots.get(kt.key) ?? [];
    list.push({ index, time: kt.time, delivery });
    slots.set(kt.key, list);
  });
  for (const list of slots.values()) {
    if (list.length < 2) continue;
    const byTime = [...list].sort((a, b) => a.time - b.time || a.index - b.index);
    list.forEach((slot, i) => (out[slot.index] = byTime[i]!.delivery));
  }
  return out;
}
