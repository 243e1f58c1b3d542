// Alert activity for the simulator: forced transitions for tests, and random ones on fitting alerts.
import type { FaultInjector } from "../http/faults.js";
import { autoDismissable } from "../seed/alerts-dependabot.js";
import { canRaise } from "../seed/factories.js";
import type { Rng } from "../seed/rng.js";
import { CODE_SCANNING_DISMISS_COMMENTS, DEPENDABOT_DISMISS_COMMENTS, SECRET_RESOLVE_COMMENTS } from "../seed/vocab.js";
import type { EmulatorState } from "../state/state.js";
import type {
  CodeScanningAlert,
  CodeScanningRecord,
  DependabotAlert,
  EmuRepo,
  SecretScanningAlert,
  SecretScanningRecord,
} from "../state/types.js";
import * as t from "./transitions.js";
import type { ActivityKind, ActivityResult } from "./simulator.js";

type Maybe<R, A> = R | A;

/** The seed generator's factories: each appends a new alert to the repo and returns it (or its record). */
export interface AlertFactories {
  newCodeScanningAlert(state: EmulatorState, repo: EmuRepo, rng: Rng, at: number): Maybe<CodeScanningRecord, CodeScanningAlert>;
  newDependabotAlert(state: EmulatorState, repo: EmuRepo, rng: Rng, at: number): DependabotAlert;
  newSecretScanningAlert(
    state: EmulatorState,
    repo: EmuRepo,
    rng: Rng,
    at: number,
    opts?: { bypassedBy?: string },
  ): Maybe<SecretScanningRecord, SecretScanningAlert>;
}

function unwrap<A>(made: A | { alert: A }): A {
  return typeof made === "object" && made !== null && "alert" in made ? (made as { alert: A }).alert : (made as A);
}

const CS_REASONS = [["false positive", 4], ["won't fix", 3], ["used in tests", 2]] as const;
const DEP_REASONS = [["tolerable_risk", 3], ["not_used", 3], ["no_bandwidth", 2], ["fix_started", 2], ["inaccurate", 1]] as const;
const SECRET_RESOLUTIONS = [["revoked", 4], ["false_positive", 2], ["used_in_tests", 2], ["wont_fix", 1]] as const;

export class AlertActions {
  constructor(
    readonly state: EmulatorState,
    readonly faults: FaultInjector,
    readonly rng: Rng,
    readonly factories: AlertFactories | null,
  ) {}

  // ---- forced transitions (tests, control API) ----
  dismissCodeScanning = (repo: t.RepoRef, n: number, o: { by: string; reason?: t.CodeScanningDismissReason; comment?: string | null }) =>
    t.dismissCodeScanning(this.state, repo, n, o);
  fixCodeScanning = (repo: t.RepoRef, n: number, o: { commitSha?: string } = {}) =>
    t.fixCodeScanning(this.state, repo, n, { commitSha: o.commitSha ?? this.rng.hex(40) });
  reopenCodeScanning = (repo: t.RepoRef, n: number, o: { by?: string } = {}) => t.reopenCodeScanning(this.state, repo, n, o);
  codeScanningAppearedInBranch = (repo: t.RepoRef, n: number, o: { ref: string; commitSha?: string }) =>
    t.codeScanningAppearedInBranch(this.state, repo, n, { ref: o.ref, commitSha: o.commitSha ?? this.rng.hex(40) });
  dismissDependabot = (repo: t.RepoRef, n: number, o: { by: string; reason?: t.DependabotDismissReason; comment?: string | null }) =>
    t.dismissDependabot(this.state, repo, n, o);
  fixDependabot = (repo: t.RepoRef, n: number) => t.fixDependabot(this.state, repo, n);
  autoDismissDependabot = (repo: t.RepoRef, n: number) => t.autoDismissDependabot(this.state, repo, n);
  reopenDependabot = (repo: t.RepoRef, n: number, o: { by: string }) => t.reopenDependabot(this.state, repo, n, o);
  autoReopenDependabot = (repo: t.RepoRef, n: number) => t.autoReopenDependabot(this.state, repo, n);
  reintroduceDependabot = (repo: t.RepoRef, n: number) => t.reintroduceDependabot(this.state, repo, n);
  resolveSecret = (repo: t.RepoRef, n: number, o: { by: string; resolution?: t.SecretResolution; comment?: string | null }) =>
    t.resolveSecret(this.state, repo, n, o);
  reopenSecret = (repo: t.RepoRef, n: number, o: { by: string }) => t.reopenSecret(this.state, repo, n, o);
  validateSecret = (repo: t.RepoRef, n: number, validity: t.SecretValidity) => t.validateSecret(this.state, repo, n, validity);
  leakSecretPublicly = (repo: t.RepoRef, n: number) => t.leakSecretPublicly(this.state, repo, n);

  /** New alerts come from the seed generator's factories and are announced as `created` (by GitHub). */
  createCodeScanningAlert(ref: t.RepoRef): CodeScanningAlert {
    const repo = t.resolveRepo(this.state, ref);
    const alert = unwrap(this.#factories().newCodeScanningAlert(this.state, repo, this.rng, this.state.now()));
    this.state.alertChanged({ kind: "code_scanning", repo, alert, action: "created", actor: null });
    return alert;
  }

  createDependabotAlert(ref: t.RepoRef): DependabotAlert {
    const repo = t.resolveRepo(this.state, ref);
    const alert = this.#factories().newDependabotAlert(this.state, repo, this.rng, this.state.now());
    this.state.alertChanged({ kind: "dependabot", repo, alert, action: "created", actor: null });
    return alert;
  }

  /** With `bypassedBy`, the secret was pushed past push protection by that user (audit: `secret_scanning_push_protection.bypass`). */
  createSecretScanningAlert(ref: t.RepoRef, opts: { bypassedBy?: string } = {}): SecretScanningAlert {
    const repo = t.resolveRepo(this.state, ref);
    const made = this.#factories().newSecretScanningAlert(this.state, repo, this.rng, this.state.now(), opts);
    const alert = unwrap(made);
    this.state.alertChanged({ kind: "secret_scanning", repo, alert, action: "created", actor: opts.bypassedBy ?? null });
    return alert;
  }

  #factories(): AlertFactories {
    if (!this.factories) throw new Error("alert factories are not available (seed/factories.ts)");
    return this.factories;
  }

  // ---- random choice ----

  /** A random non-archived repo of a known org that passes `fits`; tries a few at random before scanning them all. */
  protected pickRepo(fits: (repo: EmuRepo) => boolean): EmuRepo | null {
    const repos = [...this.state.repos.values()].filter((r) => !r.archived && this.state.org(r.owner));
    if (repos.length === 0) return null;
    for (let i = 0; i < 8; i++) {
      const repo = this.rng.pick(repos);
      if (fits(repo)) return repo;
    }
    const fitting = repos.filter(fits);
    return fitting.length > 0 ? this.rng.pick(fitting) : null;
  }

  /** A random item (alert) passing `ok`, in a repo passing `repoOk`. */
  protected pickItem<T>(repoOk: (r: EmuRepo) => boolean, items: (r: EmuRepo) => readonly T[], ok: (item: T) => boolean): [EmuRepo, T] | null {
    const repo = this.pickRepo((r) => repoOk(r) && items(r).some(ok));
    return repo ? [repo, this.rng.pick(items(repo).filter(ok))] : null;
  }

  protected actorIn(repo: EmuRepo): string {
    const org = this.state.org(repo.owner);
    const people = org ? [...new Set([...org.members, ...org.owners, ...org.securityManagers])] : [];
    return people.length > 0 ? this.rng.pick(people) : repo.owner;
  }

  #comment(list: readonly string[]): string | null {
    return this.rng.chance(0.6) ? this.rng.pick(list) : null;
  }

  protected randomCreate(kind: ActivityKind): ActivityResult | null {
    if (!this.factories) return null;
    const fits: Record<string, (r: EmuRepo) => boolean> = {
      code_scanning_alert_created: (r) => canRaise(r, "code_scanning"),
      dependabot_alert_created: (r) => canRaise(r, "dependabot"),
      secret_scanning_alert_created: (r) => canRaise(r, "secret_scanning"),
      push_protection_bypassed: (r) => canRaise(r, "secret_scanning") && r.features.secret_scanning_push_protection,
    };
    const repo = this.pickRepo(fits[kind]!);
    if (!repo) return null;
    const base = { kind, org: repo.owner, repo: repo.fullName };
    if (kind === "code_scanning_alert_created") {
      const a = this.createCodeScanningAlert(repo);
      return { ...base, number: a.number, actor: null, description: `code scanning alert #${a.number} (${a.rule.id}) opened in ${repo.fullName}` };
    }
    if (kind === "dependabot_alert_created") {
      const a = this.createDependabotAlert(repo);
      return { ...base, number: a.number, actor: null, description: `Dependabot alert #${a.number} (${a.security_advisory.ghsa_id}) opened in ${repo.fullName}` };
    }
    const bypassedBy = kind === "push_protection_bypassed" ? this.actorIn(repo) : undefined;
    const a = this.createSecretScanningAlert(repo, bypassedBy ? { bypassedBy } : {});
    const how = bypassedBy ? `${bypassedBy} bypassed push protection: ` : "";
    return { ...base, number: a.number, actor: bypassedBy ?? null, description: `${how}secret scanning alert #${a.number} (${a.secret_type}) opened in ${repo.fullName}` };
  }

  protected randomTransition(kind: ActivityKind): ActivityResult | null {
    const cs = (ok: (a: CodeScanningAlert) => boolean) => this.pickItem((r) => r.codeScanning.length > 0, (r) => r.codeScanning, (x) => ok(x.alert));
    const dep = (ok: (a: DependabotAlert) => boolean) => this.pickItem((r) => r.features.dependabot_alerts, (r) => r.dependabot, ok);
    const sec = (ok: (a: SecretScanningAlert) => boolean) => this.pickItem((r) => r.features.secret_scanning, (r) => r.secretScanning, (x) => ok(x.alert));
    const result = (repo: EmuRepo, number: number, actor: string | null, what: string): ActivityResult => ({
      kind,
      org: repo.owner,
      repo: repo.fullName,
      number,
      actor,
      description: `${actor ?? "GitHub"} ${what} #${number} in ${repo.fullName}`,
    });
    switch (kind) {
      case "code_scanning_dismissed":
      case "code_scanning_fixed":
      case "code_scanning_appeared_in_branch": {
        const hit = cs((a) => a.state === "open");
        if (!hit) return null;
        const [repo, { alert }] = hit;
        if (kind === "code_scanning_fixed") {
          this.fixCodeScanning(repo, alert.number);
          return result(repo, alert.number, null, "fixed code scanning alert");
        }
        if (kind === "code_scanning_appeared_in_branch") {
          this.codeScanningAppearedInBranch(repo, alert.number, { ref: `refs/heads/feature/${this.rng.hex(6)}` });
          return result(repo, alert.number, null, "found on another branch code scanning alert");
        }
        const by = this.actorIn(repo);
        const reason = this.rng.weighted(CS_REASONS);
        this.dismissCodeScanning(repo, alert.number, { by, reason, comment: this.#comment(CODE_SCANNING_DISMISS_COMMENTS) });
        return result(repo, alert.number, by, `dismissed (${reason}) code scanning alert`);
      }
      case "code_scanning_reopened": {
        const hit = cs((a) => a.state === "dismissed" || a.state === "fixed");
        if (!hit) return null;
        const [repo, { alert }] = hit;
        const by = alert.state === "dismissed" ? this.actorIn(repo) : null;
        this.reopenCodeScanning(repo, alert.number, by ? { by } : {});
        return result(repo, alert.number, by, "reopened code scanning alert");
      }
      case "dependabot_dismissed": {
        const hit = dep((a) => a.state === "open");
        if (!hit) return null;
        const [repo, alert] = hit;
        const by = this.actorIn(repo);
        const reason = this.rng.weighted(DEP_REASONS);
        this.dismissDependabot(repo, alert.number, { by, reason, comment: this.#comment(DEPENDABOT_DISMISS_COMMENTS) });
        return result(repo, alert.number, by, `dismissed (${reason}) Dependabot alert`);
      }
      case "dependabot_fixed":
      case "dependabot_auto_dismissed": {
        const auto = kind === "dependabot_auto_dismissed";
        // GitHub's preset auto-triage rule closes low-impact alerts on development dependencies.
        const hit = dep((a) => a.state === "open" && (!auto || autoDismissable(a)));
        if (!hit) return null;
        const [repo, alert] = hit;
        if (auto) this.autoDismissDependabot(repo, alert.number);
        else this.fixDependabot(repo, alert.number);
        return result(repo, alert.number, null, auto ? "auto-dismissed Dependabot alert" : "fixed Dependabot alert");
      }
      case "dependabot_reopened": {
        const hit = dep((a) => a.state === "dismissed");
        if (!hit) return null;
        const [repo, alert] = hit;
        const by = this.actorIn(repo);
        this.reopenDependabot(repo, alert.number, { by });
        return result(repo, alert.number, by, "reopened Dependabot alert");
      }
      case "dependabot_reintroduced": {
        const hit = dep((a) => a.state === "fixed");
        if (!hit) return null;
        this.reintroduceDependabot(hit[0], hit[1].number);
        return result(hit[0], hit[1].number, null, "reintroduced Dependabot alert");
      }
      case "secret_resolved": {
        const hit = sec((a) => a.state === "open");
        if (!hit) return null;
        const [repo, { alert }] = hit;
        const by = this.actorIn(repo);
        const resolution = this.rng.weighted(SECRET_RESOLUTIONS);
        this.resolveSecret(repo, alert.number!, { by, resolution, comment: this.#comment(SECRET_RESOLVE_COMMENTS) });
        return result(repo, alert.number!, by, `resolved (${resolution}) secret scanning alert`);
      }
      case "secret_reopened": {
        const hit = sec((a) => a.state === "resolved");
        if (!hit) return null;
        const [repo, { alert }] = hit;
        const by = this.actorIn(repo);
        this.reopenSecret(repo, alert.number!, { by });
        return result(repo, alert.number!, by, "reopened secret scanning alert");
      }
      case "secret_validated": {
        const hit = sec((a) => a.state === "open" && a.validity !== "inactive");
        if (!hit) return null;
        const [repo, { alert }] = hit;
        const validity = alert.validity === "active" ? "inactive" : this.rng.pick(["active", "inactive"] as const);
        this.validateSecret(repo, alert.number!, validity);
        return result(repo, alert.number!, null, `validated (${validity}) secret scanning alert`);
      }
      default:
        return null;
    }
  }
}
