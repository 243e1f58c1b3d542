// GET /orgs/{org} (organization-full; private fields only for owners) and GET /orgs/{org}/repos (with
// `security_and_analysis` only for owners, security managers and apps with Administration read).
import { isoSeconds } from "../../core/clock.js";
import type { EmuApp, EmuContext, RouteDeps } from "../http/context.js";
import { isMember, reachesOrg } from "../http/auth.js";
import { notFound } from "../http/errors.js";
import { paginate } from "../http/pagination.js";
import { send } from "../http/respond.js";
import { minimalRepository, simpleOrganization } from "../render.js";
import type { EmulatorState } from "../state/state.js";
import type { EmuOrg, EmuRepo } from "../state/types.js";

const ORG_DOCS = "https://docs.github.com/rest/orgs/orgs#get-an-organization";
const REPOS_DOCS = "https://docs.github.com/rest/repos/repos#list-organization-repositories";

function renderOrg(state: EmulatorState, org: EmuOrg, full: boolean) {
  const base = state.baseUrl;
  const repos = state.reposOf(org.login);
  const publicRepos = repos.filter((r) => r.visibility === "public").length;
  const body: Record<string, unknown> = {
    ...simpleOrganization(state, org),
    description: `${org.name} engineering`,
    name: org.name,
    is_verified: false,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `${base}/${org.login}`,
    created_at: isoSeconds(org.createdAt),
    updated_at: isoSeconds(org.createdAt),
    archived_at: null,
    type: "Organization",
  };
  if (full) {
    Object.assign(body, {
      total_private_repos: repos.length - publicRepos,
      owned_private_repos: repos.length - publicRepos,
      private_gists: 0,
      disk_usage: repos.length * 1024,
      collaborators: 0,
      billing_email: null,
      plan: {
        name: org.plan === "enterprise" ? "enterprise" : org.plan,
        space: 976562499,
        private_repos: 999999,
        filled_seats: org.members.length + org.owners.length,
        seats: org.members.length + org.owners.length + 10,
      },
      default_repository_permission: "read",
      members_can_create_repositories: true,
      two_factor_requirement_enabled: org.twoFactorRequirementEnabled,
      members_allowed_repository_creation_type: "all",
      members_can_create_public_repositories: false,
      members_can_create_private_repositories: true,
      members_can_create_internal_repositories: true,
      members_can_create_pages: true,
      members_can_fork_private_repositories: false,
      web_commit_signoff_required: false,
      deploy_keys_enabled_for_repositories: true,
    });
  }
  return body;
}

/**
 * GitHub shows an org's private details (`plan`, seats, private repo counts...) only to its owners, with `admin:org`
 * for a classic token or Organization administration for a fine-grained one, and to Apps with the Organization
 * administration or plan permission; everyone else, members too, gets the public view.
 */
function seesFullDetails(c: EmuContext, org: EmuOrg): boolean {
  const token = c.get("caller").token;
  if (!token || !reachesOrg(token, org)) return false;
  if (token.kind === "installation") return token.permissions["organization_administration"] !== undefined || token.permissions["organization_plan"] !== undefined;
  if (!org.owners.some((m) => m.toLowerCase() === token.login.toLowerCase())) return false;
  return token.kind === "classic" ? token.scopes.includes("admin:org") : token.permissions["organization_administration"] !== undefined;
}

function canSeeSecurity(c: EmuContext, org: EmuOrg): boolean {
  const token = c.get("caller").token;
  if (!token || !reachesOrg(token, org)) return false;
  if (token.kind === "installation") return token.permissions["administration"] !== undefined;
  const login = token.login.toLowerCase();
  const privileged = [...org.owners, ...org.securityManagers].some((m) => m.toLowerCase() === login);
  if (!privileged) return false;
  return token.kind === "classic" ? token.scopes.includes("repo") : token.permissions["administration"] !== undefined;
}

const SORTS: Record<string, (r: EmuRepo) => number | string> = {
  created: (r) => r.createdAt,
  updated: (r) => r.updatedAt,
  pushed: (r) => r.pushedAt,
  full_name: (r) => r.fullName.toLowerCase(),
};

function visibleRepos(c: EmuContext, state: EmulatorState, org: EmuOrg): EmuRepo[] {
  const token = c.get("caller").token;
  const insider = token !== null && reachesOrg(token, org) && (token.kind === "installation" || isMember(org, token.login));
  const type = c.req.query("type") ?? "all";
  return state.reposOf(org.login).filter((r) => {
    if (!insider && r.visibility !== "public") return false;
    switch (type) {
      case "public":
        return r.visibility === "public";
      case "private":
        return r.visibility === "private";
      case "internal":
        return r.visibility === "internal";
      case "forks":
        return r.fork;
      case "sources":
        return !r.fork;
      default:
        return true;
    }
  });
}

export function registerOrgs(app: EmuApp, { state }: RouteDeps): void {
  app.get("/orgs/:org", (c) => {
    const org = state.org(c.req.param("org"));
    if (!org) throw notFound(ORG_DOCS);
    return send(c, renderOrg(state, org, seesFullDetails(c, org)));
  });

  app.get("/orgs/:org/repos", (c) => {
    const org = state.org(c.req.param("org"));
    if (!org) throw notFound(REPOS_DOCS);
    const sort = c.req.query("sort") ?? "created";
    const keyOf = SORTS[sort] ?? SORTS["created"]!;
    const direction = c.req.query("direction") ?? (sort === "full_name" ? "asc" : "desc");
    const desc = direction === "desc";
    const repos = visibleRepos(c, state, org).sort((a, b) => {
      const ka = keyOf(a);
      const kb = keyOf(b);
      const cmp = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
      return desc ? -cmp : cmp;
    });
    const showSecurity = canSeeSecurity(c, org);
    const page = paginate(c, { items: repos, keyOf: (r) => [keyOf(r), r.id], desc, page: true, cursor: false });
    return send(
      c,
      page.items.map((r) => minimalRepository(state, r, showSecurity)),
      200,
      page.link ? { link: page.link } : {},
    );
  });
}
