// Non-alert activity: security features switched off/on (repo or org wide), members joining, and routine audit noise.
import type { FaultInjector } from "../http/faults.js";
import type { Rng } from "../seed/rng.js";
import { BROWSER_AGENTS, GIT_AGENTS, TEAMS } from "../seed/vocab.js";
import type { EmulatorState } from "../state/state.js";
import type { EmuOrg, EmuRepo, FeatureName } from "../state/types.js";
import { writeAudit } from "./audit.js";

/** Repo-level audit actions per feature: [disable, enable] (GITHUB-API.md §4.2). */
export const REPO_FEATURE_ACTIONS: Readonly<Record<FeatureName, readonly [string, string]>> = {
  advanced_security: ["repo.advanced_security_disabled", "repo.advanced_security_enabled"],
  code_security: ["repository_code_security.disable", "repository_code_security.enable"],
  secret_scanning: ["repository_secret_scanning.disable", "repository_secret_scanning.enable"],
  secret_scanning_push_protection: [
    "repository_secret_scanning_push_protection.disable",
    "repository_secret_scanning_push_protection.enable",
  ],
  secret_scanning_non_provider_patterns: [
    "repository_secret_scanning_non_provider_patterns.disabled",
    "repository_secret_scanning_non_provider_patterns.enabled",
  ],
  secret_scanning_validity_checks: [
    "repository_secret_scanning_automatic_validity_checks.disabled",
    "repository_secret_scanning_automatic_validity_checks.enabled",
  ],
  dependabot_security_updates: ["repository_security_updates.disable", "repository_security_updates.enable"],
  dependabot_alerts: ["repository_vulnerability_alerts.disable", "repository_vulnerability_alerts.enable"],
};

/** Org-wide ("all existing repositories") audit actions per feature: [disable, enable]. */
export const ORG_FEATURE_ACTIONS: Readonly<Partial<Record<FeatureName, readonly [string, string]>>> = {
  advanced_security: ["org.advanced_security_disabled_on_all_repos", "org.advanced_security_enabled_on_all_repos"],
  secret_scanning: ["secret_scanning.disable", "secret_scanning.enable"],
  secret_scanning_push_protection: ["org.secret_scanning_push_protection_disable", "org.secret_scanning_push_protection_enable"],
  dependabot_alerts: ["dependabot_alerts.disable", "dependabot_alerts.enable"],
  dependabot_security_updates: ["dependabot_security_updates.disable", "dependabot_security_updates.enable"],
};

/** Features that cannot stay on without another (switching the latter off switches them off too). */
const DEPENDENTS: Partial<Record<FeatureName, FeatureName[]>> = {
  secret_scanning: ["secret_scanning_push_protection", "secret_scanning_validity_checks", "secret_scanning_non_provider_patterns"],
  dependabot_alerts: ["dependabot_security_updates"],
};

function applyFeature(repo: EmuRepo, feature: FeatureName, enabled: boolean): void {
  repo.features[feature] = enabled;
  if (!enabled) for (const dep of DEPENDENTS[feature] ?? []) repo.features[dep] = false;
}

export function setRepoFeature(
  state: EmulatorState,
  faults: FaultInjector,
  repo: EmuRepo,
  feature: FeatureName,
  enabled: boolean,
  by: string,
): void {
  const org = state.org(repo.owner);
  if (!org) throw new Error(`repository ${repo.fullName} has no organization in the emulator`);
  applyFeature(repo, feature, enabled);
  state.touch();
  const action = REPO_FEATURE_ACTIONS[feature][enabled ? 1 : 0];
  writeAudit(state, faults, { action, org, repo, actor: by, operationType: "modify" });
}

/** Switches a feature for every (non-archived) repository of the org and writes the one org-level event. */
export function setOrgFeature(
  state: EmulatorState,
  faults: FaultInjector,
  org: EmuOrg,
  feature: FeatureName,
  enabled: boolean,
  by: string,
): void {
  const actions = ORG_FEATURE_ACTIONS[feature];
  if (!actions) throw new Error(`feature ${feature} cannot be switched org-wide`);
  for (const repo of state.reposOf(org.login)) if (!repo.archived) applyFeature(repo, feature, enabled);
  state.touch();
  writeAudit(state, faults, { action: actions[enabled ? 1 : 0], org, actor: by, operationType: "modify" });
}

/** `org.add_member`, then `org.update_member` (member -> admin) when `admin`. */
export function addMember(
  state: EmulatorState,
  faults: FaultInjector,
  org: EmuOrg,
  login: string,
  opts: { by: string; admin?: boolean },
): void {
  const user = state.user(login);
  if (!user) throw new Error(`no user ${login} in the emulator`);
  if (org.members.includes(login) || org.owners.includes(login)) throw new Error(`${login} is already in ${org.login}`);
  const fields = { user: login, user_id: user.id };
  org.members.push(login);
  writeAudit(state, faults, { action: "org.add_member", org, actor: opts.by, operationType: "create", fields: { ...fields, permission: "read" } });
  if (opts.admin) {
    org.members.splice(org.members.indexOf(login), 1);
    org.owners.push(login);
    writeAudit(state, faults, {
      action: "org.update_member",
      org,
      actor: opts.by,
      operationType: "modify",
      fields: { ...fields, permission: "admin", old_permission: "read" },
    });
  }
  state.touch();
}

export const NOISE_ACTIONS = [
  "git.clone",
  "git.push",
  "repo.access",
  "team.add_member",
  "workflows.created_workflow_run",
  "workflows.completed_workflow_run",
] as const;
export type NoiseAction = (typeof NOISE_ACTIONS)[number];

/**
 * One routine event in `repo`'s org by `actor`. `repo.access` (a visibility change) only happens between private
 * and internal, in enterprise orgs, and really flips the repo; returns null when the action does not apply.
 */
export function writeNoise(
  state: EmulatorState,
  faults: FaultInjector,
  rng: Rng,
  repo: EmuRepo,
  actor: string,
  action: NoiseAction,
): string | null {
  const org = state.org(repo.owner);
  if (!org) return null;
  switch (action) {
    case "git.clone":
    case "git.push": {
      const fields = {
        repository: repo.fullName,
        repository_public: repo.visibility === "public",
        transport_protocol: 1,
        transport_protocol_name: "http",
      };
      writeAudit(state, faults, { action, org, repo, actor, operationType: "access", fields, userAgent: rng.pick(GIT_AGENTS) });
      return `${actor} ran ${action} on ${repo.fullName}`;
    }
    case "repo.access": {
      if (!org.enterprise || repo.visibility === "public") return null;
      const previous = repo.visibility;
      repo.visibility = previous === "private" ? "internal" : "private";
      state.touch();
      writeAudit(state, faults, {
        action,
        org,
        repo,
        actor,
        operationType: "modify",
        fields: { previous_visibility: previous },
        userAgent: rng.pick(BROWSER_AGENTS),
      });
      return `${actor} made ${repo.fullName} ${repo.visibility}`;
    }
    case "team.add_member": {
      const members = [...org.members, ...org.owners];
      const user = rng.pick(members.length > 0 ? members : [actor]);
      const team = `${org.login}/${rng.pick(TEAMS)}`;
      writeAudit(state, faults, {
        action,
        org,
        actor,
        operationType: "modify",
        fields: { team, user, user_id: state.user(user)?.id ?? 0 },
        userAgent: rng.pick(BROWSER_AGENTS),
      });
      return `${actor} added ${user} to team ${team}`;
    }
    case "workflows.created_workflow_run":
    case "workflows.completed_workflow_run": {
      const completed = action === "workflows.completed_workflow_run";
      const fields = {
        workflow_id: rng.int(1_000_000, 99_999_999),
        workflow_run_id: rng.int(1_000_000_000, 19_999_999_999),
        name: rng.pick(["CI", "CodeQL", "Deploy", "Release", "Lint"]),
        head_branch: rng.chance(0.6) ? repo.defaultBranch : `feature/${rng.hex(6)}`,
        head_sha: rng.hex(40),
        event: rng.pick(["push", "pull_request", "schedule", "workflow_dispatch"]),
        ...(completed ? { conclusion: rng.weighted([["success", 8], ["failure", 2], ["cancelled", 1]] as const) } : {}),
      };
      writeAudit(state, faults, { action, org, repo, actor, operationType: completed ? "modify" : "create", fields });
      return `${action} on ${repo.fullName}`;
    }
  }
}
