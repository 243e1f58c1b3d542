// Who may read or change which alerts: repo, org and enterprise resolution (slugs and numeric ids), GitHub's
// permission checks per alert kind, and the feature-disabled errors each kind answers with.
import type { EmuContext } from "../../http/context.js";
import type { EmulatorState } from "../../state/state.js";
import type { EmuEnterprise, EmuOrg, EmuRepo, EmuToken } from "../../state/types.js";
import { requireAccess, requireCaller } from "../../http/auth.js";
import { GitHubHttpError, notFound } from "../../http/errors.js";

export type AlertKind = "code_scanning" | "dependabot" | "secret_scanning";

const ACCESS: Record<AlertKind, { permission: string; scopes: string[] }> = {
  code_scanning: { permission: "security_events", scopes: ["security_events", "repo"] },
  dependabot: { permission: "vulnerability_alerts", scopes: ["security_events", "repo"] },
  secret_scanning: { permission: "secret_scanning_alerts", scopes: ["repo", "security_events"] },
};

const DOC_BASE: Record<AlertKind, string> = {
  code_scanning: "https://docs.github.com/rest/code-scanning/code-scanning#",
  dependabot: "https://docs.github.com/rest/dependabot/alerts#",
  secret_scanning: "https://docs.github.com/rest/secret-scanning/secret-scanning#",
};

/** GitHub's `documentation_url` for an operation, e.g. `doc("dependabot", "update-a-dependabot-alert")`. */
export const doc = (kind: AlertKind, anchor: string): string => DOC_BASE[kind] + anchor;

export const ADVANCED_SECURITY_OFF = "Advanced Security must be enabled for this repository to use code scanning.";
export const DEPENDABOT_OFF = "Dependabot alerts are disabled for this repository.";
export const SECRET_SCANNING_OFF = "Secret scanning is disabled on this repository.";
export const ARCHIVED = "Repository was archived so is read-only.";

/** Whether the repo produces alerts of this kind (org and enterprise lists cover only these repos). */
export function featureOn(kind: AlertKind, repo: EmuRepo): boolean {
  switch (kind) {
    case "code_scanning":
      return repo.visibility === "public" || repo.features.advanced_security || repo.features.code_security;
    case "dependabot":
      return repo.features.dependabot_alerts;
    case "secret_scanning":
      return repo.features.secret_scanning;
  }
}

function featureError(kind: AlertKind, documentationUrl: string): GitHubHttpError {
  switch (kind) {
    case "code_scanning":
      return new GitHubHttpError(403, ADVANCED_SECURITY_OFF, { documentationUrl });
    case "dependabot":
      return new GitHubHttpError(403, DEPENDABOT_OFF, { documentationUrl });
    case "secret_scanning":
      return new GitHubHttpError(404, SECRET_SCANNING_OFF, { documentationUrl });
  }
}

/** The repo named by `:owner/:repo` or `:repoId` (the `/repositories/{id}` alias). */
function repoOf(c: EmuContext, state: EmulatorState): EmuRepo | undefined {
  const id = c.req.param("repoId");
  if (id !== undefined) return /^\d+$/.test(id) ? state.repoById(Number(id)) : undefined;
  return state.repo(c.req.param("owner") ?? "", c.req.param("repo") ?? "");
}

export interface RepoScope {
  repo: EmuRepo;
  org: EmuOrg;
  token: EmuToken;
}

/** Resolves the repo and enforces access, feature state and (for writes) the archived flag. */
export function repoAccess(
  c: EmuContext,
  state: EmulatorState,
  kind: AlertKind,
  level: "read" | "write",
  documentationUrl: string,
): RepoScope {
  requireCaller(c);
  const repo = repoOf(c, state);
  const org = repo ? state.org(repo.owner) : undefined;
  if (!repo || !org) throw notFound(documentationUrl);
  const { permission, scopes } = ACCESS[kind];
  const token = requireAccess(
    c,
    org,
    { permission, level, scopes: repo.visibility === "public" ? [...scopes, "public_repo"] : scopes },
    documentationUrl,
  );
  if (!featureOn(kind, repo)) throw featureError(kind, documentationUrl);
  if (level === "write" && repo.archived) throw new GitHubHttpError(403, ARCHIVED, { documentationUrl });
  return { repo, org, token };
}

/** Resolves `:org` (or the `/organizations/{id}` alias) and requires an owner or security manager. */
export function orgAccess(c: EmuContext, state: EmulatorState, kind: AlertKind, documentationUrl: string): EmuOrg {
  requireCaller(c);
  const id = c.req.param("orgId");
  const org = id !== undefined ? (/^\d+$/.test(id) ? state.orgById(Number(id)) : undefined) : state.org(c.req.param("org") ?? "");
  if (!org) throw notFound(documentationUrl);
  const { permission, scopes } = ACCESS[kind];
  requireAccess(c, org, { permission, level: "read", scopes, role: "security" }, documentationUrl);
  return org;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Enterprise lists: classic tokens only (installations and fine-grained PATs get 403). Enterprise owners see every
 * org of the enterprise; other enterprise members see the orgs they own or are security manager of.
 */
export function enterpriseAccess(
  c: EmuContext,
  state: EmulatorState,
  kind: AlertKind,
  documentationUrl: string,
): { enterprise: EmuEnterprise; orgs: EmuOrg[] } {
  const token = requireCaller(c);
  const slug = c.req.param("enterprise") ?? "";
  const enterprise = state.enterprise(slug) ?? (/^\d+$/.test(slug) ? state.enterpriseById(Number(slug)) : undefined);
  if (token.kind === "installation") {
    throw new GitHubHttpError(403, "Resource not accessible by integration", { documentationUrl });
  }
  if (!enterprise) throw notFound(documentationUrl);
  if (token.kind !== "classic") {
    throw new GitHubHttpError(403, "Resource not accessible by personal access token", { documentationUrl });
  }
  const all = state.orgsOfEnterprise(enterprise.slug);
  const login = token.login;
  const isOwner = enterprise.owners.some((o) => same(o, login));
  const member = (o: EmuOrg) => [...o.owners, ...o.securityManagers, ...o.members].some((m) => same(m, login));
  if (!isOwner && !all.some(member)) throw notFound(documentationUrl);
  const { scopes } = ACCESS[kind];
  if (!scopes.some((s) => token.scopes.includes(s))) {
    throw new GitHubHttpError(403, "Resource not accessible by personal access token", {
      headers: { "x-accepted-oauth-scopes": scopes.join(", ") },
      documentationUrl,
    });
  }
  const manages = (o: EmuOrg) => [...o.owners, ...o.securityManagers].some((m) => same(m, login));
  const reachable = (o: EmuOrg) => token.orgs === "*" || token.orgs.some((t) => same(t, o.login));
  const orgs = all.filter((o) => reachable(o) && (isOwner || manages(o)));
  orgs.sort((a, b) => a.id - b.id);
  return { enterprise, orgs };
}

/** Repos of the given orgs whose feature for this kind is on (archived repos included, as on GitHub). */
export function* reposWithFeature(state: EmulatorState, orgs: EmuOrg[], kind: AlertKind): Iterable<EmuRepo> {
  const wanted = new Set(orgs.map((o) => o.login.toLowerCase()));
  for (const repo of state.repos.values()) {
    if (wanted.has(repo.owner.toLowerCase()) && featureOn(kind, repo)) yield repo;
  }
}

/** Route prefixes for a repo: by name, and the numeric-id alias GitHub uses in Link headers. */
export const REPO_PREFIXES = ["/repos/:owner/:repo", "/repositories/:repoId"] as const;
/** Route prefixes for an org: by login, and the numeric-id alias. */
export const ORG_PREFIXES = ["/orgs/:org", "/organizations/:orgId"] as const;

/** The `:number` path parameter as an alert number, or null when it is not one. */
export function alertNumber(c: EmuContext): number | null {
  const raw = c.req.param("number") ?? "";
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}
