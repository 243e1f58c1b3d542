// Code scanning alerts (repo, org and enterprise lists, single GET/PATCH) -> FindingRecord.
import type { components } from "@octokit/openapi-types-ghec";
import type { FindingRecord } from "../../core/records.js";
import { type AlertContext, buildFinding, type Closure, emptyDetails, orgOf, repositoryOf } from "./finding.js";
import { type JsonObject, arr, login, obj, path, str } from "./read.js";
import { riskFromSeverity } from "./risk.js";

export type CodeScanningAlert =
  | components["schemas"]["code-scanning-alert"]
  | components["schemas"]["code-scanning-alert-items"]
  | components["schemas"]["code-scanning-organization-alert-items"];

const CWE_TAG = /^external\/cwe\/cwe-0*(\d+)$/i;

/** `rule.tags` such as `external/cwe/cwe-079` -> `["CWE-79"]` (order kept, duplicates dropped). */
export function cweFromTags(tags: unknown): string[] {
  const out: string[] = [];
  for (const t of arr(tags)) {
    const m = typeof t === "string" ? CWE_TAG.exec(t) : null;
    if (m && !out.includes(`CWE-${m[1]}`)) out.push(`CWE-${m[1]}`);
  }
  return out;
}

function closure(r: JsonObject, state: string): Closure | null {
  if (state === "dismissed") {
    return { at: r.dismissed_at, by: login(r.dismissed_by), reason: str(r.dismissed_reason), comment: str(r.dismissed_comment) };
  }
  if (state === "fixed") return { at: r.fixed_at, by: null, reason: null, comment: null };
  return null;
}

/**
 * Risk from `rule.security_severity_level` (security queries), else `rule.severity` (`error`/`warning`/`note`).
 * A null `state` (alert seen only outside the default branch) is reported as `open`, as GitHub's UI does.
 */
export function normalizeCodeScanningAlert(raw: CodeScanningAlert | JsonObject, ctx: AlertContext = {}): FindingRecord {
  const r = raw as JsonObject;
  const rule = obj(r.rule) ?? {};
  const state = str(r.state) ?? "open";
  const severityRaw = str(rule.security_severity_level) ?? str(rule.severity);
  const github = emptyDetails();
  github.tool = str(path(r, "tool", "name"));
  github.rule_id = str(rule.id);
  github.rule_name = str(rule.name);
  github.cwe = cweFromTags(rule.tags);
  return buildFinding({
    kind: "code_scanning",
    repository: repositoryOf(r, ctx),
    org: orgOf(ctx, path(r, "repository", "owner")),
    enterprise: ctx.enterprise ?? null,
    number: r.number,
    state,
    risk: riskFromSeverity(severityRaw),
    severityRaw: severityRaw === null ? null : severityRaw.toLowerCase(),
    title: str(rule.description) ?? str(rule.name) ?? str(rule.id) ?? `Code scanning alert ${String(r.number)}`,
    htmlUrl: str(r.html_url),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closure: closure(r, state),
    openedBy: null,
    path: str(path(r, "most_recent_instance", "location", "path")),
    packageName: null,
    vulnerableVersionRange: null,
    firstPatchedVersion: null,
    github,
    raw: r,
  });
}
