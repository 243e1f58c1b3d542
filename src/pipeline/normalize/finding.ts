// What every alert normalizer shares: repository and org resolution, closed-state fields, the record shell.
import { AppError } from "../../core/errors.js";
import type { AlertDetails, AlertKind, FindingRecord } from "../../core/records.js";
import { alertId } from "../../core/records.js";
import { type JsonObject, obj, path, str } from "./read.js";
import type { Risk } from "./risk.js";
import { latest, toIsoUtc } from "./time.js";

/** Where a repo-level row was read from (org/enterprise list rows carry their own `repository`). */
export interface AlertContext {
  /** `owner/name`, for rows from `/repos/{owner}/{repo}/...`, which have no `repository` object. */
  repository?: string;
  org?: string;
  enterprise?: string;
}

const API_REPO_URL = /\/repos\/([^/]+)\/([^/]+)\//;
const WEB_REPO_URL = /^https?:\/\/[^/]+\/([^/]+)\/([^/]+)\/(?:security|code-scanning)\//;

/** `repository.full_name` (org/enterprise lists), else the context, else the alert's own `url`/`html_url`. */
export function repositoryOf(raw: JsonObject, ctx: AlertContext): string | null {
  const fromRepo = str(path(raw, "repository", "full_name"));
  if (fromRepo !== null) return fromRepo;
  if (ctx.repository) return ctx.repository;
  const api = typeof raw.url === "string" ? API_REPO_URL.exec(raw.url) : null;
  if (api) return `${api[1]}/${api[2]}`;
  const web = typeof raw.html_url === "string" ? WEB_REPO_URL.exec(raw.html_url) : null;
  return web ? `${web[1]}/${web[2]}` : null;
}

/** The context's org, else the repository owner when GitHub says it is an organization. */
export function orgOf(ctx: AlertContext, owner: unknown): string | null {
  if (ctx.org) return ctx.org;
  const o = obj(owner);
  return o !== null && o.type === "Organization" ? str(o.login) : null;
}

export function emptyDetails(): AlertDetails {
  return {
    tool: null,
    rule_id: null,
    rule_name: null,
    cwe: [],
    ecosystem: null,
    dependency_scope: null,
    dependency_relationship: null,
    ghsa_id: null,
    cve_id: null,
    epss_percentage: null,
    epss_percentile: null,
    secret_type: null,
    secret_type_display_name: null,
    validity: null,
    publicly_leaked: null,
    push_protection_bypassed: null,
    push_protection_bypassed_by: null,
    push_protection_bypassed_at: null,
    cvss_score: null,
    cvss_vector: null,
  };
}

export interface Closure {
  at: unknown;
  by: string | null;
  reason: string | null;
  comment: string | null;
}

export interface FindingParts {
  kind: AlertKind;
  repository: string | null;
  org: string | null;
  enterprise: string | null;
  number: unknown;
  state: string;
  risk: Risk;
  severityRaw: string | null;
  title: string;
  htmlUrl: string | null;
  createdAt: unknown;
  updatedAt: unknown;
  /** Set only when `state` is a closed state. */
  closure: Closure | null;
  /** The actor of an open alert (secret scanning: the push-protection bypasser); a closed one's is the closer. */
  openedBy: string | null;
  path: string | null;
  packageName: string | null;
  vulnerableVersionRange: string | null;
  firstPatchedVersion: string | null;
  github: AlertDetails;
  raw: JsonObject;
}

function invalid(kind: AlertKind, message: string, raw: JsonObject): AppError {
  return new AppError("bad-request", `${kind} alert ${message}`, {
    status: 422,
    hint: "The alert is kept in the dead-letter table; for repo-level rows pass the repository in the context.",
    details: { number: raw.number ?? null, url: raw.url ?? null },
  });
}

/** The record shell. Throws AppError(`bad-request`) when the alert has no number, repository or creation time. */
export function buildFinding(p: FindingParts): FindingRecord {
  const number = p.number;
  if (typeof number !== "number" || !Number.isInteger(number)) throw invalid(p.kind, "without an integer number", p.raw);
  if (p.repository === null) throw invalid(p.kind, `#${number} without a repository`, p.raw);
  const createdAt = toIsoUtc(p.createdAt);
  if (createdAt === null) throw invalid(p.kind, `#${number} without a usable created_at`, p.raw);
  const updatedAt = toIsoUtc(p.updatedAt);
  const closedAt = p.closure === null ? null : toIsoUtc(p.closure.at);
  const closedBy = p.closure?.by ?? null;
  return {
    id: alertId(p.kind, p.repository, number),
    kind: "alert",
    event_type: "VULNERABILITY_FINDING",
    source: "github",
    category: "vcs",
    timestamp: latest(createdAt, updatedAt, closedAt) ?? createdAt,
    org: p.org,
    enterprise: p.enterprise,
    repository: p.repository,
    actor: p.closure === null ? p.openedBy : closedBy,
    alert_kind: p.kind,
    number,
    state: p.state,
    open: p.state === "open",
    risk_level: p.risk.level,
    risk_score: p.risk.score,
    severity_raw: p.severityRaw,
    title: p.title,
    html_url: p.htmlUrl,
    created_at: createdAt,
    updated_at: updatedAt,
    closed_at: closedAt,
    closed_by: closedBy,
    close_reason: p.closure?.reason ?? null,
    close_comment: p.closure?.comment ?? null,
    artifact: {
      repository: p.repository,
      path: p.path,
      package_name: p.packageName,
      vulnerable_version_range: p.vulnerableVersionRange,
      first_patched_version: p.firstPatchedVersion,
    },
    github: p.github,
    raw: p.raw,
  };
}
