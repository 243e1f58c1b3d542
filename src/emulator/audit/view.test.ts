// Unit tests of the cached audit views: exact window edges, late arrival, and when the cache is rebuilt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../../core/clock.js";
import { EmulatorState } from "../state/state.js";
import type { AuditRecord } from "../state/types.js";
import { parsePhrase } from "./phrase.js";
import { AuditViewCache, DEFAULT_WINDOW_MS, GIT_RETENTION_MS, RETENTION_MS, type AuditInclude } from "./view.js";

const NOW = Date.UTC(2026, 0, 10);

function setup() {
  const clock = new ManualClock({ start: NOW, frozen: true });
  const state = new EmulatorState(clock);
  const cache = new AuditViewCache(state);
  const query = (phrase = "", include: AuditInclude = "web") => ({
    scopeKey: "org:acme",
    inScope: (r: AuditRecord) => r.orgs.includes("acme"),
    phrase: parsePhrase(phrase, "org"),
    include,
  });
  const add = (at: number, action = "repo.create", options: { lateByMs?: number; git?: boolean } = {}) =>
    state.appendAudit({ "@timestamp": at, action, org: "acme" }, options);
  const actions = (phrase = "", include: AuditInclude = "web") => cache.view(query(phrase, include)).asc.map((r) => r.event.action);
  return { clock, state, cache, add, actions, query };
}

test("the default window and retention end exactly at their edges, as time moves", () => {
  const { clock, add, actions } = setup();
  add(NOW - DEFAULT_WINDOW_MS, "a.window_edge");
  add(NOW - RETENTION_MS, "b.retention_edge");
  add(NOW - GIT_RETENTION_MS, "git.push", { git: true });
  add(NOW - 1000, "c.recent");
  assert.deepEqual(actions(), ["a.window_edge", "c.recent"]);
  assert.deepEqual(actions("created:>=2000-01-01"), ["b.retention_edge", "a.window_edge", "c.recent"]);
  assert.deepEqual(actions("", "all"), ["a.window_edge", "git.push", "c.recent"]);
  clock.advance(1);
  assert.deepEqual(actions(), ["c.recent"]);
  assert.deepEqual(actions("created:>=2000-01-01"), ["a.window_edge", "c.recent"]);
  assert.deepEqual(actions("", "git"), []);
});

test("a late event appears exactly at its visibleAt", () => {
  const { clock, add, actions } = setup();
  add(NOW - 5000, "late.one", { lateByMs: 8000 });
  add(NOW - 4000, "on.time");
  assert.deepEqual(actions(), ["on.time"]);
  clock.advance(2999);
  assert.deepEqual(actions(), ["on.time"]);
  clock.advance(1);
  assert.deepEqual(actions(), ["late.one", "on.time"]);
});

test("the cache scans once per state version and refilters only when time crosses an edge", () => {
  const { clock, add, cache, query } = setup();
  add(NOW - 10 * 86_400_000, "old.one");
  add(NOW - 1000, "new.one");
  const q = query("action:old");
  cache.view(q);
  cache.view(q);
  clock.advance(60_000);
  const view = cache.view(q);
  assert.deepEqual({ ...cache.stats, scanned: 0 }, { scans: 1, scanned: 0, timeFilters: 1 });
  assert.equal(view.desc()[0], view.asc[view.asc.length - 1]);
  clock.advance(DEFAULT_WINDOW_MS);
  assert.equal(cache.view(q).asc.length, 0);
  assert.deepEqual({ ...cache.stats, scanned: 0 }, { scans: 1, scanned: 0, timeFilters: 2 });
  add(clock.now(), "old.two");
  assert.equal(cache.view(q).asc.length, 1);
  assert.deepEqual({ ...cache.stats, scanned: 0 }, { scans: 2, scanned: 0, timeFilters: 3 });
});
