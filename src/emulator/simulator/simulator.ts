// The activity simulator: seeded, realistic org activity (alerts opened, triaged, fixed; settings changed; noise).
import type { FaultInjector } from "../http/faults.js";
import * as seedFactories from "../seed/factories.js";
import { createRng } from "../seed/rng.js";
import { COUNTRIES, FIRST_NAMES, LAST_NAMES } from "../seed/vocab.js";
import type { EmulatorState } from "../state/state.js";
import type { EmuOrg, EmuRepo, FeatureName } from "../state/types.js";
import { NOISE_ACTIONS, ORG_FEATURE_ACTIONS, REPO_FEATURE_ACTIONS, addMember, setOrgFeature, setRepoFeature, writeNoise } from "./org-activity.js";
import { AlertActions, type AlertFactories } from "./alert-actions.js";
import { resolveRepo, type RepoRef } from "./transitions.js";

export { installAlertSideEffects } from "./side-effects.js";
export type { AlertFactories } from "./alert-actions.js";

/** Activity kinds with their relative weights (how often `step()` picks each). */
export const ACTIVITY_WEIGHTS = {
  code_scanning_alert_created: 4,
  dependabot_alert_created: 5,
  secret_scanning_alert_created: 2,
  code_scanning_dismissed: 3,
  code_scanning_fixed: 4,
  code_scanning_reopened: 1,
  code_scanning_appeared_in_branch: 1,
  dependabot_dismissed: 3,
  dependabot_fixed: 4,
  dependabot_auto_dismissed: 1,
  dependabot_reopened: 1,
  dependabot_reintroduced: 0.3,
  secret_resolved: 3,
  secret_reopened: 1,
  secret_validated: 1,
  push_protection_bypassed: 1,
  feature_disabled: 1,
  feature_enabled: 0.7,
  member_added: 1,
  audit_noise: 12,
} as const;

export type ActivityKind = keyof typeof ACTIVITY_WEIGHTS;
export const ACTIVITY_KINDS = Object.keys(ACTIVITY_WEIGHTS) as ActivityKind[];

export interface ActivityResult {
  kind: ActivityKind;
  description: string;
  org?: string;
  repo?: string;
  /** Alert number for alert activities. */
  number?: number;
  /** Acting user; null when GitHub itself acted. */
  actor?: string | null;
}

export interface SimulatorOptions {
  seed: number;
  faults: FaultInjector;
  /** Alert factories; default: the seed generator's (`seed/factories.ts`). `null` skips the `*_alert_created` kinds. */
  factories?: AlertFactories | null;
}

export class ActivitySimulator extends AlertActions {
  constructor(state: EmulatorState, options: SimulatorOptions) {
    super(state, options.faults, createRng(options.seed), options.factories === undefined ? seedFactories : options.factories);
  }

  /** Performs `count` activities drawn from `kinds` (default: all); returns what was done (fewer if nothing applies). */
  step(count = 1, kinds?: readonly string[]): ActivityResult[] {
    const unknown = (kinds ?? []).filter((k) => !Object.hasOwn(ACTIVITY_WEIGHTS, k));
    if (unknown.length > 0) throw new RangeError(`unknown activity kind(s) ${unknown.join(", ")}; known: ${ACTIVITY_KINDS.join(", ")}`);
    const allowed = (kinds ?? ACTIVITY_KINDS) as ActivityKind[];
    const results: ActivityResult[] = [];
    for (let i = 0; i < count; i++) {
      const pool = allowed.map((k) => [k, ACTIVITY_WEIGHTS[k]] as const);
      let done: ActivityResult | null = null;
      while (!done && pool.length > 0) {
        const kind = this.rng.weighted(pool);
        done = this.run(kind);
        if (!done) pool.splice(pool.findIndex(([k]) => k === kind), 1);
      }
      if (!done) break;
      results.push(done);
    }
    return results;
  }

  /** One activity of `kind` on a random fitting target, or null when nothing fits. */
  run(kind: ActivityKind): ActivityResult | null {
    switch (kind) {
      case "code_scanning_alert_created":
      case "dependabot_alert_created":
      case "secret_scanning_alert_created":
      case "push_protection_bypassed":
        return this.randomCreate(kind);
      case "feature_disabled":
      case "feature_enabled":
        return this.#randomFeature(kind === "feature_enabled");
      case "member_added":
        return this.#randomMember();
      case "audit_noise":
        return this.#randomNoise();
      default:
        return this.randomTransition(kind);
    }
  }

  // ---- forced, non-alert activity (alert transitions are inherited from AlertActions) ----

  disableRepoFeature(ref: RepoRef, feature: FeatureName, by: string): void {
    setRepoFeature(this.state, this.faults, resolveRepo(this.state, ref), feature, false, by);
  }

  enableRepoFeature(ref: RepoRef, feature: FeatureName, by: string): void {
    setRepoFeature(this.state, this.faults, resolveRepo(this.state, ref), feature, true, by);
  }

  disableOrgFeature(org: string, feature: FeatureName, by: string): void {
    setOrgFeature(this.state, this.faults, this.#org(org), feature, false, by);
  }

  enableOrgFeature(org: string, feature: FeatureName, by: string): void {
    setOrgFeature(this.state, this.faults, this.#org(org), feature, true, by);
  }

  addMember(org: string, login: string, opts: { by: string; admin?: boolean }): void {
    addMember(this.state, this.faults, this.#org(org), login, opts);
  }

  #org(login: string): EmuOrg {
    const org = this.state.org(login);
    if (!org) throw new Error(`no organization ${login} in the emulator`);
    return org;
  }

  #randomFeature(enable: boolean): ActivityResult | null {
    const orgLevel = this.rng.chance(0.3);
    const table = orgLevel ? ORG_FEATURE_ACTIONS : REPO_FEATURE_ACTIONS;
    const features = Object.keys(table) as FeatureName[];
    const fits = (r: EmuRepo) => features.some((f) => r.features[f] !== enable);
    const repo = this.pickRepo(fits);
    if (!repo) return null;
    const feature = this.rng.pick(features.filter((f) => repo.features[f] !== enable));
    const org = this.#org(repo.owner);
    const by = this.rng.pick(admins(org));
    const verb = enable ? "enabled" : "disabled";
    if (orgLevel) {
      setOrgFeature(this.state, this.faults, org, feature, enable, by);
      return { kind: enable ? "feature_enabled" : "feature_disabled", description: `${by} ${verb} ${feature} for all repositories of ${org.login}`, org: org.login, actor: by };
    }
    setRepoFeature(this.state, this.faults, repo, feature, enable, by);
    return { kind: enable ? "feature_enabled" : "feature_disabled", description: `${by} ${verb} ${feature} on ${repo.fullName}`, org: org.login, repo: repo.fullName, actor: by };
  }

  #randomMember(): ActivityResult | null {
    const orgs = [...this.state.orgs.values()].filter((o) => admins(o).length > 0);
    if (orgs.length === 0) return null;
    const org = this.rng.pick(orgs);
    const inOrg = new Set([...org.members, ...org.owners].map((l) => l.toLowerCase()));
    const outsiders = [...this.state.users.values()].filter((u) => u.type === "User" && !inOrg.has(u.login.toLowerCase()));
    const login = outsiders.length > 0 && this.rng.chance(0.5) ? this.rng.pick(outsiders).login : this.#newUser();
    const by = this.rng.pick(org.owners);
    const admin = this.rng.chance(0.15);
    addMember(this.state, this.faults, org, login, { by, admin });
    return { kind: "member_added", description: `${by} added ${login} to ${org.login}${admin ? " as an owner" : ""}`, org: org.login, actor: by };
  }

  #newUser(): string {
    let login: string;
    do login = `${this.rng.pick(FIRST_NAMES)}-${this.rng.pick(LAST_NAMES)}${this.rng.int(1, 999)}`;
    while (this.state.user(login));
    const [code, name] = this.rng.weighted(COUNTRIES.map((c) => [c, c[2]] as const));
    this.state.addUser({ login, id: this.state.nextId(), type: "User", name: login.replace(/-/g, " "), country: { code, name } });
    return login;
  }

  #randomNoise(): ActivityResult | null {
    const repo = this.pickRepo((r) => members(this.state.org(r.owner)).length > 0);
    if (!repo) return null;
    const actor = this.rng.pick(members(this.state.org(repo.owner)));
    const actions = [...NOISE_ACTIONS];
    while (actions.length > 0) {
      const action = actions.splice(this.rng.int(0, actions.length - 1), 1)[0]!;
      const description = writeNoise(this.state, this.faults, this.rng, repo, actor, action);
      if (description) return { kind: "audit_noise", description, org: repo.owner, repo: repo.fullName, actor };
    }
    return null;
  }
}

/** Everyone in the org (owners, security managers, members), deduplicated. */
export function members(org: EmuOrg | undefined): string[] {
  return org ? [...new Set([...org.owners, ...org.securityManagers, ...org.members])] : [];
}

/** Who may change security settings: owners and security managers. */
export function admins(org: EmuOrg): string[] {
  return [...new Set([...org.owners, ...org.securityManagers])];
}
