// Turns a failed GitHub request into an AppError a user can act on: what went wrong, for which org and stream,
// and what to change (token scope, App permission, feature to enable, when a rate limit resets).
import { RequestError } from "@octokit/request-error";
import { AppError, type AppErrorOptions, type ErrorCode } from "../core/errors.js";
import { redactTokens } from "../core/secret.js";
import { describePermission, normalizeStream, parseAcceptedPermissions, parseScopes, permissionSetting, streamNeeds } from "./permissions.js";
import { resetText } from "./rate-limits.js";
import { tokenKindLabel, type TokenKind } from "./token-kind.js";

export interface ExplainContext {
  org?: string;
  enterprise?: string;
  repo?: string;
  /** Source type (`dependabot`, `org-audit-log`, ...) or config key (`audit_log`). */
  stream?: string;
  tokenKind?: TokenKind;
  /** Epoch ms used to say how long until a rate limit resets (default: now). */
  now?: number;
}

/** sysexits-style exit codes: 77 permission, 69 unavailable, 75 try again later. */
const EXIT = { perm: 77, unavailable: 69, tempfail: 75 } as const;

function headerOf(err: RequestError, name: string): string | undefined {
  const v = err.response?.headers[name];
  return v === undefined ? undefined : String(v);
}

function pathOf(err: RequestError): string {
  try {
    return new URL(err.request.url).pathname.replace(/^\/api\/v3(?=\/)/, "");
  } catch {
    return err.request.url;
  }
}

/** GitHub's own message, without the " - https://docs…" suffix Octokit appends. */
function githubMessage(err: RequestError): string {
  const data = err.response?.data;
  if (data && typeof data === "object" && "message" in data && typeof data.message === "string") return data.message;
  return err.message.replace(/ - https:\/\/docs\.github\.com\S*$/, "");
}

function where(ctx: ExplainContext, repo: string | undefined): string {
  const target = repo ? `repository ${repo}` : ctx.org ? `org "${ctx.org}"` : ctx.enterprise ? `enterprise "${ctx.enterprise}"` : "GitHub";
  const stream = normalizeStream(ctx.stream);
  return stream ? `${target} (${stream} stream)` : target;
}

function make(code: ErrorCode, message: string, hint: string, err: RequestError, extra: AppErrorOptions = {}): AppError {
  return new AppError(code, redactTokens(message), {
    hint: redactTokens(hint),
    status: extra.status ?? 502,
    exitCode: extra.exitCode ?? EXIT.perm,
    cause: err,
    details: {
      status: err.status,
      route: `${err.request.method} ${pathOf(err)}`,
      requestId: headerOf(err, "x-github-request-id"),
      ...(extra.details as object | undefined),
    },
  });
}

function rateLimited(err: RequestError, ctx: ExplainContext, at: string): AppError | null {
  const message = githubMessage(err);
  if (/secondary rate limit/i.test(message)) {
    const after = Number(headerOf(err, "retry-after"));
    const wait = Number.isFinite(after) && after > 0 ? `retry after ${after} s` : "wait at least a minute before retrying";
    return make("github-rate-limited", `GitHub's secondary rate limit stopped requests for ${at}; ${wait}.`,
      "Secondary limits punish bursts: lower poll.interval's concurrency, or run fewer collectors on the same token.", err,
      { status: 503, exitCode: EXIT.tempfail, details: { retryAfterSeconds: Number.isFinite(after) ? after : null } });
  }
  if (headerOf(err, "x-ratelimit-remaining") !== "0" && !/rate limit exceeded/i.test(message)) return null;
  const reset = Number(headerOf(err, "x-ratelimit-reset")) * 1000;
  const resource = headerOf(err, "x-ratelimit-resource") ?? "core";
  const now = ctx.now ?? Date.now();
  const when = Number.isFinite(reset) && reset > 0 ? `it resets at ${resetText(reset, now)}` : "wait for its hourly reset";
  return make("github-rate-limited", `GitHub's rate limit for "${resource}" is used up for ${at}; ${when}.`,
    "ghaudit resumes by itself after the reset. To go faster, use a GitHub App (higher limits) or raise poll.interval.", err,
    { status: 503, exitCode: EXIT.tempfail, details: { resource, resetAt: Number.isFinite(reset) ? reset : null } });
}

/** Enterprise endpoints: GitHub accepts classic tokens (and OAuth) only, never fine-grained tokens or Apps. */
function enterpriseOnlyClassic(err: RequestError, ctx: ExplainContext, label: string): AppError {
  const alerts = normalizeStream(ctx.stream) !== "enterprise-audit-log" && ctx.stream !== undefined;
  return make("github-missing-permission", `${where(ctx, undefined)} cannot be read with a ${label}: enterprise endpoints need a classic personal access token.`,
    `Create a classic personal access token (Settings → Developer settings → Personal access tokens (classic)) of an enterprise owner with ${alerts ? "security_events (or repo)" : "read:audit_log"}, and set it as GITHUB_TOKEN or github.auth.token.`,
    err);
}

function missingAccess(err: RequestError, ctx: ExplainContext, at: string, path: string): AppError {
  const kind = ctx.tokenKind ?? (/by integration/i.test(githubMessage(err)) ? "installation" : "unknown");
  const label = tokenKindLabel(kind);
  const needs = streamNeeds(ctx.stream);
  const acceptedScopes = parseScopes(headerOf(err, "x-accepted-oauth-scopes"));
  const granted = parseScopes(headerOf(err, "x-oauth-scopes"));
  const acceptedPerms = parseAcceptedPermissions(headerOf(err, "x-accepted-github-permissions"));
  const classic = kind === "classic" || kind === "oauth" || (kind === "unknown" && acceptedScopes.length > 0 && acceptedPerms.length === 0);
  const enterprise = path.startsWith("/enterprises/") || (!ctx.org && ctx.enterprise !== undefined);
  if (enterprise && !classic && kind !== "unknown") return enterpriseOnlyClassic(err, ctx, label);

  if (classic) {
    const role = enterprise ? "an enterprise owner" : needs?.role;
    const scopes = acceptedScopes.length > 0 ? acceptedScopes : (needs?.scopes ?? []);
    const scopeText = scopes.length > 1 ? `\`${scopes[0]}\` (any of: ${scopes.join(", ")})` : scopes.length === 1 ? `\`${scopes[0]}\`` : "a scope it lacks";
    const has = granted.length > 0 ? `; it has: ${granted.join(", ")}` : "";
    return make("github-missing-permission", `The ${label} lacks the scope ${scopeText} needed for ${at}${has}.`,
      `Edit the token under Settings → Developer settings → Personal access tokens (classic) and tick ${scopes[0] ?? "the scope"}${role ? `; its user must also be ${role}` : ""}.`,
      err, { details: { acceptedScopes: scopes, grantedScopes: granted } });
  }
  const pairs = acceptedPerms[0] ?? (needs?.permission ? [needs.permission] : []);
  if (pairs.length === 0) {
    // Enterprise endpoints answer fine-grained tokens and Apps with a bare 403: they need a classic token.
    return make("github-missing-permission", `${where(ctx, undefined)} cannot be read with a ${label}: GitHub accepts only classic tokens there.`,
      "Use a classic personal access token of an enterprise owner with read:audit_log (and security_events for alerts).", err);
  }
  const wanted = pairs.map(describePermission).join(" and ");
  const setting = permissionSetting(pairs[0]!);
  const app = kind === "installation" || kind === "app";
  const hint = app
    ? `In the GitHub App's settings (Permissions & events) set ${setting}; then an owner of ${ctx.org ?? "the org"} must accept the new permissions (Org settings → GitHub Apps → Configure).`
    : `Edit the token under Settings → Developer settings → Fine-grained tokens: set ${setting}, with ${ctx.org ? `"${ctx.org}"` : "the org"} as resource owner (org owners may need to approve it).`;
  return make("github-missing-permission", `The ${app ? "GitHub App installed on " + (ctx.org ? `org "${ctx.org}"` : "the org") : label} lacks "${wanted}" needed for ${at}.`,
    hint, err, { details: { acceptedPermissions: acceptedPerms } });
}

/** Who may read the endpoint, by stream: an org owner only for the org audit log; no GitHub App for enterprise endpoints. */
function roleHint(ctx: ExplainContext, path: string): string {
  const needs = streamNeeds(ctx.stream);
  if (path.startsWith("/enterprises/") || (!ctx.org && ctx.enterprise)) {
    const orgs = needs && needs.permission !== null && normalizeStream(ctx.stream) !== "repositories"
      ? " (other enterprise members see only the orgs they own or are security manager of)"
      : "";
    return `Use a classic personal access token of an enterprise owner${orgs}; GitHub Apps and fine-grained tokens cannot read enterprise endpoints.`;
  }
  if (!needs?.role) return "Use a token of an org owner or security manager, or a GitHub App installed on the org.";
  const owner = normalizeStream(ctx.stream) === "org-audit-log" ? " (a security manager is not enough)" : "";
  const app = needs.apps && needs.permission ? `, or a GitHub App with ${permissionSetting(needs.permission)}` : "";
  return `Use a token whose user is ${needs.role}${owner}${app}.`;
}

const FEATURES: { pattern: RegExp; feature: string; hint: string; code?: ErrorCode }[] = [
  { pattern: /(Advanced Security|Code Security) must be enabled|Code scanning is not enabled/i, feature: "code scanning is not enabled",
    hint: "Enable GitHub Code Security (formerly Advanced Security) for the repository and set up code scanning (Settings → Code security)." },
  { pattern: /no analysis found/i, feature: "code scanning has never run (no analysis found), so there are no alerts yet",
    hint: "Set up code scanning (default setup or a CodeQL workflow); until then ghaudit treats the repository as having no code scanning alerts." },
  { pattern: /Dependabot alerts are disabled/i, feature: "Dependabot alerts are disabled",
    hint: "Turn on Dependabot alerts (repository Settings → Code security, or an org code security configuration)." },
  { pattern: /Secret scanning is disabled/i, feature: "secret scanning is disabled",
    hint: "Enable secret scanning / Secret Protection (repository Settings → Code security); GitHub gives no secret scanning alerts API for it otherwise." },
  { pattern: /Issues are disabled/i, feature: "issues are disabled", hint: "Enable Issues in the repository settings, or point the issue sink at another repository." },
];

function notFound(err: RequestError, ctx: ExplainContext, at: string, path: string): AppError {
  const org = ctx.org ?? /^\/orgs\/([^/]+)/.exec(path)?.[1];
  if (/^\/orgs\/[^/]+\/installation$/.test(path)) {
    return make("github-not-found", `The GitHub App is not installed on org "${org}".`,
      `Install the App on ${org} (the App's page → Install App), or remove the org from the config.`, err);
  }
  if (/\/audit-log(\/|$)/.test(path) && !path.startsWith("/enterprises/")) {
    return make("github-audit-log-unavailable", `GitHub answered 404 for the audit log of org "${org}": the org is not on GitHub Enterprise Cloud (the audit log API needs it), or the token's user is not an owner of it.`,
      `Disable streams.audit_log for ${org}, or move it to Enterprise Cloud. If it is on Enterprise Cloud, the token's user must be an org owner (classic scope read:audit_log, or Organization Administration: read).`,
      err, { exitCode: EXIT.unavailable });
  }
  if (path.startsWith("/enterprises/")) {
    const slug = ctx.enterprise ?? path.split("/")[2];
    return make("github-wrong-org", `GitHub answered 404 for enterprise "${slug}": it does not exist or the token's user is not a member.`,
      "Check the enterprise slug (github.com/enterprises/SLUG) and use a classic token of an enterprise owner.", err);
  }
  if (/^\/orgs\/[^/]+$/.test(path)) {
    // GET /orgs/{org} answers anyone on github.com, outsiders too: a 404 there means there is no such org.
    return make("github-wrong-org", `GitHub answered 404 for ${at}: there is no org "${org}" (GET /orgs/${org} shows any org to any token on github.com).`,
      `Check the org name (github.com/${org}). On GitHub Enterprise Server, or with a fine-grained token, the org may also be hidden from the token: check that its user can see "${org}" and that a fine-grained token has it as resource owner.`,
      err);
  }
  if (path.startsWith("/orgs/") || path.startsWith("/organizations/")) {
    return make("github-wrong-org", `GitHub answered 404 for ${at}: org "${org}" does not exist, the token's user is not a member, or the token was made for another org.`,
      `Check the org name; a fine-grained token must have "${org}" as its resource owner, and an App must be installed on it.`, err);
  }
  return make("github-not-found", `GitHub answered 404 for ${at}: it does not exist or the token cannot see it.`,
    "Check the name, and that the token can read private repositories of the org.", err, { status: 404 });
}

export function explainGitHubError(err: unknown, ctx: ExplainContext = {}): AppError {
  if (err instanceof AppError) return err;
  if (!(err instanceof RequestError)) {
    const message = err instanceof Error ? err.message : String(err);
    const network = err instanceof Error && (err.name === "AbortError" || /ECONNRESET|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|socket|fetch failed/i.test(message));
    return new AppError(network ? "github-unavailable" : "internal", redactTokens(network ? `Could not reach GitHub: ${message}` : message), {
      status: network ? 503 : 500,
      exitCode: network ? EXIT.unavailable : 1,
      cause: err,
    });
  }
  const path = pathOf(err);
  const repo = ctx.repo ?? /^\/repos\/([^/]+\/[^/]+)/.exec(path)?.[1];
  const at = where(ctx, repo);
  const message = githubMessage(err);

  if (!err.response) {
    return make("github-unavailable", `Could not reach GitHub for ${at}: ${err.message}.`,
      "Check network access to the API URL (proxy, firewall, DNS); ghaudit retried before giving up and tries again next poll.", err,
      { status: 503, exitCode: EXIT.unavailable });
  }
  if (err.status === 403 || err.status === 429) {
    const limited = rateLimited(err, ctx, at);
    if (limited) return limited;
  }
  if (err.status === 401) {
    if (/requires authentication/i.test(message)) {
      return make("github-bad-credentials", `No credentials were sent to GitHub for ${at}.`, "Set GITHUB_TOKEN or github.auth in the config.", err);
    }
    if (/JSON web token|'Issuer' claim|'Expiration time'|'Issued at'/i.test(message)) {
      return make("github-bad-credentials", `GitHub rejected the GitHub App's JWT (${message}).`,
        "Check github.auth.app_id / client_id and that the private key is the App's current key; the host clock must be within a minute of real time.", err);
    }
    const label = tokenKindLabel(ctx.tokenKind ?? "unknown");
    const hint = ctx.tokenKind === "installation" || ctx.tokenKind === "app"
      ? "ghaudit mints installation tokens itself: check that the App still exists, is not suspended, and that its private key is current."
      : "Create a new token (Settings → Developer settings → Personal access tokens) and set GITHUB_TOKEN or github.auth.token.";
    return make("github-bad-credentials", `GitHub rejected the ${label} for ${at}: bad or expired token (401 ${message}).`, hint, err);
  }
  for (const f of FEATURES) {
    if (f.pattern.test(message)) {
      return make(f.code ?? "github-feature-disabled", `For ${at}, ${f.feature} (GitHub: "${message}").`, f.hint, err,
        { status: 409, exitCode: EXIT.unavailable });
    }
  }
  if (err.status === 403) {
    if (/owner or security manager|Must be an enterprise owner|must be an? (organization|enterprise) (owner|admin)/i.test(message)) {
      return make("github-missing-permission", `The token's user lacks the role GitHub requires for ${at}: ${message}`, roleHint(ctx, path), err);
    }
    if (/not accessible by/i.test(message) || headerOf(err, "x-accepted-github-permissions") || headerOf(err, "x-accepted-oauth-scopes")) {
      return missingAccess(err, ctx, at, path);
    }
  }
  if (err.status === 404) return notFound(err, ctx, at, path);
  if (err.status >= 500) {
    return make("github-unavailable", `GitHub failed ${err.request.method} ${path} for ${at} with ${err.status}: ${message}`,
      "Check https://www.githubstatus.com (or your GHES instance's health); ghaudit retried and tries again next poll.", err,
      { status: 503, exitCode: EXIT.unavailable });
  }
  return make("internal", `GitHub refused ${err.request.method} ${path} for ${at} with ${err.status}: ${message}`,
    "This is likely a ghaudit bug; rerun with --debug and report it with the request id.", err, { status: 500, exitCode: 1 });
}

