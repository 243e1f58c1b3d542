// Repositories (`minimal-repository` rows of /orgs/{org}/repos) -> ScanRecord: which security features are on.
import type { components } from "@octokit/openapi-types-ghec";
import { AppError } from "../../core/errors.js";
import type { ScanRecord } from "../../core/records.js";
import { orgOf } from "./finding.js";
import { type JsonObject, bool, obj, str } from "./read.js";
import { toIsoUtc } from "./time.js";

export type MinimalRepository = components["schemas"]["minimal-repository"];

export interface RepositoryContext {
  org?: string;
  enterprise?: string;
  /** When ghaudit read the repository (the snapshot's time); else the repository's own latest time is used. */
  observedAt?: string | number | Date;
}

/**
 * `security_and_analysis` -> `{feature: enabled}` for every `{status}` entry GitHub sends (new features appear
 * without a code change). Null when the object is absent or null: the token cannot see it (needs admin).
 */
export function featuresOf(v: unknown): Record<string, boolean> | null {
  const sa = obj(v);
  if (sa === null) return null;
  const out: Record<string, boolean> = {};
  for (const [name, entry] of Object.entries(sa)) {
    const status = obj(entry)?.status;
    if (status === "enabled" || status === "disabled") out[name] = status === "enabled";
  }
  return out;
}

/** Visibility as GitHub sent it, else `public` when `private` is false (`private: true` may be internal). */
function visibilityOf(r: JsonObject): string | null {
  return str(r.visibility) ?? (r.private === false ? "public" : null);
}

export function normalizeRepository(raw: MinimalRepository | JsonObject, ctx: RepositoryContext = {}): ScanRecord {
  const r = raw as JsonObject;
  const id = r.id;
  const fullName = str(r.full_name);
  if (typeof id !== "number" || !Number.isInteger(id) || fullName === null) {
    throw new AppError("bad-request", "repository without an integer id or a full_name", { status: 422, details: { id: id ?? null } });
  }
  const timestamp = toIsoUtc(ctx.observedAt) ?? toIsoUtc(r.updated_at) ?? toIsoUtc(r.pushed_at) ?? toIsoUtc(r.created_at);
  if (timestamp === null) {
    throw new AppError("bad-request", `repository ${fullName} has no time and none was given`, {
      status: 422,
      hint: "Pass observedAt (the poll time) in the context.",
    });
  }
  return {
    id: `coverage:${id}`,
    kind: "coverage",
    event_type: "VULNERABILITY_SCAN",
    source: "github",
    category: "vcs",
    timestamp,
    org: orgOf(ctx, r.owner),
    enterprise: ctx.enterprise ?? null,
    repository: fullName,
    actor: null,
    repository_id: id,
    visibility: visibilityOf(r),
    archived: bool(r.archived) ?? false,
    default_branch: str(r.default_branch),
    features: featuresOf(r.security_and_analysis),
    raw: r,
  };
}
