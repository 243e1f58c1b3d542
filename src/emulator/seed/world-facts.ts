// Audit facts implied by the generated world (repo creation, visibility changes, archiving, features turned off,
// members joining, 2FA requirement dropped), so the audit log agrees with the state.
import type { EmuOrg, EmuRepo } from "../state/types.js";
import { DAY, HOUR, between } from "./common.js";
import type { OrgPlan, WorldPlan } from "./org-world.js";
import type { Rng } from "./rng.js";

/** One audit event to write, before it gets ids, actor details and org/enterprise fields. */
export interface Fact {
  at: number;
  action: string;
  actor: string;
  /** `null` for enterprise-level events (they carry only `business`). */
  org: EmuOrg | null;
  repo?: EmuRepo;
  user?: string;
  extra?: Record<string, unknown>;
}

/** Web events are kept 180 days; stay a little inside that. */
export const RETENTION_MS = 178 * DAY;

function admins(plan: OrgPlan): string[] {
  return [...plan.org.owners, ...plan.org.securityManagers];
}

function repoFacts(facts: Fact[], plan: OrgPlan, repo: EmuRepo, rng: Rng, now: number, end: number, showcase: boolean): void {
  const windowStart = now - RETENTION_MS;
  const org = plan.org;
  const from = Math.max(repo.createdAt + HOUR, windowStart);
  const to = end - HOUR;
  const inWindow = () => between(rng, from, to);
  let created = repo.visibility;
  if (from < to && (rng.chance(0.1) || showcase)) {
    const previous = repo.visibility === "public" ? (rng.chance(0.7) ? "private" : "internal") : repo.visibility === "private" ? "public" : "private";
    const prev = org.enterprise === null && previous === "internal" ? "private" : previous;
    created = prev;
    facts.push({ at: inWindow(), action: "repo.access", actor: rng.pick(admins(plan)), org, repo, extra: { visibility: repo.visibility, previous_visibility: prev } });
  }
  if (repo.createdAt >= windowStart) {
    facts.push({ at: repo.createdAt, action: "repo.create", actor: rng.pick(org.members), org, repo, extra: { visibility: created } });
  }
  if (repo.archived && end >= windowStart && end < now) facts.push({ at: end, action: "repo.archived", actor: rng.pick(admins(plan)), org, repo });
  if (from >= to) return;
  const f = repo.features;
  const off = (cond: boolean, action: string, p = 0.6) => {
    if (cond && rng.chance(p)) facts.push({ at: inWindow(), action, actor: rng.pick(admins(plan)), org, repo });
  };
  off(!f.secret_scanning && (repo.visibility === "public" || f.advanced_security), "repository_secret_scanning.disable");
  off(f.secret_scanning && !f.secret_scanning_push_protection, "repository_secret_scanning_push_protection.disable");
  off(!f.dependabot_alerts, "repository_vulnerability_alerts.disable");
  off(!f.advanced_security && repo.visibility !== "public", "repo.advanced_security_disabled");
  off(f.dependabot_alerts && !f.dependabot_security_updates, "repository_security_updates.disable", 0.3);
  off(f.secret_scanning, "repository_secret_scanning.enable", 0.06);
  off(f.secret_scanning_push_protection, "repository_secret_scanning_push_protection.enable", 0.06);
  off(f.dependabot_alerts, "repository_vulnerability_alerts.enable", 0.06);
}

function orgFacts(facts: Fact[], plan: OrgPlan, rng: Rng, now: number, showcase: boolean): void {
  const org = plan.org;
  const windowStart = now - RETENTION_MS;
  const owner = () => rng.pick(org.owners);
  if (!org.twoFactorRequirementEnabled) {
    facts.push({ at: between(rng, now - 90 * DAY, now - HOUR), action: "org.disable_two_factor_requirement", actor: owner(), org });
  }
  for (const login of org.members) {
    if (org.owners.includes(login) || !rng.chance(0.08)) continue;
    const at = between(rng, windowStart + 3 * DAY, now - HOUR);
    facts.push({ at: at - between(rng, HOUR, 3 * DAY), action: "org.invite_member", actor: owner(), org, user: login });
    facts.push({ at, action: "org.add_member", actor: owner(), org, user: login, extra: { permission: "read" } });
  }
  const promoted = org.owners.filter((o) => o !== org.owners[0]);
  if (promoted.length > 0 && (rng.chance(0.3) || showcase)) {
    facts.push({ at: between(rng, windowStart, now - HOUR), action: "org.update_member", actor: org.owners[0]!, org, user: rng.pick(promoted), extra: { permission: "admin", old_permission: "read" } });
  }
  if (rng.chance(0.4)) {
    facts.push({ at: between(rng, windowStart, now - HOUR), action: "org.add_security_manager", actor: owner(), org, extra: { team: `${org.login}/security` } });
  }
}

/** Appends the world's facts to `plan.facts`. The first org always shows a promotion and a visibility change. */
export function addWorldFacts(plan: WorldPlan, rng: Rng, now: number): void {
  plan.orgs.forEach((op, i) => {
    orgFacts(plan.facts, op, rng, now, i === 0);
    op.repos.forEach((repo, j) => repoFacts(plan.facts, op, repo, rng, now, plan.archivedAt.get(repo) ?? now, i === 0 && j === 1));
  });
}
