// Alert state transitions exactly as GitHub applies them (fields set and cleared), each announced via state.alertChanged.
import { isoSeconds } from "../../core/clock.js";
import { renderUser } from "../render.js";
import type { EmulatorState } from "../state/state.js";
import type { CodeScanningAlert, CodeScanningRecord, DependabotAlert, EmuRepo, SecretScanningAlert } from "../state/types.js";

/** A repo given as the state's record or as `owner/name`. */
export type RepoRef = EmuRepo | string;

/** `mitigated` is newer than the generated types (ghec.json 23.0.2 lists it). */
export type CodeScanningDismissReason = NonNullable<CodeScanningAlert["dismissed_reason"]> | "mitigated";
export type DependabotDismissReason = NonNullable<DependabotAlert["dismissed_reason"]>;
export type SecretResolution = NonNullable<SecretScanningAlert["resolution"]>;
export type SecretValidity = NonNullable<SecretScanningAlert["validity"]>;

export function resolveRepo(state: EmulatorState, ref: RepoRef): EmuRepo {
  if (typeof ref !== "string") return ref;
  const [owner = "", name = ""] = ref.split("/");
  const repo = state.repo(owner, name);
  if (!repo) throw new Error(`no repository ${ref} in the emulator`);
  return repo;
}

function codeRecord(repo: EmuRepo, number: number): CodeScanningRecord {
  const record = repo.codeScanning.find((r) => r.alert.number === number);
  if (!record) throw new Error(`no code scanning alert #${number} in ${repo.fullName}`);
  return record;
}

function dependabotAlert(repo: EmuRepo, number: number): DependabotAlert {
  const alert = repo.dependabot.find((a) => a.number === number);
  if (!alert) throw new Error(`no Dependabot alert #${number} in ${repo.fullName}`);
  return alert;
}

function secretAlert(repo: EmuRepo, number: number): SecretScanningAlert {
  const alert = repo.secretScanning.find((r) => r.alert.number === number)?.alert;
  if (!alert) throw new Error(`no secret scanning alert #${number} in ${repo.fullName}`);
  return alert;
}

function expectState(what: string, repo: EmuRepo, number: number, actual: string | null | undefined, ...allowed: string[]): void {
  if (!allowed.includes(actual ?? "null")) {
    throw new Error(`${what} alert #${number} in ${repo.fullName} is ${actual}, not ${allowed.join(" or ")}`);
  }
}

// ---- code scanning ----

export function dismissCodeScanning(
  state: EmulatorState,
  ref: RepoRef,
  number: number,
  opts: { by: string; reason?: CodeScanningDismissReason; comment?: string | null },
): CodeScanningAlert {
  const repo = resolveRepo(state, ref);
  const { alert } = codeRecord(repo, number);
  expectState("code scanning", repo, number, alert.state, "open");
  const now = isoSeconds(state.now());
  alert.state = "dismissed";
  alert.dismissed_by = renderUser(state, opts.by);
  alert.dismissed_at = now;
  (alert as { dismissed_reason: CodeScanningDismissReason | null }).dismissed_reason = opts.reason ?? "false positive";
  alert.dismissed_comment = opts.comment ?? null;
  alert.fixed_at = null;
  alert.updated_at = now;
  alert.most_recent_instance.state = "dismissed";
  state.alertChanged({ kind: "code_scanning", repo, alert, action: "closed_by_user", actor: opts.by });
  return alert;
}

/** A new analysis no longer finds the alert. */
export function fixCodeScanning(state: EmulatorState, ref: RepoRef, number: number, opts: { commitSha: string }): CodeScanningAlert {
  const repo = resolveRepo(state, ref);
  const record = codeRecord(repo, number);
  const { alert } = record;
  expectState("code scanning", repo, number, alert.state, "open");
  const now = isoSeconds(state.now());
  alert.state = "fixed";
  alert.fixed_at = now;
  alert.updated_at = now;
  alert.most_recent_instance = { ...alert.most_recent_instance, state: "fixed", commit_sha: opts.commitSha };
  for (const instance of record.instances) instance.state = "fixed";
  state.alertChanged({ kind: "code_scanning", repo, alert, action: "fixed", actor: null });
  return alert;
}

/** A user reopens a dismissed alert (`reopened_by_user`), or a fixed alert comes back (`reopened`, by GitHub). */
export function reopenCodeScanning(state: EmulatorState, ref: RepoRef, number: number, opts: { by?: string; commitSha?: string } = {}): CodeScanningAlert {
  const repo = resolveRepo(state, ref);
  const record = codeRecord(repo, number);
  const { alert } = record;
  expectState("code scanning", repo, number, alert.state, "dismissed", "fixed");
  const now = isoSeconds(state.now());
  const byUser = alert.state === "dismissed";
  if (byUser && !opts.by) throw new Error("reopening a dismissed code scanning alert needs the user (`by`)");
  alert.state = "open";
  alert.dismissed_by = null;
  alert.dismissed_at = null;
  alert.dismissed_reason = null;
  alert.dismissed_comment = null;
  alert.fixed_at = null;
  alert.updated_at = now;
  alert.most_recent_instance = {
    ...alert.most_recent_instance,
    state: "open",
    ...(opts.commitSha ? { commit_sha: opts.commitSha } : {}),
  };
  if (!byUser) for (const instance of record.instances) if (instance.ref === alert.most_recent_instance.ref) instance.state = "open";
  const action = byUser ? "reopened_by_user" : "reopened";
  state.alertChanged({ kind: "code_scanning", repo, alert, action, actor: byUser ? opts.by! : null });
  return alert;
}

/** An existing alert is found on another branch too. */
export function codeScanningAppearedInBranch(
  state: EmulatorState,
  ref: RepoRef,
  number: number,
  opts: { ref: string; commitSha: string },
): CodeScanningAlert {
  const repo = resolveRepo(state, ref);
  const record = codeRecord(repo, number);
  const { alert } = record;
  alert.updated_at = isoSeconds(state.now());
  record.instances.push({ ...alert.most_recent_instance, ref: opts.ref, commit_sha: opts.commitSha, state: "open" });
  state.alertChanged({ kind: "code_scanning", repo, alert, action: "appeared_in_branch", actor: null });
  return alert;
}

// ---- Dependabot ----

export function dismissDependabot(
  state: EmulatorState,
  ref: RepoRef,
  number: number,
  opts: { by: string; reason?: DependabotDismissReason; comment?: string | null },
): DependabotAlert {
  const repo = resolveRepo(state, ref);
  const alert = dependabotAlert(repo, number);
  expectState("Dependabot", repo, number, alert.state, "open");
  const now = isoSeconds(state.now());
  Object.assign(alert, {
    state: "dismissed",
    dismissed_at: now,
    dismissed_by: renderUser(state, opts.by),
    dismissed_reason: opts.reason ?? "tolerable_risk",
    dismissed_comment: opts.comment ?? null,
    updated_at: now,
  });
  state.alertChanged({ kind: "dependabot", repo, alert, action: "dismissed", actor: opts.by });
  return alert;
}

/** Transition helper shared by the Dependabot moves GitHub makes by itself. */
function dependabotMove(
  state: EmulatorState,
  ref: RepoRef,
  number: number,
  from: DependabotAlert["state"] | DependabotAlert["state"][],
  action: string,
  apply: (alert: DependabotAlert, now: string) => void,
  actor: string | null = null,
): DependabotAlert {
  const repo = resolveRepo(state, ref);
  const alert = dependabotAlert(repo, number);
  expectState("Dependabot", repo, number, alert.state, ...(Array.isArray(from) ? from : [from]));
  const now = isoSeconds(state.now());
  apply(alert, now);
  alert.updated_at = now;
  state.alertChanged({ kind: "dependabot", repo, alert, action, actor });
  return alert;
}

/** The manifest was updated past the vulnerable range. */
export const fixDependabot = (state: EmulatorState, ref: RepoRef, number: number) =>
  dependabotMove(state, ref, number, "open", "fixed", (a, now) => Object.assign(a, { state: "fixed", fixed_at: now }));

/** An auto-triage rule closed the alert. */
export const autoDismissDependabot = (state: EmulatorState, ref: RepoRef, number: number) =>
  dependabotMove(state, ref, number, "open", "auto_dismissed", (a, now) =>
    Object.assign(a, { state: "auto_dismissed", auto_dismissed_at: now }),
  );

/** A user reopens a dismissed (or auto-dismissed) alert. */
export const reopenDependabot = (state: EmulatorState, ref: RepoRef, number: number, opts: { by: string }) =>
  dependabotMove(
    state,
    ref,
    number,
    ["dismissed", "auto_dismissed"],
    "reopened",
    (a) =>
      Object.assign(a, {
        state: "open",
        dismissed_at: null,
        dismissed_by: null,
        dismissed_reason: null,
        dismissed_comment: null,
        ...("auto_dismissed_at" in a ? { auto_dismissed_at: null } : {}),
      }),
    opts.by,
  );

/** The auto-triage rule no longer matches. */
export const autoReopenDependabot = (state: EmulatorState, ref: RepoRef, number: number) =>
  dependabotMove(state, ref, number, "auto_dismissed", "auto_reopened", (a) =>
    Object.assign(a, { state: "open", auto_dismissed_at: null }),
  );

/** A fixed vulnerability came back (version downgraded). */
export const reintroduceDependabot = (state: EmulatorState, ref: RepoRef, number: number) =>
  dependabotMove(state, ref, number, "fixed", "reintroduced", (a) => Object.assign(a, { state: "open", fixed_at: null }));

// ---- secret scanning ----

export function resolveSecret(
  state: EmulatorState,
  ref: RepoRef,
  number: number,
  opts: { by: string; resolution?: SecretResolution; comment?: string | null },
): SecretScanningAlert {
  const repo = resolveRepo(state, ref);
  const alert = secretAlert(repo, number);
  expectState("secret scanning", repo, number, alert.state, "open");
  const now = isoSeconds(state.now());
  Object.assign(alert, {
    state: "resolved",
    resolution: opts.resolution ?? "revoked",
    resolved_at: now,
    resolved_by: renderUser(state, opts.by),
    resolution_comment: opts.comment ?? null,
    updated_at: now,
  });
  state.alertChanged({ kind: "secret_scanning", repo, alert, action: "resolved", actor: opts.by });
  return alert;
}

export function reopenSecret(state: EmulatorState, ref: RepoRef, number: number, opts: { by: string }): SecretScanningAlert {
  const repo = resolveRepo(state, ref);
  const alert = secretAlert(repo, number);
  expectState("secret scanning", repo, number, alert.state, "resolved");
  Object.assign(alert, {
    state: "open",
    resolution: null,
    resolved_at: null,
    resolved_by: null,
    resolution_comment: null,
    updated_at: isoSeconds(state.now()),
  });
  state.alertChanged({ kind: "secret_scanning", repo, alert, action: "reopened", actor: opts.by });
  return alert;
}

/** GitHub checked the secret with its provider. */
export function validateSecret(state: EmulatorState, ref: RepoRef, number: number, validity: SecretValidity): SecretScanningAlert {
  const repo = resolveRepo(state, ref);
  const alert = secretAlert(repo, number);
  Object.assign(alert, { validity, updated_at: isoSeconds(state.now()) });
  state.alertChanged({ kind: "secret_scanning", repo, alert, action: "validated", actor: null });
  return alert;
}

/** GitHub found the secret in a public repository or gist. */
export function leakSecretPublicly(state: EmulatorState, ref: RepoRef, number: number): SecretScanningAlert {
  const repo = resolveRepo(state, ref);
  const alert = secretAlert(repo, number);
  Object.assign(alert, { publicly_leaked: true, updated_at: isoSeconds(state.now()) });
  state.alertChanged({ kind: "secret_scanning", repo, alert, action: "publicly_leaked", actor: null });
  return alert;
}
