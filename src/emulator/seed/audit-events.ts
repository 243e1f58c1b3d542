// Turns facts and background activity into audit-log events (GitHub's field set) and writes them in time order.
import type { EmulatorState } from "../state/state.js";
import type { AuditLogEvent, EmuOrg, EmuRepo } from "../state/types.js";
import { ACTIONS_BOT, DEPENDABOT_BOT } from "./common.js";
import { documentId, hex, requestId } from "./ids.js";
import type { OrgPlan, WorldPlan } from "./org-world.js";
import type { Rng } from "./rng.js";
import { API_AGENTS, BROWSER_AGENTS } from "./vocab.js";
import type { Fact } from "./world-facts.js";

/** Who acts: shared per login, so a million events reuse the same strings and location objects. */
export interface ActorInfo {
  login: string;
  id: number;
  bot: boolean;
  location: { country_code: string; country_name: string } | null;
  hashedToken: string;
  tokenId: number;
}

export interface OrgInfo {
  plan: OrgPlan;
  org: EmuOrg;
  members: ActorInfo[];
  owners: ActorInfo[];
  /** Repos that still change (not archived); falls back to all repos. */
  active: EmuRepo[];
}

export interface AuditCtx {
  state: EmulatorState;
  rng: Rng;
  world: WorldPlan;
  business: { slug: string; id: number } | null;
  actors: Map<string, ActorInfo>;
  orgs: OrgInfo[];
  orgByLogin: Map<string, OrgInfo>;
}

const CLASSIC_SCOPES = "admin:org,read:audit_log,repo,workflow";

export function createAuditCtx(state: EmulatorState, world: WorldPlan, rng: Rng): AuditCtx {
  const locations = new Map<string, { country_code: string; country_name: string }>();
  const actors = new Map<string, ActorInfo>();
  let tokenId = rng.int(100_000_000, 300_000_000);
  for (const user of state.users.values()) {
    let location = locations.get(user.country.code);
    if (!location) locations.set(user.country.code, (location = { country_code: user.country.code, country_name: user.country.name }));
    const bot = user.type === "Bot";
    actors.set(user.login, {
      login: user.login,
      id: user.id,
      bot,
      location: bot ? null : location,
      hashedToken: Buffer.from(hex(rng, 64), "hex").toString("base64"),
      tokenId: (tokenId += rng.int(1, 50_000)),
    });
  }
  const info = (login: string) => actors.get(login)!;
  const orgs = world.orgs.map((plan): OrgInfo => {
    const active = plan.repos.filter((r) => !r.archived);
    return { plan, org: plan.org, members: plan.org.members.map(info), owners: plan.org.owners.map(info), active: active.length > 0 ? active : plan.repos };
  });
  return {
    state,
    rng,
    world,
    business: world.enterprise ? { slug: world.enterprise.slug, id: world.enterprise.id } : null,
    actors,
    orgs,
    orgByLogin: new Map(orgs.map((o) => [o.org.login, o])),
  };
}

/**
 * The fields every event has: time, ids, action, actor, location, enterprise, org and (for repo events) repo.
 * The common shapes are built as one literal each, so a million events share a few hidden classes and keep their
 * fields in-object (adding them one by one costs memory and time at this scale).
 */
export function baseEvent(
  ctx: AuditCtx,
  at: number,
  action: string,
  operation: string,
  actor: ActorInfo,
  org: EmuOrg | null,
  repo: EmuRepo | null = null,
): AuditLogEvent {
  const id = documentId(ctx.rng);
  const b = ctx.business;
  const loc = actor.location;
  if (loc !== null && org !== null) {
    const actorLogin = actor.login;
    const actorId = actor.id;
    if (b !== null) {
      return repo
        ? {
            "@timestamp": at, _document_id: id, action, actor: actorLogin, actor_id: actorId, actor_location: loc,
            business: b.slug, business_id: b.id, created_at: at, operation_type: operation, org: org.login, org_id: org.id,
            repo: repo.fullName, repo_id: repo.id, public_repo: repo.visibility === "public",
          }
        : {
            "@timestamp": at, _document_id: id, action, actor: actorLogin, actor_id: actorId, actor_location: loc,
            business: b.slug, business_id: b.id, created_at: at, operation_type: operation, org: org.login, org_id: org.id,
          };
    }
    return repo
      ? {
          "@timestamp": at, _document_id: id, action, actor: actorLogin, actor_id: actorId, actor_location: loc,
          created_at: at, operation_type: operation, org: org.login, org_id: org.id,
          repo: repo.fullName, repo_id: repo.id, public_repo: repo.visibility === "public",
        }
      : {
          "@timestamp": at, _document_id: id, action, actor: actorLogin, actor_id: actorId, actor_location: loc,
          created_at: at, operation_type: operation, org: org.login, org_id: org.id,
        };
  }
  const e: AuditLogEvent = { "@timestamp": at, _document_id: id, action, actor: actor.login, actor_id: actor.id };
  if (actor.bot) e.actor_is_bot = true;
  if (loc) e.actor_location = loc;
  if (b) {
    e.business = b.slug;
    e.business_id = b.id;
  }
  e.created_at = at;
  e.operation_type = operation;
  if (org) {
    e.org = org.login;
    e.org_id = org.id;
  }
  if (repo) addRepo(e, repo);
  return e;
}

export function addRepo(e: AuditLogEvent, repo: EmuRepo): void {
  e.repo = repo.fullName;
  e.repo_id = repo.id;
  e.public_repo = repo.visibility === "public";
}

export function addUser(ctx: AuditCtx, e: AuditLogEvent, login: string): void {
  e.user = login;
  const u = ctx.actors.get(login);
  if (u) e.user_id = u.id;
}

/** Request metadata: a browser for people in the UI, an API client (with token details) for automation. */
export function addRequest(ctx: AuditCtx, e: AuditLogEvent, actor: ActorInfo, at: number, api: boolean): void {
  const rng = ctx.rng;
  if (api) {
    e.programmatic_access_type = "Personal access token (classic)";
    e.hashed_token = actor.hashedToken;
    e.token_id = actor.tokenId;
    e.token_scopes = CLASSIC_SCOPES;
    e.user_agent = API_AGENTS[(rng.next() * API_AGENTS.length) >>> 0];
  } else {
    e.user_agent = BROWSER_AGENTS[(rng.next() * BROWSER_AGENTS.length) >>> 0];
  }
  e.request_id = requestId(rng, at);
}

const OPERATION: Readonly<Record<string, string>> = {
  create: "create", add_member: "create", invite_member: "create", bypass: "create", public_leak: "create", add_security_manager: "create",
  destroy: "remove", remove_member: "remove", disable: "modify", enable: "modify", access: "modify", archived: "modify",
  advanced_security_disabled: "modify", disable_two_factor_requirement: "modify", update_member: "modify",
  resolve: "modify", dismiss: "modify", reopen: "modify", auto_dismiss: "modify",
};

export function operationOf(action: string): string {
  return OPERATION[action.slice(action.lastIndexOf(".") + 1)] ?? "modify";
}

/** The event for a fact derived from the world or an alert's history. */
export function factEvent(ctx: AuditCtx, fact: Fact): AuditLogEvent {
  const actor = ctx.actors.get(fact.actor) ?? ctx.actors.get(ctx.world.admin.login)!;
  const e = baseEvent(ctx, fact.at, fact.action, operationOf(fact.action), actor, fact.org, fact.repo ?? null);
  if (fact.user) addUser(ctx, e, fact.user);
  if (fact.extra) for (const k in fact.extra) e[k] = fact.extra[k];
  if (actor.login !== DEPENDABOT_BOT.login && actor.login !== ACTIONS_BOT.login) addRequest(ctx, e, actor, fact.at, ctx.rng.chance(0.2));
  return e;
}
