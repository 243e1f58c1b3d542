// GraphQL `RepositoryVulnerabilityAlert` nodes (as exported by Elastic's GitHub integration) -> FindingRecord.
import type { FindingRecord } from "../../core/records.js";
import { cveOf, cvssOf, cweIds, epssOf } from "./advisory.js";
import { type AlertContext, buildFinding, type Closure, emptyDetails } from "./finding.js";
import { type JsonObject, login, lower, obj, path, str } from "./read.js";
import { riskFromSeverity } from "./risk.js";

/** A GraphQL node: camelCase `createdAt`/`securityVulnerability`, no REST `created_at`. */
export function isDependabotGraphqlNode(r: JsonObject): boolean {
  return r.created_at === undefined && (r.createdAt !== undefined || r.securityVulnerability !== undefined);
}

/** GraphQL `dismissReason` is the UI's sentence; REST's `dismissed_reason` is the matching snake_case word. */
const DISMISS_REASONS: ReadonlyMap<string, string> = new Map([
  ["a fix has already been started", "fix_started"],
  ["no bandwidth to fix this", "no_bandwidth"],
  ["risk is tolerable to this project", "tolerable_risk"],
  ["this alert is inaccurate or incorrect", "inaccurate"],
  ["vulnerable code is not actually used", "not_used"],
]);

export function restDismissReason(v: unknown): string | null {
  const s = str(v);
  return s === null ? null : (DISMISS_REASONS.get(s.toLowerCase()) ?? s);
}

function repositoryOfNode(r: JsonObject, ctx: AlertContext): string | null {
  const repo = obj(r.repository);
  const full = str(repo?.nameWithOwner) ?? str(repo?.full_name);
  if (full !== null) return full;
  const owner = login(repo?.owner);
  const name = str(repo?.name);
  return owner !== null && name !== null ? `${owner}/${name}` : (ctx.repository ?? null);
}

function closure(r: JsonObject, state: string): Closure | null {
  if (state === "dismissed") {
    return { at: r.dismissedAt, by: login(r.dismisser), reason: restDismissReason(r.dismissReason), comment: str(r.dismissComment) };
  }
  if (state === "fixed") return { at: r.fixedAt, by: null, reason: str(r.fixReason), comment: null };
  if (state === "auto_dismissed") return { at: r.autoDismissedAt, by: null, reason: null, comment: null };
  return null;
}

/**
 * States, scopes and ecosystems are upper-case enums in GraphQL (`OPEN`, `RUNTIME`, `NPM`) and are lower-cased
 * to REST's words. GraphQL nodes carry no alert URL and no `updatedAt`: `html_url`/`updated_at` stay null.
 */
export function normalizeDependabotGraphqlNode(r: JsonObject, ctx: AlertContext = {}): FindingRecord {
  const advisory = obj(r.securityAdvisory) ?? {};
  const vulnerability = obj(r.securityVulnerability) ?? {};
  const state = lower(r.state) ?? "open";
  const severity = lower(advisory.severity) ?? lower(vulnerability.severity);
  const epss = epssOf(advisory);
  const cvss = cvssOf(advisory);
  const github = emptyDetails();
  github.cwe = cweIds(path(advisory, "cwes", "nodes"));
  github.ecosystem = lower(path(vulnerability, "package", "ecosystem"));
  github.dependency_scope = lower(r.dependencyScope);
  github.dependency_relationship = lower(r.dependencyRelationship);
  github.ghsa_id = str(advisory.ghsaId);
  github.cve_id = cveOf(advisory, null);
  github.epss_percentage = epss.percentage;
  github.epss_percentile = epss.percentile;
  github.cvss_score = cvss.score;
  github.cvss_vector = cvss.vector;
  const repo = obj(r.repository);
  return buildFinding({
    kind: "dependabot",
    repository: repositoryOfNode(r, ctx),
    org: ctx.org ?? (repo?.isInOrganization === true ? login(repo.owner) : null),
    enterprise: ctx.enterprise ?? null,
    number: r.number,
    state,
    risk: riskFromSeverity(severity),
    severityRaw: severity,
    title: str(advisory.summary) ?? github.ghsa_id ?? `Dependabot alert ${String(r.number)}`,
    htmlUrl: null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    closure: closure(r, state),
    openedBy: null,
    path: str(r.vulnerableManifestPath),
    packageName: str(path(vulnerability, "package", "name")),
    vulnerableVersionRange: str(vulnerability.vulnerableVersionRange),
    firstPatchedVersion: str(path(vulnerability, "firstPatchedVersion", "identifier")),
    github,
    raw: r,
  });
}
