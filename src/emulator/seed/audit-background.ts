// Everyday audit-log activity (workflows, pull requests, teams, secrets, hooks, apps, Git events) and the writer that
// merges it with the world's facts in time order.
import type { AuditLogEvent, EmuRepo } from "../state/types.js";
import { DAY, HOUR, MINUTE } from "./common.js";
import { addRequest, addUser, baseEvent, factEvent, type ActorInfo, type AuditCtx, type OrgInfo } from "./audit-events.js";
import type { Rng } from "./rng.js";
import { ACTIONS_SECRET_NAMES, DELETED_REPO_NAMES, GIT_AGENTS, INTEGRATIONS, OAUTH_APPS, WORKFLOW_NAMES } from "./vocab.js";
import { RETENTION_MS, type Fact } from "./world-facts.js";

const enum K { Workflow, Repo, Sso, TeamMember, TeamRepo, RepoMember, Invite, RemoveMember, Branch, Hook, OrgSecret, RepoSecret, Oauth, Integration, IntegrationRepo, Token, Org, Ruleset, Destroy, TwoFactor, Business }

/** Kinds of event that name a repository. */
const REPO_KINDS: ReadonlySet<K> = new Set([K.Workflow, K.Repo, K.Branch, K.Ruleset, K.TeamRepo, K.RepoMember, K.RepoSecret, K.IntegrationRepo]);

/** [action, weight, operation_type, kind, via API?]. */
const WEB: readonly (readonly [string, number, string, K, boolean])[] = [
  ["workflows.completed_workflow_run", 200, "modify", K.Workflow, false],
  ["workflows.created_workflow_run", 140, "create", K.Workflow, false],
  ["pull_request.create", 80, "create", K.Repo, false],
  ["pull_request_review.submit", 60, "create", K.Repo, false],
  ["pull_request.merge", 50, "modify", K.Repo, false],
  ["pull_request.close", 12, "modify", K.Repo, false],
  ["org.sso_response", 55, "authentication", K.Sso, false],
  ["repo.download_zip", 12, "access", K.Repo, false],
  ["team.add_member", 10, "modify", K.TeamMember, false],
  ["team.remove_member", 4, "modify", K.TeamMember, false],
  ["team.add_repository", 7, "modify", K.TeamRepo, true],
  ["repo.add_member", 8, "modify", K.RepoMember, false],
  ["repo.remove_member", 3, "modify", K.RepoMember, false],
  ["org.invite_member", 5, "create", K.Invite, false],
  ["org.remove_member", 2, "remove", K.RemoveMember, false],
  ["protected_branch.create", 5, "create", K.Branch, true],
  ["protected_branch.update_required_approving_review_count", 3, "modify", K.Branch, false],
  ["protected_branch.policy_override", 3, "modify", K.Branch, false],
  ["protected_branch.destroy", 2, "remove", K.Branch, false],
  ["hook.create", 3, "create", K.Hook, true],
  ["hook.config_changed", 2, "modify", K.Hook, true],
  ["hook.destroy", 1, "remove", K.Hook, false],
  ["org.update_actions_secret", 5, "modify", K.OrgSecret, true],
  ["org.create_actions_secret", 3, "create", K.OrgSecret, true],
  ["repo.create_actions_secret", 6, "create", K.RepoSecret, true],
  ["repo.update_actions_secret", 5, "modify", K.RepoSecret, true],
  ["oauth_application.create", 1, "create", K.Oauth, false],
  ["integration_installation.create", 1, "create", K.Integration, false],
  ["integration_installation.repositories_added", 3, "modify", K.IntegrationRepo, false],
  ["personal_access_token.access_granted", 4, "create", K.Token, false],
  ["org_credential_authorization.grant", 5, "create", K.Token, false],
  ["repository_ruleset.update", 2, "modify", K.Ruleset, true],
  ["repository_ruleset.create", 1, "create", K.Ruleset, true],
  ["repo.update_actions_settings", 1, "modify", K.Repo, true],
  ["org.update_actions_settings", 0.5, "modify", K.Org, false],
  ["org.audit_log_export", 0.5, "create", K.Org, false],
  ["repo.destroy", 0.8, "remove", K.Destroy, false],
  ["org.enable_two_factor_requirement", 0.1, "modify", K.TwoFactor, false],
  ["business.update_actions_settings", 0.3, "modify", K.Business, false],
  ["business_secret_scanning_push_protection.enabled_for_new_repos", 0.1, "modify", K.Business, false],
  ["business.audit_log_export", 0.3, "create", K.Business, false],
];
const WEB_CUMULATIVE = (() => {
  let t = 0;
  return WEB.map((w) => (t += w[1]));
})();
const WEB_TOTAL = WEB_CUMULATIVE[WEB_CUMULATIVE.length - 1]!;

function pickWeb(rng: Rng): number {
  const x = rng.next() * WEB_TOTAL;
  let lo = 0;
  let hi = WEB_CUMULATIVE.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (WEB_CUMULATIVE[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Skewed toward the start of the list: a few people and repos are much busier than the rest. */
function skewed<T>(rng: Rng, list: readonly T[]): T {
  const r = rng.next();
  return list[Math.floor(r * r * list.length)]!;
}

function webEvent(ctx: AuditCtx, at: number): AuditLogEvent {
  const rng = ctx.rng;
  const o: OrgInfo = ctx.orgs[(rng.next() * ctx.orgs.length) >>> 0]!;
  let idx = pickWeb(rng);
  let [action, , operation, kind, api] = WEB[idx]!;
  if ((kind === K.Business && !ctx.business) || (kind === K.TwoFactor && !o.org.twoFactorRequirementEnabled) || ((kind === K.Invite || kind === K.RemoveMember) && o.plan.outsiders.length === 0)) {
    idx = 0;
    [action, , operation, kind, api] = WEB[0]!;
  }
  const actor: ActorInfo = kind === K.Business || kind === K.TwoFactor || kind === K.Org ? skewed(rng, o.owners) : skewed(rng, o.members);
  const repo: EmuRepo = skewed(rng, o.active);
  const withRepo = REPO_KINDS.has(kind) || (kind === K.Hook && rng.next() < 0.6);
  const e = baseEvent(ctx, at, action, operation, actor, kind === K.Business ? null : o.org, withRepo ? repo : null);
  switch (kind) {
    case K.Workflow:
      e.workflow_run_id = rng.int(9_000_000_000, 12_000_000_000);
      e.name = WORKFLOW_NAMES[(rng.next() * WORKFLOW_NAMES.length) >>> 0];
      e.head_branch = repo.defaultBranch;
      e.event = rng.next() < 0.6 ? "push" : "pull_request";
      if (idx === 0) e.conclusion = rng.next() < 0.85 ? "success" : "failure";
      break;
    case K.Repo:
    case K.Branch:
    case K.Ruleset:
      if (kind === K.Branch) e.name = repo.defaultBranch;
      if (kind === K.Ruleset) e.name = "Protect default branch";
      break;
    case K.Sso:
      e.external_identity_nameid = `${actor.login}@${ctx.world.company.slug}.com`;
      e.external_identity_username = e.external_identity_nameid;
      break;
    case K.TeamMember:
      e.team = `${o.org.login}/${o.plan.teams[(rng.next() * o.plan.teams.length) >>> 0]}`;
      addUser(ctx, e, skewed(rng, o.members).login);
      break;
    case K.TeamRepo:
      e.team = `${o.org.login}/${o.plan.teams[(rng.next() * o.plan.teams.length) >>> 0]}`;
      break;
    case K.RepoMember:
      addUser(ctx, e, skewed(rng, o.members).login);
      e.permission = rng.next() < 0.7 ? "write" : "admin";
      break;
    case K.Invite:
    case K.RemoveMember:
      addUser(ctx, e, o.plan.outsiders[(rng.next() * o.plan.outsiders.length) >>> 0]!);
      break;
    case K.Hook:
      e.hook_id = rng.int(400_000_000, 520_000_000);
      e.name = "web";
      e.active = true;
      break;
    case K.OrgSecret:
      e.name = ACTIONS_SECRET_NAMES[(rng.next() * ACTIONS_SECRET_NAMES.length) >>> 0];
      break;
    case K.RepoSecret:
      e.name = ACTIONS_SECRET_NAMES[(rng.next() * ACTIONS_SECRET_NAMES.length) >>> 0];
      break;
    case K.Oauth:
      e.name = OAUTH_APPS[(rng.next() * OAUTH_APPS.length) >>> 0];
      e.oauth_application_id = rng.int(1_000_000, 3_000_000);
      break;
    case K.Integration:
    case K.IntegrationRepo:
      e.name = INTEGRATIONS[(rng.next() * INTEGRATIONS.length) >>> 0];
      break;
    case K.Token:
      addUser(ctx, e, actor.login);
      break;
    case K.Destroy: {
      const name = `${DELETED_REPO_NAMES[(rng.next() * DELETED_REPO_NAMES.length) >>> 0]}-${rng.int(2, 99)}`;
      e.repo = `${o.org.login}/${name}`;
      e.repo_id = rng.int(100_000_000, 300_000_000);
      e.visibility = "private";
      break;
    }
    case K.Org:
    case K.TwoFactor:
    case K.Business:
      break;
  }
  addRequest(ctx, e, actor, at, api && rng.next() < 0.6);
  return e;
}

function gitEvent(ctx: AuditCtx, at: number): AuditLogEvent {
  const rng = ctx.rng;
  const o = ctx.orgs[(rng.next() * ctx.orgs.length) >>> 0]!;
  const r = rng.next();
  const action = r < 0.5 ? "git.clone" : r < 0.85 ? "git.fetch" : "git.push";
  const repo = skewed(rng, r < 0.85 ? o.plan.repos : o.active);
  const e = baseEvent(ctx, at, action, "access", skewed(rng, o.members), o.org);
  e.repository = repo.fullName;
  e.repository_public = repo.visibility === "public";
  const ssh = rng.next() < 0.35;
  e.transport_protocol = ssh ? 2 : 1;
  e.transport_protocol_name = ssh ? "ssh" : "http";
  e.user_agent = GIT_AGENTS[(rng.next() * GIT_AGENTS.length) >>> 0];
  return e;
}

/** `n` sorted times in [from, to), denser on weekdays and working hours (UTC). */
function times(rng: Rng, n: number, from: number, to: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; ) {
    const t = Math.floor(from + rng.next() * (to - from));
    const day = (Math.floor(t / DAY) + 4) % 7; // 1970-01-01 was a Thursday
    const hour = Math.floor(t / HOUR) % 24;
    const p = (day === 0 || day === 6 ? 0.3 : 1) * (hour >= 7 && hour < 20 ? 1 : 0.35);
    if (rng.next() < p) out[i++] = t;
  }
  return out.sort();
}

/** Writes exactly `total` events: the facts (a random subset if too many) plus background web and Git activity. */
export function writeAudit(ctx: AuditCtx, facts: Fact[], total: number, now: number): void {
  const rng = ctx.rng;
  const windowStart = now - RETENTION_MS;
  let kept = facts.filter((f) => f.at >= windowStart && f.at < now - 1000);
  const maxFacts = Math.floor(total * 0.6);
  if (kept.length > maxFacts) {
    for (let i = 0; i < maxFacts; i++) {
      const j = i + Math.floor(rng.next() * (kept.length - i));
      [kept[i], kept[j]] = [kept[j]!, kept[i]!];
    }
    kept = kept.slice(0, maxFacts);
  }
  kept.sort((a, b) => a.at - b.at);
  const rest = total - kept.length;
  const gitCount = Math.round(rest * 0.18);
  const webCount = rest - gitCount;
  const oldCount = Math.round(webCount * 0.08);
  const web = times(rng, webCount - oldCount, now - 90 * DAY, now - MINUTE);
  const old = times(rng, oldCount, windowStart, now - 90 * DAY);
  const git = times(rng, gitCount, now - 7 * DAY + HOUR, now - MINUTE);
  let f = 0;
  let w = 0;
  let o = 0;
  let g = 0;
  const state = ctx.state;
  for (let i = 0; i < total; i++) {
    const tf = f < kept.length ? kept[f]!.at : Infinity;
    const to = o < old.length ? old[o]! : Infinity;
    const tw = w < web.length ? web[w]! : Infinity;
    const tg = g < git.length ? git[g]! : Infinity;
    if (to <= tf && to <= tw && to <= tg) state.appendAudit(webEvent(ctx, old[o++]!));
    else if (tf <= tw && tf <= tg) state.appendAudit(factEvent(ctx, kept[f++]!));
    else if (tw <= tg) state.appendAudit(webEvent(ctx, web[w++]!));
    else state.appendAudit(gitEvent(ctx, git[g++]!), { git: true });
  }
}
