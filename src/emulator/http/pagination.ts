// GitHub's two pagination styles over an already filtered and sorted list: page numbers and opaque cursors,
// with Link headers in GitHub's exact format (docs: "Using pagination in the REST API").
import type { EmuContext } from "./context.js";
import { badRequest, GitHubHttpError } from "./errors.js";

/** Position of an item in its list's order: primary sort value, then a unique tie-breaker. */
export type SortKey = readonly [number | string, number];

export interface PaginateOptions<T> {
  /** Filtered and sorted (per `desc`) items. */
  items: readonly T[];
  keyOf: (item: T) => SortKey;
  /** Whether `items` is in descending key order. */
  desc: boolean;
  /** Which styles the endpoint accepts. */
  page: boolean;
  cursor: boolean;
  /* With both styles, cursors are used once `before`/`after` is present (even empty), as secret scanning does. */
  /** Error for `page` on cursor-only endpoints (Dependabot answers 400); others ignore the parameter. */
  rejectPage?: GitHubHttpError;
  /** Path used in Link URLs when it differs from the request's (audit log links use numeric ids). */
  linkPath?: string;
  defaultPerPage?: number;
}

export interface Page<T> {
  items: T[];
  link: string | null;
}

const encodeCursor = (key: SortKey): string => Buffer.from(JSON.stringify(key)).toString("base64");

function decodeCursor(cursor: string): SortKey {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as unknown;
    if (
      Array.isArray(key) &&
      key.length === 2 &&
      (typeof key[0] === "string" || Number.isFinite(key[0])) &&
      Number.isFinite(key[1])
    ) {
      return key as unknown as SortKey;
    }
  } catch {
    // fall through
  }
  throw badRequest("Invalid cursor value provided");
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] - b[1];
}

export function perPage(c: EmuContext, fallback = 30): number {
  const raw = c.req.query("per_page");
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) return fallback;
  return Math.min(n, 100);
}

/** First index whose key comes strictly after `key` in the list's order. */
function indexAfter<T>(items: readonly T[], keyOf: (i: T) => SortKey, desc: boolean, key: SortKey): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const cmp = compareKeys(keyOf(items[mid]!), key);
    const before = desc ? cmp >= 0 : cmp <= 0;
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key is at `key` or after it. */
function indexAtOrAfter<T>(items: readonly T[], keyOf: (i: T) => SortKey, desc: boolean, key: SortKey): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const cmp = compareKeys(keyOf(items[mid]!), key);
    const before = desc ? cmp > 0 : cmp < 0;
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function linkUrl(c: EmuContext, linkPath: string | undefined, set: Record<string, string>): string {
  const url = new URL(c.req.url);
  if (linkPath) url.pathname = linkPath;
  const params = url.searchParams;
  // Page links carry no cursors and cursor links no page number.
  for (const name of "page" in set ? ["after", "before"] : ["page"]) params.delete(name);
  for (const [k, v] of Object.entries(set)) params.set(k, v);
  return url.toString();
}

const rel = (url: string, name: string) => `<${url}>; rel="${name}"`;

export function paginate<T>(c: EmuContext, options: PaginateOptions<T>): Page<T> {
  const size = perPage(c, options.defaultPerPage);
  const q = c.req.queries();
  const has = (name: string) => q[name] !== undefined;
  const pageParam = c.req.query("page");
  if (pageParam !== undefined && options.rejectPage) throw options.rejectPage;
  const cursorMode = options.cursor && (!options.page || has("after") || has("before"));
  if (cursorMode) return cursorPage(c, options, size);
  const page = Math.max(1, Number.parseInt(pageParam ?? "1", 10) || 1);
  const total = options.items.length;
  const lastPage = Math.max(1, Math.ceil(total / size));
  const items = options.items.slice((page - 1) * size, page * size);
  const links: string[] = [];
  const at = (p: number) => linkUrl(c, options.linkPath, { page: String(p) });
  if (page > 1) links.push(rel(at(page - 1), "prev"));
  if (page < lastPage) links.push(rel(at(page + 1), "next"));
  if (page < lastPage) links.push(rel(at(lastPage), "last"));
  if (page > 1) links.push(rel(at(1), "first"));
  return { items, link: links.length ? links.join(", ") : null };
}

/**
 * The cursor links' URLs from one parse of the request's URL: the Link path, `page` dropped, `after=` and `before=`
 * set (each exactly once), then only those two values change. Cursors are base64, whose `+`, `/` and `=`
 * `encodeURIComponent` escapes exactly as URLSearchParams does; anything else takes the general path.
 */
function cursorLinks(c: EmuContext, linkPath: string | undefined): (after: string, before: string) => string {
  const general = (after: string, before: string) => linkUrl(c, linkPath, { after, before });
  const base = linkUrl(c, linkPath, { after: "", before: "" });
  const q = base.indexOf("?");
  if (q < 0 || base.includes("#")) return general;
  const params = base.slice(q + 1).split("&");
  const ai = params.indexOf("after=");
  const bi = params.indexOf("before=");
  if (ai < 0 || bi < 0) return general;
  return (after, before) => {
    if (!BASE64.test(after) || !BASE64.test(before)) return general(after, before);
    const out = params.slice();
    out[ai] = `after=${encodeURIComponent(after)}`;
    out[bi] = `before=${encodeURIComponent(before)}`;
    return `${base.slice(0, q + 1)}${out.join("&")}`;
  };
}

const BASE64 = /^[A-Za-z0-9+/=]*$/;

function cursorPage<T>(c: EmuContext, options: PaginateOptions<T>, size: number): Page<T> {
  const { items: all, keyOf, desc } = options;
  const after = c.req.query("after");
  const before = c.req.query("before");
  let start: number;
  let end: number;
  if (after) {
    start = indexAfter(all, keyOf, desc, decodeCursor(after));
    end = Math.min(all.length, start + size);
  } else if (before) {
    end = indexAtOrAfter(all, keyOf, desc, decodeCursor(before));
    start = Math.max(0, end - size);
  } else {
    start = 0;
    end = Math.min(all.length, size);
  }
  const items = all.slice(start, end);
  const links: string[] = [];
  const first = items[0];
  const last = items[items.length - 1];
  const url = cursorLinks(c, options.linkPath);
  if (end < all.length && last !== undefined) links.push(rel(url(encodeCursor(keyOf(last)), ""), "next"));
  links.push(rel(url("", ""), "first"));
  if (start > 0 && first !== undefined) links.push(rel(url("", encodeCursor(keyOf(first))), "prev"));
  return { items, link: links.join(", ") };
}

export { GitHubHttpError };
