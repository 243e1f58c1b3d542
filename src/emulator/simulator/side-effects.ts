// What follows every alert change on GitHub: the audit-log event(s) and the webhook deliveries.
import type { FaultInjector } from "../http/faults.js";
import type { AlertChange, EmulatorState } from "../state/state.js";
import type { CodeScanningAlert, DependabotAlert, SecretScanningAlert } from "../state/types.js";
import {
  codeScanningPayload,
  dependabotWebhookAlert,
  repoEnvelope,
  secretLocationPayload,
  secretScanningWebhookAlert,
} from "../webhooks/payloads.js";
import type { WebhookSender } from "../webhooks/sender.js";
import { writeAudit, type AuditInput } from "./audit.js";

export interface SideEffectOptions {
  /**
   * Also write `code_scanning.alert_*` audit events. Off by default: the emulator follows the brief that GitHub
   * writes none for code scanning alerts, although GITHUB-API.md §4.1 lists these actions.
   */
  codeScanningAudit?: boolean;
}

/** Webhook action -> audit operation, per product (`repository_vulnerability_alert.*`, `secret_scanning_alert.*`). */
export const DEPENDABOT_AUDIT: Readonly<Record<string, string>> = {
  created: "create",
  dismissed: "dismiss",
  reopened: "reopen",
  fixed: "resolve",
  auto_dismissed: "auto_dismiss",
  auto_reopened: "auto_reopen",
  reintroduced: "reintroduce",
};

export const SECRET_AUDIT: Readonly<Record<string, string>> = {
  created: "create",
  resolved: "resolve",
  reopened: "reopen",
  validated: "validate",
  publicly_leaked: "public_leak",
  assigned: "assign",
  unassigned: "unassign",
};

export const CODE_SCANNING_AUDIT: Readonly<Record<string, string>> = {
  created: "alert_created",
  fixed: "alert_closed_became_fixed",
  closed_by_user: "alert_closed_by_user",
  reopened_by_user: "alert_reopened_by_user",
  reopened: "alert_reappeared",
  appeared_in_branch: "alert_appeared_in_branch",
};

/** Subscribes to `state.onAlertChange`; returns the unsubscribe function. */
export function installAlertSideEffects(
  state: EmulatorState,
  webhooks: WebhookSender,
  faults: FaultInjector,
  options: SideEffectOptions = {},
): () => void {
  return state.onAlertChange((change) => {
    writeAlertAudit(state, faults, change, options);
    sendAlertWebhooks(state, webhooks, change);
  });
}

/** The audit inputs for a change (none for code scanning unless asked for). */
export function alertAuditInputs(state: EmulatorState, change: AlertChange, options: SideEffectOptions = {}): AuditInput[] {
  const org = state.org(change.repo.owner);
  if (!org) return [];
  const base = { org, repo: change.repo };
  const created = change.action === "created";
  const actor = created ? null : change.actor;
  const operationType = created ? ("create" as const) : ("modify" as const);
  if (change.kind === "dependabot") {
    const op = DEPENDABOT_AUDIT[change.action];
    if (!op) return [];
    const alert = change.alert as DependabotAlert;
    const fields = { alert_number: alert.number, ghsa_id: alert.security_advisory.ghsa_id };
    return [{ ...base, action: `repository_vulnerability_alert.${op}`, actor, operationType, fields }];
  }
  if (change.kind === "secret_scanning") {
    const op = SECRET_AUDIT[change.action];
    if (!op) return [];
    const alert = change.alert as SecretScanningAlert;
    const fields: Record<string, unknown> = {
      alert_number: alert.number,
      number: alert.number,
      secret_type: alert.secret_type,
      secret_type_display_name: alert.secret_type_display_name,
    };
    if (created) Object.assign(fields, { multi_repo: alert.multi_repo ?? false, publicly_leaked: alert.publicly_leaked ?? false });
    if (change.action === "validated") fields.current_validity = alert.validity;
    const inputs: AuditInput[] = [];
    const bypasser = alert.push_protection_bypassed_by?.login ?? change.actor;
    if (created && alert.push_protection_bypassed && bypasser) {
      // The push that bypassed protection comes first; the alert is opened for it.
      inputs.push({
        ...base,
        action: "secret_scanning_push_protection.bypass",
        actor: bypasser,
        operationType: "create",
        fields: { ...fields },
        userAgent: "git/2.47.1",
      });
    }
    inputs.push({ ...base, action: `secret_scanning_alert.${op}`, actor, operationType, fields });
    return inputs;
  }
  const op = CODE_SCANNING_AUDIT[change.action];
  if (!options.codeScanningAudit || !op) return [];
  return [
    { ...base, action: `code_scanning.${op}`, actor, operationType, fields: { alert_number: change.alert.number } },
  ];
}

function writeAlertAudit(state: EmulatorState, faults: FaultInjector, change: AlertChange, options: SideEffectOptions): void {
  for (const input of alertAuditInputs(state, change, options)) writeAudit(state, faults, input);
}

/** The webhook deliveries for a change: `[event, payload]` pairs. */
export function alertWebhooks(state: EmulatorState, change: AlertChange): [string, Record<string, unknown>][] {
  const { repo, action, actor } = change;
  if (change.kind === "code_scanning") {
    const alert = change.alert as CodeScanningAlert;
    let ref: string | undefined;
    if (action === "appeared_in_branch") {
      const record = repo.codeScanning.find((r) => r.alert.number === alert.number);
      ref = record?.instances[record.instances.length - 1]?.ref;
    }
    return [["code_scanning_alert", codeScanningPayload(state, repo, alert, action, actor, ref)]];
  }
  if (change.kind === "dependabot") {
    const alert = dependabotWebhookAlert(change.alert as DependabotAlert);
    return [["dependabot_alert", { action, alert, ...repoEnvelope(state, repo, actor) }]];
  }
  const alert = change.alert as SecretScanningAlert;
  const out: [string, Record<string, unknown>][] = [
    ["secret_scanning_alert", { action, alert: secretScanningWebhookAlert(alert), ...repoEnvelope(state, repo, actor) }],
  ];
  if (action === "created") {
    const record = repo.secretScanning.find((r) => r.alert.number === alert.number);
    for (const location of record?.locations ?? []) {
      out.push(["secret_scanning_alert_location", secretLocationPayload(state, repo, alert, location, actor)]);
    }
  }
  return out;
}

function sendAlertWebhooks(state: EmulatorState, webhooks: WebhookSender, change: AlertChange): void {
  for (const [event, payload] of alertWebhooks(state, change)) void webhooks.deliver(event, payload);
}
