// Advisory details shared by the REST and GraphQL Dependabot shapes: CVSS, EPSS, CVE id, CWEs.
import { arr, obj, num, path, str } from "./read.js";

export interface Cvss {
  score: number | null;
  vector: string | null;
}

/**
 * CVSS v4, else v3 (`cvss_severities` / GraphQL `cvssSeverities`), else the legacy `cvss` object, which the
 * 2026-03-10 API version removed. GitHub writes score 0 with a null vector for "no CVSS": that reads as null.
 */
export function cvssOf(advisory: unknown): Cvss {
  const candidates = [
    path(advisory, "cvss_severities", "cvss_v4"),
    path(advisory, "cvssSeverities", "cvssV4"),
    path(advisory, "cvss_severities", "cvss_v3"),
    path(advisory, "cvssSeverities", "cvssV3"),
    path(advisory, "cvss"),
  ];
  for (const c of candidates) {
    const o = obj(c);
    if (o === null) continue;
    const score = num(o.score);
    const vector = str(o.vector_string) ?? str(o.vectorString);
    if (vector !== null || (score !== null && score > 0)) return { score, vector };
  }
  return { score: null, vector: null };
}

export interface Epss {
  percentage: number | null;
  percentile: number | null;
}

/** `epss` is `{percentage, percentile}` (sometimes a one-element array); either may be a numeric string. */
export function epssOf(advisory: unknown): Epss {
  const raw = path(advisory, "epss");
  const o = obj(Array.isArray(raw) ? raw[0] : raw);
  return o === null ? { percentage: null, percentile: null } : { percentage: num(o.percentage), percentile: num(o.percentile) };
}

/** `cve_id`, else the CVE among `identifiers` (GraphQL has only the latter). */
export function cveOf(advisory: unknown, cveId: unknown): string | null {
  const direct = str(cveId);
  if (direct !== null) return direct;
  for (const id of arr(path(advisory, "identifiers"))) {
    if (path(id, "type") === "CVE") return str(path(id, "value"));
  }
  return null;
}

/** CWE ids from a list of `{cwe_id}` (REST) or `{cweId}` (GraphQL `cwes.nodes`). */
export function cweIds(list: unknown): string[] {
  const out: string[] = [];
  for (const c of arr(list)) {
    const id = str(path(c, "cwe_id")) ?? str(path(c, "cweId"));
    if (id !== null && !out.includes(id)) out.push(id);
  }
  return out;
}
