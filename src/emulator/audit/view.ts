// Cached filtered views of the audit log, so walking a million events costs a binary search and a slice per page:
// the phrase/scope filter is cached per state version (and scans only the phrase's `created:` span of the time-sorted
// log), and the time filter (window, retention, late arrival) per stretch of time during which no event enters or
// leaves it.
import type { EmulatorState } from "../state/state.js";
import type { AuditRecord } from "../state/types.js";
import { compilePhrase, createdSpan, type ParsedPhrase } from "./phrase.js";

const DAY = 86_400_000;
/** Without `created:` only the last three months are returned (taken as 90 days). */
export const DEFAULT_WINDOW_MS = 90 * DAY;
/** Web (non-Git) events are kept 180 days. */
export const RETENTION_MS = 180 * DAY;
/** Git events are kept 7 days. */
export const GIT_RETENTION_MS = 7 * DAY;

export type AuditInclude = "web" | "git" | "all";

export interface AuditViewQuery {
  /** Identifies `inScope` in the cache key (`org:acme`, `enterprise:acme-ent`). */
  scopeKey: string;
  inScope: (record: AuditRecord) => boolean;
  phrase: ParsedPhrase;
  include: AuditInclude;
}

/** The events an endpoint returns right now, oldest first, and the same newest first. */
export interface AuditView {
  readonly asc: readonly AuditRecord[];
  desc(): readonly AuditRecord[];
}

interface Entry {
  /** Scope, phrase and include applied; older than retention at build time dropped. Sorted by (at, seq). */
  candidates: AuditRecord[];
  hasCreated: boolean;
  include: AuditInclude;
  view: { asc: AuditRecord[]; desc: AuditRecord[] | null; from: number; until: number } | null;
}

/** First index whose `at` is >= `at` in a list sorted by `at`. */
export function lowerBoundAt(list: readonly AuditRecord[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface AuditViewCacheOptions {
  /** Filters kept at most (a backfill walks 8 time slices at once per org, each its own phrase). */
  maxEntries?: number;
  /** Beyond this many entries, evict while the kept candidates add up to more than `maxCandidates` records. */
  minEntries?: number;
  maxCandidates?: number;
}

export class AuditViewCache {
  readonly #state: EmulatorState;
  readonly #maxEntries: number;
  readonly #minEntries: number;
  readonly #maxCandidates: number;
  #version = -1;
  readonly #entries = new Map<string, Entry>();
  #candidates = 0;
  /**
   * Passes over the audit log (`scans`; `scanned` counts the records they visited: a `created:` range visits only its
   * span) and over cached candidates. Tests and the benchmark read these.
   */
  readonly stats = { scans: 0, scanned: 0, timeFilters: 0 };

  constructor(state: EmulatorState, options: AuditViewCacheOptions = {}) {
    this.#state = state;
    this.#maxEntries = Math.max(1, options.maxEntries ?? 64);
    this.#minEntries = Math.max(1, Math.min(options.minEntries ?? 16, this.#maxEntries));
    this.#maxCandidates = options.maxCandidates ?? 4_000_000;
  }

  view(query: AuditViewQuery): AuditView {
    const state = this.#state;
    if (state.version !== this.#version) {
      this.#entries.clear();
      this.#candidates = 0;
      this.#version = state.version;
    }
    const now = state.now();
    const key = `${query.scopeKey}\n${query.include}\n${query.phrase.canonical}`;
    let entry = this.#entries.get(key);
    if (entry) {
      // Keep the map in least-recently-used order.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    } else {
      entry = this.#scan(query, now);
      this.#entries.set(key, entry);
      this.#candidates += entry.candidates.length;
      this.#evict();
    }
    let view = entry.view;
    if (!view || now < view.from || now >= view.until) view = entry.view = this.#timeFilter(entry, now);
    const current = view;
    return { asc: current.asc, desc: () => (current.desc ??= current.asc.slice().reverse()) };
  }

  /** Drops least recently used entries (the first in the map) beyond the size limits; the newest always stays. */
  #evict(): void {
    const entries = this.#entries;
    while (
      entries.size > this.#maxEntries ||
      (entries.size > this.#minEntries && this.#candidates > this.#maxCandidates)
    ) {
      const [key, oldest] = entries.entries().next().value!;
      entries.delete(key);
      this.#candidates -= oldest.candidates.length;
    }
  }

  #scan(query: AuditViewQuery, now: number): Entry {
    this.stats.scans++;
    const matches = compilePhrase(query.phrase);
    const { inScope, include } = query;
    const all = this.#state.audit;
    // Time only moves forward, so events already past retention never come back. The log is sorted by `at`, and no
    // event outside the phrase's `created:` span can match it, so only the span is visited (`matches` still checks
    // every `created:` term, negated ones and ORs included).
    const span = createdSpan(query.phrase);
    const start = lowerBoundAt(all, Math.max(now - RETENTION_MS, span.from));
    const end = span.to === Infinity ? all.length : lowerBoundAt(all, span.to);
    if (end > start) this.stats.scanned += end - start;
    const candidates: AuditRecord[] = [];
    for (let i = start; i < end; i++) {
      const r = all[i]!;
      if (include === "web" ? r.git : include === "git" ? !r.git : false) continue;
      if (inScope(r) && matches(r)) candidates.push(r);
    }
    return { candidates, hasCreated: query.phrase.hasCreated, include, view: null };
  }

  #timeFilter(entry: Entry, now: number): NonNullable<Entry["view"]> {
    this.stats.timeFilters++;
    const webWindow = entry.hasCreated ? RETENTION_MS : DEFAULT_WINDOW_MS;
    const gitWindow = Math.min(GIT_RETENTION_MS, webWindow);
    const webFrom = now - webWindow;
    const gitFrom = now - gitWindow;
    const list = entry.candidates;
    const asc: AuditRecord[] = [];
    // The view stays exact until an invisible event becomes visible or an included one ages out.
    let until = Infinity;
    for (let i = lowerBoundAt(list, entry.include === "git" ? gitFrom : webFrom); i < list.length; i++) {
      const r = list[i]!;
      const window = r.git ? gitWindow : webWindow;
      if (r.at < now - window) continue;
      if (r.visibleAt > now) {
        if (r.visibleAt < until) until = r.visibleAt;
        continue;
      }
      const leaves = r.at + window + 1;
      if (leaves < until) until = leaves;
      asc.push(r);
    }
    return { asc, desc: null, from: now, until };
  }
}
