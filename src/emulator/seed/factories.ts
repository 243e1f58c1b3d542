// Alert factories: create one new open alert in a repo (next number, GitHub's REST shape). Used by the seed generator
// and by the activity simulator at runtime. They only append to the repo and bump `state.version`: the caller announces
// the change with `state.alertChanged(...)` when audit events and webhooks should follow.
import type { EmulatorState } from "../state/state.js";
import type { CodeScanningRecord, DependabotAlert, EmuRepo, SecretScanningRecord } from "../state/types.js";
import { createCodeScanningAlert, scanSetups } from "./alerts-code-scanning.js";
import { createDependabotAlert } from "./alerts-dependabot.js";
import { createSecretScanningAlert } from "./alerts-secret-scanning.js";
import type { Rng } from "./rng.js";

/**
 * A new code scanning alert found at `at` on the default branch. If the repo's matching analysis configuration
 * never ran, an analysis is recorded first (an alert implies one).
 */
export function newCodeScanningAlert(state: EmulatorState, repo: EmuRepo, rng: Rng, at: number): CodeScanningRecord {
  const record = createCodeScanningAlert(state, repo, rng, at);
  state.touch();
  return record;
}

/** A new Dependabot alert created at `at` for an advisory published before `at` in one of the repo's ecosystems. */
export function newDependabotAlert(state: EmulatorState, repo: EmuRepo, rng: Rng, at: number): DependabotAlert {
  const alert = createDependabotAlert(state, repo, rng, at);
  state.touch();
  return alert;
}

/** A new secret scanning alert detected at `at`; `bypassedBy` marks it as pushed past push protection by that user. */
export function newSecretScanningAlert(state: EmulatorState, repo: EmuRepo, rng: Rng, at: number, opts: { bypassedBy?: string } = {}): SecretScanningRecord {
  const record = createSecretScanningAlert(state, repo, rng, at, opts);
  state.touch();
  return record;
}

export type AlertKind = "code_scanning" | "dependabot" | "secret_scanning";

/** Whether GitHub would raise new alerts of this kind in the repo now (for picking repos at runtime). */
export function canRaise(repo: EmuRepo, kind: AlertKind): boolean {
  return !repo.archived && featureAllows(repo, kind);
}

/** Whether the repo's settings let alerts of this kind exist (code scanning also needs an analysis). */
export function featureAllows(repo: EmuRepo, kind: AlertKind): boolean {
  switch (kind) {
    case "code_scanning":
      return repo.analyses.length > 0 && scanSetups(repo).length > 0 && (repo.visibility === "public" || repo.features.code_security || repo.features.advanced_security);
    case "dependabot":
      return repo.features.dependabot_alerts;
    case "secret_scanning":
      return repo.features.secret_scanning;
  }
}
