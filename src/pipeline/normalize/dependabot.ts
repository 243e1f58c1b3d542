// Dependabot alerts (REST repo/org/enterprise rows and webhook `alert`s) -> FindingRecord; GraphQL nodes delegated.
import type { components } from "@octokit/openapi-types-ghec";
import type { FindingRecord } from "../../core/records.js";
import { cveOf, cvssOf, cweIds, epssOf } from "./advisory.js";
import { isDependabotGraphqlNode, normalizeDependabotGraphqlNode } from "./dependabot-graphql.js";
import { type AlertContext, buildFinding, type Closure, emptyDetails, orgOf, repositoryOf } from "./finding.js";
import { type JsonObject, login, obj, path, str } from "./read.js";
import { riskFromSeverity } from "./risk.js";

export type DependabotAlert =
  | components["schemas"]["dependabot-alert"]
  | components["schemas"]["dependabot-alert-with-repository"];

function closure(r: JsonObject, state: string): Closure | null {
  if (state === "dismissed") {
    return { at: r.dismissed_at, by: login(r.dismissed_by), reason: str(r.dismissed_reason), comment: str(r.dismissed_comment) };
  }
  if (state === "fixed") return { at: r.fixed_at, by: null, reason: null, comment: null };
  if (state === "auto_dismissed") return { at: r.auto_dismissed_at, by: null, reason: str(r.dismissed_reason), comment: null };
  return null;
}

/**
 * Risk from `security_advisory.severity` (else `security_vulnerability.severity`); `moderate` reads as medium.
 * GraphQL `RepositoryVulnerabilityAlert` nodes (camelCase) are recognised and mapped field by field.
 */
export function normalizeDependabotAlert(raw: DependabotAlert | JsonObject, ctx: AlertContext = {}): FindingRecord {
  const r = raw as JsonObject;
  if (isDependabotGraphqlNode(r)) return normalizeDependabotGraphqlNode(r, ctx);
  const advisory = obj(r.security_advisory) ?? {};
  const vulnerability = obj(r.security_vulnerability) ?? {};
  const dependency = obj(r.dependency) ?? {};
  const state = str(r.state) ?? "open";
  const severity = str(advisory.severity) ?? str(vulnerability.severity);
  const epss = epssOf(advisory);
  const cvss = cvssOf(advisory);
  const github = emptyDetails();
  github.cwe = cweIds(advisory.cwes);
  github.ecosystem = str(path(dependency, "package", "ecosystem")) ?? str(path(vulnerability, "package", "ecosystem"));
  github.dependency_scope = str(dependency.scope);
  github.dependency_relationship = str(dependency.relationship);
  github.ghsa_id = str(advisory.ghsa_id);
  github.cve_id = cveOf(advisory, advisory.cve_id);
  github.epss_percentage = epss.percentage;
  github.epss_percentile = epss.percentile;
  github.cvss_score = cvss.score;
  github.cvss_vector = cvss.vector;
  return buildFinding({
    kind: "dependabot",
    repository: repositoryOf(r, ctx),
    org: orgOf(ctx, path(r, "repository", "owner")),
    enterprise: ctx.enterprise ?? null,
    number: r.number,
    state,
    risk: riskFromSeverity(severity),
    severityRaw: severity === null ? null : severity.toLowerCase(),
    title: str(advisory.summary) ?? github.ghsa_id ?? `Dependabot alert ${String(r.number)}`,
    htmlUrl: str(r.html_url),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closure: closure(r, state),
    openedBy: null,
    path: str(dependency.manifest_path),
    packageName: str(path(dependency, "package", "name")) ?? str(path(vulnerability, "package", "name")),
    vulnerableVersionRange: str(vulnerability.vulnerable_version_range),
    firstPatchedVersion: str(path(vulnerability, "first_patched_version", "identifier")),
    github,
    raw: r,
  });
}
