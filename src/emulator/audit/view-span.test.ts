// The audit views' `created:` narrowing: a scan of the phrase's time span returns exactly what filtering the whole
// log returns (boundary timestamps, late events, Git events, ORed and negated ranges), and the cache's size limits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../../core/clock.js";
import { EmulatorState } from "../state/state.js";
import type { AuditRecord } from "../state/types.js";
import { compilePhrase, parsePhrase } from "./phrase.js";
import { AuditViewCache, DEFAULT_WINDOW_MS, GIT_RETENTION_MS, RETENTION_MS, type AuditInclude } from "./view.js";

const NOW = Date.UTC(2026, 0, 10, 12);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A deterministic log: random times over 200 days, two orgs, Git events, late events, and events on range edges. */
function world() {
  const clock = new ManualClock({ start: NOW, frozen: true });
  const state = new EmulatorState(clock);
  let seed = 7;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const edges = [NOW - 3 * DAY, NOW - 2 * DAY, NOW - 5 * HOUR, Date.UTC(2026, 0, 1), NOW - GIT_RETENTION_MS];
  const times: number[] = [];
  for (let i = 0; i < 3000; i++) times.push(NOW - Math.floor(rand() * 200 * DAY));
  for (const at of edges) times.push(at - 1, at, at, at + 1, at + 999);
  for (const [i, at] of times.entries()) {
    const git = i % 5 === 0 && at > NOW - 8 * DAY;
    const action = git ? "git.push" : i % 3 === 0 ? "repo.create" : "org.update_member";
    const late = i % 11 === 0 ? Math.floor(rand() * 6 * HOUR) : 0;
    state.appendAudit({ "@timestamp": at, action, org: i % 4 === 0 ? "other" : "acme" }, { lateByMs: late, git });
  }
  return { clock, state };
}

/** The same answer computed the slow way: every record of the log through every rule. */
function reference(state: EmulatorState, phrase: string, include: AuditInclude): AuditRecord[] {
  const parsed = parsePhrase(phrase, "org");
  const matches = compilePhrase(parsed);
  const now = state.now();
  const webWindow = parsed.hasCreated ? RETENTION_MS : DEFAULT_WINDOW_MS;
  return state.audit.filter((r) => {
    if (include === "web" ? r.git : include === "git" ? !r.git : false) return false;
    const window = r.git ? Math.min(GIT_RETENTION_MS, webWindow) : webWindow;
    return r.orgs.includes("acme") && matches(r) && r.at >= now - window && r.visibleAt <= now;
  });
}

const PHRASES = [
  `created:${iso(NOW - 3 * DAY)}..${iso(NOW - 2 * DAY)}`,
  `created:${iso(NOW - 3 * DAY).slice(0, 19)}Z..${iso(NOW - 2 * DAY - 1000).slice(0, 19)}Z`,
  `created:>=${iso(NOW - 5 * HOUR)}`,
  `created:>${iso(NOW - 5 * HOUR)}`,
  `created:<${iso(NOW - 2 * DAY)}`,
  `created:<=${iso(NOW - 2 * DAY)}`,
  "created:2026-01-01",
  "created:2026-01-01..2026-01-01",
  "created:2025-12-25..2025-12-28 created:2026-01-03",
  "created:2025-10-01..2026-01-09 -created:2025-11-01..2025-12-31",
  "-created:2026-01-01",
  "created:2026-01-02..* action:repo",
  "created:*..2025-08-01",
  "created:2020-01-01..2021-01-01",
  `created:${iso(NOW - 3 * DAY)} action:git`,
  "created:2026-01-05..2026-01-01",
  "action:repo",
  "",
];

test("a created: range scans its span and returns exactly what the full filter returns", () => {
  const { clock, state } = world();
  const cache = new AuditViewCache(state);
  const check = () => {
    for (const phrase of PHRASES) {
      for (const include of ["web", "git", "all"] as const) {
        const view = cache.view({ scopeKey: "org:acme", inScope: (r) => r.orgs.includes("acme"), phrase: parsePhrase(phrase, "org"), include });
        const want = reference(state, phrase, include);
        assert.deepEqual(view.asc.map((r) => r.seq), want.map((r) => r.seq), `${phrase} include=${include} at ${iso(state.now())}`);
        assert.deepEqual(view.desc().map((r) => r.seq), want.map((r) => r.seq).reverse());
      }
    }
  };
  check();
  // Later: late events have become visible and edges have moved, from the cached candidates.
  const scans = cache.stats.scans;
  for (const step of [HOUR, 3 * HOUR, 2 * DAY + 1, DAY]) {
    clock.advance(step);
    check();
  }
  assert.equal(cache.stats.scans, scans, "time alone does not rescan");
  assert.ok(reference(state, PHRASES[0]!, "all").length > 10);
});

test("a range visits only the records in its span; an open or negated phrase visits the retained log", () => {
  const { state } = world();
  const cache = new AuditViewCache(state);
  const visited = (phrase: string) => {
    const before = cache.stats.scanned;
    cache.view({ scopeKey: "org:acme", inScope: () => true, phrase: parsePhrase(phrase, "org"), include: "all" });
    return cache.stats.scanned - before;
  };
  const inSpan = (from: number, to: number) => state.audit.filter((r) => r.at >= from && r.at < to).length;
  const retained = inSpan(NOW - RETENTION_MS, Infinity);
  assert.equal(visited(`created:${iso(NOW - 3 * DAY)}..${iso(NOW - 2 * DAY)}`), inSpan(NOW - 3 * DAY, NOW - 2 * DAY + 1));
  assert.equal(visited("created:2026-01-01"), inSpan(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2)));
  assert.equal(visited("created:2025-12-25 created:2026-01-03"), inSpan(Date.UTC(2025, 11, 25), Date.UTC(2026, 0, 4)));
  assert.equal(visited("created:2020-01-01..2021-01-01"), 0);
  assert.equal(visited("-created:2026-01-01"), retained);
  assert.equal(visited("action:repo"), retained);
  assert.ok(inSpan(NOW - 3 * DAY, NOW - 2 * DAY + 1) < retained / 20);
});

test("the cache holds a backfill's parallel slice walks (8 per org, 2 orgs) without rescanning, within its budget", () => {
  const { state } = world();
  const slices = Array.from({ length: 32 }, (_, i) => `created:${iso(NOW - (i + 1) * 5 * DAY)}..${iso(NOW - i * 5 * DAY)}`);
  let seed = 3;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  /** 8 workers per org, each walking a slice for a few pages, then the next; pages answered in a jittery order. */
  const backfill = (cache: AuditViewCache) => {
    const workers: { org: string; phrase: string; pages: number }[] = [];
    const queues = new Map(["acme", "other"].map((org) => [org, [...slices]]));
    const take = (org: string) => {
      const phrase = queues.get(org)!.shift();
      if (phrase !== undefined) workers.push({ org, phrase, pages: 1 + Math.floor(rand() * 6) });
    };
    for (const org of queues.keys()) for (let i = 0; i < 8; i++) take(org);
    while (workers.length > 0) {
      const i = Math.floor(rand() * workers.length);
      const w = workers[i]!;
      const inScope = (r: AuditRecord) => r.orgs.includes(w.org);
      cache.view({ scopeKey: `org:${w.org}`, inScope, phrase: parsePhrase(w.phrase, "org"), include: "web" });
      if (--w.pages === 0) {
        workers.splice(i, 1);
        take(w.org);
      }
    }
    return cache.stats.scans;
  };
  assert.equal(backfill(new AuditViewCache(state)), 64);
  assert.ok(backfill(new AuditViewCache(state, { maxEntries: 16 })) > 64, "16 entries are too few for 16 walks");
  // Over the record budget, only `minEntries` stay.
  assert.ok(backfill(new AuditViewCache(state, { minEntries: 8, maxCandidates: 10 })) > 64);
  // The view just built always stays.
  const one = new AuditViewCache(state, { maxEntries: 1, minEntries: 1, maxCandidates: 0 });
  const q = { scopeKey: "org:acme", inScope: () => true, phrase: parsePhrase(slices[0]!, "org"), include: "web" as const };
  one.view(q);
  one.view(q);
  assert.equal(one.stats.scans, 1);
});
