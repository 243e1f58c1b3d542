// Secret scanning alerts (repo, org and enterprise lists, single GET/PATCH, webhook `alert`) -> FindingRecord.
import type { components } from "@octokit/openapi-types-ghec";
import type { FindingRecord, RiskLevel } from "../../core/records.js";
import { type AlertContext, buildFinding, type Closure, emptyDetails, orgOf, repositoryOf } from "./finding.js";
import { type JsonObject, bool, login, path, str } from "./read.js";
import { DEFAULT_SECRET_SCANNING_RISK, riskForLevel } from "./risk.js";
import { toIsoUtc } from "./time.js";

export type SecretScanningAlert =
  | components["schemas"]["secret-scanning-alert"]
  | components["schemas"]["organization-secret-scanning-alert"];

export interface SecretScanningOptions {
  /** Secret alerts have no severity of their own; every one gets this level (default HIGH). */
  risk?: RiskLevel;
}

function closure(r: JsonObject, state: string): Closure | null {
  if (state !== "resolved") return null;
  return { at: r.resolved_at, by: login(r.resolved_by), reason: str(r.resolution), comment: str(r.resolution_comment) };
}

/**
 * `raw` keeps GitHub's `secret` field when the source did not ask for `hide_secret=true`; nothing else copies it.
 * The actor of an open alert is the user who bypassed push protection, if anyone did.
 */
export function normalizeSecretScanningAlert(
  raw: SecretScanningAlert | JsonObject,
  ctx: AlertContext = {},
  options: SecretScanningOptions = {},
): FindingRecord {
  const r = raw as JsonObject;
  const state = str(r.state) ?? (str(r.resolution) === null ? "open" : "resolved");
  const bypassedBy = login(r.push_protection_bypassed_by);
  const github = emptyDetails();
  github.secret_type = str(r.secret_type);
  github.secret_type_display_name = str(r.secret_type_display_name);
  github.validity = str(r.validity);
  github.publicly_leaked = bool(r.publicly_leaked);
  github.push_protection_bypassed = bool(r.push_protection_bypassed);
  github.push_protection_bypassed_by = bypassedBy;
  github.push_protection_bypassed_at = toIsoUtc(r.push_protection_bypassed_at);
  return buildFinding({
    kind: "secret_scanning",
    repository: repositoryOf(r, ctx),
    org: orgOf(ctx, path(r, "repository", "owner")),
    enterprise: ctx.enterprise ?? null,
    number: r.number,
    state,
    risk: riskForLevel(options.risk ?? DEFAULT_SECRET_SCANNING_RISK),
    severityRaw: null,
    title: github.secret_type_display_name ?? github.secret_type ?? `Secret scanning alert ${String(r.number)}`,
    htmlUrl: str(r.html_url),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closure: closure(r, state),
    openedBy: bypassedBy,
    path: str(path(r, "first_location_detected", "path")),
    packageName: null,
    vulnerableVersionRange: null,
    firstPatchedVersion: null,
    github,
    raw: r,
  });
}
