// Filtered and sorted alert views, cached per state version and query, so that walking a long list page by page
// sorts it once instead of once per request.
import type { EmulatorState } from "../../state/state.js";
import type { EmuRepo } from "../../state/types.js";
import type { SortKey } from "../../http/pagination.js";

/** One alert of one repo, with a number unique across repos (the sort tie-breaker). */
export interface AlertRow<A> {
  repo: EmuRepo;
  alert: A;
  uid: number;
}

export interface SortedRow<A> {
  row: AlertRow<A>;
  /** Snapshot of the row's position, used for cursors. */
  key: SortKey;
}

export function alertUid(repo: EmuRepo, number: number): number {
  return repo.id * 1e6 + number;
}

interface Cache {
  version: number;
  views: Map<string, SortedRow<unknown>[]>;
}

const caches = new WeakMap<EmulatorState, Cache>();
const builds = new WeakMap<EmulatorState, number>();
const MAX_VIEWS = 16;

/** How many views were built (filtered + sorted) so far; tests use it to prove that pages reuse one view. */
export function viewBuilds(state: EmulatorState): number {
  return builds.get(state) ?? 0;
}

export interface ViewSpec<A> {
  /** Identifies the list: kind, scope (repo/org/enterprise + covered orgs), filters, sort and direction. */
  key: string;
  rows: () => Iterable<AlertRow<A>>;
  filter: (row: AlertRow<A>) => boolean;
  sortValue: (row: AlertRow<A>) => number;
  desc: boolean;
}

function compare(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] - b[1];
}

/** The filtered rows in (sort value, uid) order, descending when `desc`; cached until the state changes. */
export function sortedView<A>(state: EmulatorState, spec: ViewSpec<A>): SortedRow<A>[] {
  let cache = caches.get(state);
  if (!cache || cache.version !== state.version) {
    cache = { version: state.version, views: new Map() };
    caches.set(state, cache);
  }
  const hit = cache.views.get(spec.key);
  if (hit) {
    // Keep recently used views at the end (LRU eviction from the front).
    cache.views.delete(spec.key);
    cache.views.set(spec.key, hit);
    return hit as SortedRow<A>[];
  }
  const out: SortedRow<A>[] = [];
  for (const row of spec.rows()) {
    if (spec.filter(row)) out.push({ row, key: [spec.sortValue(row), row.uid] });
  }
  out.sort((a, b) => (spec.desc ? compare(b.key, a.key) : compare(a.key, b.key)));
  builds.set(state, viewBuilds(state) + 1);
  cache.views.set(spec.key, out as SortedRow<unknown>[]);
  if (cache.views.size > MAX_VIEWS) {
    const oldest = cache.views.keys().next().value;
    if (oldest !== undefined) cache.views.delete(oldest);
  }
  return out;
}
