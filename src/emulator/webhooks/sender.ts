// PLACEHOLDER (being written): signed webhook deliveries to configured URLs.
import type { EmulatorState } from "../state/state.js";

export interface WebhookTargetOptions {
  url: string;
  secret?: string | null;
  contentType?: "json" | "form";
  events?: string[] | "*";
}

export class WebhookSender {
  constructor(_state: EmulatorState, _targets: WebhookTargetOptions[]) {}

  async idle(): Promise<void> {}
}
