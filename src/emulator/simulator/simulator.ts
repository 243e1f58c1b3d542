// PLACEHOLDER (being written): the activity simulator and the alert side effects (audit events, webhooks).
import type { EmulatorState } from "../state/state.js";
import type { FaultInjector } from "../http/faults.js";
import type { WebhookSender } from "../webhooks/sender.js";

export type ActivityKind = string;

export interface ActivityResult {
  kind: ActivityKind;
  description: string;
}

export function installAlertSideEffects(_state: EmulatorState, _webhooks: WebhookSender, _faults: FaultInjector): void {}

export class ActivitySimulator {
  constructor(_state: EmulatorState, _options: { seed: number; faults: FaultInjector }) {}

  step(_count = 1, _kinds?: ActivityKind[]): ActivityResult[] {
    return [];
  }
}
