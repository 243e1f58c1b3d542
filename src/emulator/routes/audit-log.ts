// GET /orgs/{org}/audit-log and GET /enterprises/{enterprise}/audit-log (plus the numeric-id paths GitHub's Link
// headers use): cursor pagination, `phrase` search, include web/git/all, default window, retention, late events.
// Choices where GitHub's behaviour is not documented: a bad `phrase`, `include` or `order` is a 422 "Validation
// Failed" naming the field; "three months" is 90 days; the enterprise log honours `page` only without a cursor.
import type { EmuApp, EmuContext, RouteDeps } from "../http/context.js";
import { requireAccess, requireCaller, isMember } from "../http/auth.js";
import { GitHubHttpError, notFound, validationFailed } from "../http/errors.js";
import { paginate } from "../http/pagination.js";
import { send } from "../http/respond.js";
import type { EmulatorState } from "../state/state.js";
import type { AuditRecord, EmuEnterprise, EmuOrg } from "../state/types.js";
import { parsePhrase, PhraseSyntaxError, type ParsedPhrase, type PhraseScope } from "../audit/phrase.js";
import { AuditViewCache, type AuditInclude, type AuditViewQuery } from "../audit/view.js";

const ORG_DOCS = "https://docs.github.com/enterprise-cloud@latest/rest/orgs/orgs#get-the-audit-log-for-an-organization";
const ENT_DOCS =
  "https://docs.github.com/enterprise-cloud@latest/rest/enterprise-admin/audit-log#get-the-audit-log-for-an-enterprise";

const keyOf = (r: AuditRecord) => [r.at, r.seq] as const;

function enumParam<T extends string>(c: EmuContext, name: string, allowed: readonly T[], fallback: T, docs: string): T {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw validationFailed(
    [{ resource: "AuditLog", field: name, code: "invalid", message: `${name} must be one of: ${allowed.join(", ")}` }],
    docs,
  );
}

function phraseParam(c: EmuContext, scope: PhraseScope, docs: string): ParsedPhrase {
  try {
    return parsePhrase(c.req.query("phrase") ?? "", scope);
  } catch (err) {
    if (!(err instanceof PhraseSyntaxError)) throw err;
    throw validationFailed([{ resource: "AuditLog", field: "phrase", code: "invalid", message: err.message }], docs);
  }
}

/** Answers one audit-log request for an already authorized scope. */
function serve(
  c: EmuContext,
  cache: AuditViewCache,
  scope: { kind: PhraseScope; key: string; inScope: AuditViewQuery["inScope"]; linkPath: string; docs: string },
): Response {
  const include = enumParam<AuditInclude>(c, "include", ["web", "git", "all"], "web", scope.docs);
  const order = enumParam(c, "order", ["desc", "asc"] as const, "desc", scope.docs);
  const phrase = phraseParam(c, scope.kind, scope.docs);
  const view = cache.view({ scopeKey: scope.key, inScope: scope.inScope, phrase, include });
  const desc = order === "desc";
  // The org endpoint is cursor-only on GHEC (`page` ignored); the enterprise spec also lists `page`, honoured
  // only when sent without a cursor.
  const q = c.req.queries();
  const pageMode = scope.kind === "enterprise" && q["page"] !== undefined && q["after"] === undefined && q["before"] === undefined;
  const page = paginate(c, {
    items: desc ? view.desc() : view.asc,
    keyOf,
    desc,
    page: pageMode,
    cursor: !pageMode,
    linkPath: scope.linkPath,
  });
  return send(c, page.items.map((r) => r.event), 200, page.link ? { link: page.link } : {});
}

function orgScope(org: EmuOrg) {
  const login = org.login.toLowerCase();
  return {
    kind: "org" as const,
    key: `org:${login}`,
    inScope: (r: AuditRecord) => {
      for (const o of r.orgs) if (o === org.login || (o.length === login.length && o.toLowerCase() === login)) return true;
      return false;
    },
    linkPath: `/organizations/${org.id}/audit-log`,
    docs: ORG_DOCS,
  };
}

function enterpriseScope(ent: EmuEnterprise) {
  const slug = ent.slug.toLowerCase();
  return {
    kind: "enterprise" as const,
    key: `enterprise:${slug}`,
    inScope: (r: AuditRecord) =>
      r.enterprise === ent.slug || (r.enterprise?.length === slug.length && r.enterprise.toLowerCase() === slug),
    linkPath: `/enterprises/${ent.id}/audit-log`,
    docs: ENT_DOCS,
  };
}

/** Org audit log: GHEC orgs only (404 otherwise), org owners, Administration read / `read:audit_log`. */
function authorizeOrg(c: EmuContext, org: EmuOrg | undefined): EmuOrg {
  if (!org || org.plan !== "enterprise") throw notFound(ORG_DOCS);
  requireAccess(
    c,
    org,
    { permission: "organization_administration", level: "read", scopes: ["read:audit_log", "admin:org"], role: "owner" },
    ORG_DOCS,
  );
  return org;
}

/** Enterprise audit log: only classic tokens (or OAuth) of enterprise owners with `read:audit_log`/`admin:enterprise`. */
function authorizeEnterprise(c: EmuContext, state: EmulatorState, ent: EmuEnterprise | undefined): EmuEnterprise {
  if (!ent) throw notFound(ENT_DOCS);
  const token = requireCaller(c);
  if (token.kind === "installation") {
    throw new GitHubHttpError(403, "Resource not accessible by integration", { documentationUrl: ENT_DOCS });
  }
  if (token.kind !== "classic") {
    throw new GitHubHttpError(403, "Resource not accessible by personal access token", { documentationUrl: ENT_DOCS });
  }
  const login = token.login.toLowerCase();
  if (!ent.owners.some((o) => o.toLowerCase() === login)) {
    // Members of the enterprise's orgs learn that it exists; anyone else gets GitHub's usual 404.
    const member = state.orgsOfEnterprise(ent.slug).some((o) => isMember(o, token.login));
    if (!member) throw notFound(ENT_DOCS);
    throw new GitHubHttpError(403, "Must be an enterprise owner to access the audit log.", { documentationUrl: ENT_DOCS });
  }
  const scopes = ["read:audit_log", "admin:enterprise"];
  if (!scopes.some((s) => token.scopes.includes(s))) {
    throw new GitHubHttpError(403, "Resource not accessible by personal access token", {
      documentationUrl: ENT_DOCS,
      headers: { "x-accepted-oauth-scopes": scopes.join(", ") },
    });
  }
  return ent;
}

const caches = new WeakMap<EmulatorState, AuditViewCache>();

/** How often the audit views of a state were rebuilt (tests and the benchmark check walks do not re-scan). */
export function auditViewStats(state: EmulatorState): AuditViewCache["stats"] | null {
  return caches.get(state)?.stats ?? null;
}

const numericId = (raw: string): number | null => (/^\d+$/.test(raw) ? Number(raw) : null);

export function registerAuditLog(app: EmuApp, deps: RouteDeps): void {
  const { state } = deps;
  const cache = new AuditViewCache(state);
  caches.set(state, cache);

  const orgRoute = (c: EmuContext, org: EmuOrg | undefined) => {
    c.set("routeName", "GET /orgs/{org}/audit-log");
    return serve(c, cache, orgScope(authorizeOrg(c, org)));
  };
  app.get("/orgs/:org/audit-log", (c) => orgRoute(c, state.org(c.req.param("org"))));
  app.get("/organizations/:id/audit-log", (c) => {
    const id = numericId(c.req.param("id"));
    return orgRoute(c, id === null ? undefined : state.orgById(id));
  });

  // `{enterprise}` is the slug or the numeric id (Link headers use the id).
  app.get("/enterprises/:enterprise/audit-log", (c) => {
    c.set("routeName", "GET /enterprises/{enterprise}/audit-log");
    const raw = c.req.param("enterprise");
    const id = numericId(raw);
    const ent = state.enterprise(raw) ?? (id === null ? undefined : state.enterpriseById(id));
    return serve(c, cache, enterpriseScope(authorizeEnterprise(c, state, ent)));
  });
}
