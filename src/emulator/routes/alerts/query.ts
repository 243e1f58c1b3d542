// Query-string helpers shared by the alert lists: comma lists, booleans, sort/direction and a canonical filter key.
import type { EmuContext } from "../../http/context.js";

/** Values of a comma-separated (or repeated) parameter, trimmed, empties dropped; null when the parameter is absent. */
export function csv(c: EmuContext, name: string): string[] | null {
  const raw = c.req.queries(name) ?? c.req.queries(`${name}[]`);
  if (raw === undefined) return null;
  const values = raw.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
  return values.length ? values : null;
}

/** A set of lower-cased values, or null when the parameter is absent or empty. */
export function csvSet(c: EmuContext, name: string): Set<string> | null {
  const values = csv(c, name);
  return values ? new Set(values.map((v) => v.toLowerCase())) : null;
}

/** `true` / `false` query booleans; anything else (or absence) is undefined. */
export function bool(c: EmuContext, name: string): boolean | undefined {
  const raw = c.req.query(name)?.toLowerCase();
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  return undefined;
}

/** `direction` (default `desc`); unknown values fall back to the default. */
export function isDesc(c: EmuContext): boolean {
  return c.req.query("direction")?.toLowerCase() !== "asc";
}

export function sortParam<S extends string>(c: EmuContext, allowed: readonly S[], fallback: S): S {
  const raw = c.req.query("sort")?.toLowerCase();
  return allowed.find((s) => s === raw) ?? fallback;
}

const PAGING = new Set(["page", "per_page", "after", "before", "hide_secret"]);

/** Every filtering parameter of the request in a canonical order, for view-cache keys. */
export function filterKey(c: EmuContext): string {
  const url = new URL(c.req.url);
  const pairs = [...url.searchParams.entries()].filter(([k]) => !PAGING.has(k));
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/**
 * Assignee filter: logins (any of them), `*` (any assignee) or `none` (unassigned).
 * Returns null when the filter is absent.
 */
export function assigneeFilter(c: EmuContext, name: string): ((logins: string[]) => boolean) | null {
  const values = csvSet(c, name);
  if (!values) return null;
  return (logins) => {
    if (values.has("*") && logins.length > 0) return true;
    if (values.has("none") && logins.length === 0) return true;
    return logins.some((l) => values.has(l.toLowerCase()));
  };
}

/** Epoch ms of an ISO timestamp (0 when missing or unparseable). */
export function ms(iso: string | null | undefined): number {
  if (!iso) return 0;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** `ref` / `pr` query parameters as a full Git ref (`main` -> `refs/heads/main`, `pr=5` -> `refs/pull/5/merge`). */
export function refParam(c: EmuContext): string | null {
  const ref = c.req.query("ref");
  if (ref) return ref.startsWith("refs/") ? ref : `refs/heads/${ref}`;
  const pr = c.req.query("pr");
  if (pr && /^\d+$/.test(pr)) return `refs/pull/${pr}/merge`;
  return null;
}

/** True when `ref` names the same ref as `wanted` (a PR's merge and head refs are the same PR). */
export function sameRef(ref: string | null | undefined, wanted: string): boolean {
  if (!ref) return false;
  if (ref === wanted) return true;
  const pr = /^refs\/pull\/(\d+)\/(?:merge|head)$/;
  const a = pr.exec(ref);
  const b = pr.exec(wanted);
  return a !== null && b !== null && a[1] === b[1];
}
