// Which webhook events ghaudit takes in, the alert kind each is about, and the state change each action reports
// (GITHUB-API.md §5.1). Actions without a state change (assignments, validity, locations) only refresh the alert.
import type { AlertKind } from "../../core/records.js";

/** Events stored and processed into alerts and timelines. */
export const ALERT_EVENTS = [
  "code_scanning_alert",
  "dependabot_alert",
  "secret_scanning_alert",
  "secret_scanning_alert_location",
  "repository_vulnerability_alert",
] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

export function isAlertEvent(event: string): event is AlertEvent {
  return (ALERT_EVENTS as readonly string[]).includes(event);
}

export const EVENT_KINDS: Record<AlertEvent, AlertKind> = {
  code_scanning_alert: "code_scanning",
  dependabot_alert: "dependabot",
  secret_scanning_alert: "secret_scanning",
  secret_scanning_alert_location: "secret_scanning",
  // The legacy Dependabot event (closing down): its alerts are Dependabot alerts.
  repository_vulnerability_alert: "dependabot",
};

/**
 * What an action says happened: `created` (the alert appeared), `closed` (it left `open` for a closed state),
 * `reopened` (back to open). `byUser` marks actions a person took, whose `sender` is the actor. The state left is
 * part of the action's meaning, so the timeline gets it right even when deliveries arrive out of order.
 */
export interface ActionMeaning {
  change: "created" | "closed" | "reopened";
  byUser: boolean;
  /** For `closed`: the state it closes to when the alert object does not say. */
  to?: string;
  /** For `reopened`: the closed state it leaves. */
  from?: string;
  reason?: string;
}

const ACTIONS: Record<AlertEvent, Record<string, ActionMeaning>> = {
  code_scanning_alert: {
    created: { change: "created", byUser: false },
    fixed: { change: "closed", byUser: false, to: "fixed" },
    closed_by_user: { change: "closed", byUser: true, to: "dismissed" },
    // "A previously fixed code scanning alert reappeared."
    reopened: { change: "reopened", byUser: false, from: "fixed" },
    reopened_by_user: { change: "reopened", byUser: true, from: "dismissed" },
  },
  dependabot_alert: {
    created: { change: "created", byUser: false },
    dismissed: { change: "closed", byUser: true, to: "dismissed" },
    fixed: { change: "closed", byUser: false, to: "fixed" },
    auto_dismissed: { change: "closed", byUser: false, to: "auto_dismissed" },
    reopened: { change: "reopened", byUser: true, from: "dismissed" },
    auto_reopened: { change: "reopened", byUser: false, from: "auto_dismissed" },
    reintroduced: { change: "reopened", byUser: false, from: "fixed", reason: "reintroduced" },
  },
  secret_scanning_alert: {
    created: { change: "created", byUser: false },
    resolved: { change: "closed", byUser: true, to: "resolved" },
    // Older schemas: GitHub resolved the alert as revoked.
    revoked: { change: "closed", byUser: false, to: "resolved", reason: "revoked" },
    reopened: { change: "reopened", byUser: true, from: "resolved" },
  },
  secret_scanning_alert_location: {},
  // create -> open, dismiss -> dismissed, resolve -> fixed, reopen -> open.
  repository_vulnerability_alert: {
    create: { change: "created", byUser: false },
    dismiss: { change: "closed", byUser: true, to: "dismissed" },
    resolve: { change: "closed", byUser: false, to: "fixed" },
    reopen: { change: "reopened", byUser: true, from: "dismissed" },
  },
};

export function actionMeaning(event: AlertEvent, action: string | null): ActionMeaning | null {
  return action === null ? null : (ACTIONS[event][action] ?? null);
}
