// A store slower than GitHub holds the backfill back: the parallel slices wait for the batch being written instead of
// each filling batches of their own, so the events fetched and not yet stored stay around two batches, whatever the
// number of slices. (Before, each slice could leave a full batch queued: ~50 MB more memory on PostgreSQL.)
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { test } from "node:test";
import { silentLogger } from "../../src/core/logger.js";
import { syncOnce, type PlannedStream } from "../../src/pipeline/sync.js";
import { BACKFILL_CONCURRENCY, BATCH_EVENTS } from "../../src/sources/util/audit-log.js";
import type { Store } from "../../src/store/index.js";
import { forEachDialect } from "../../src/store/testing.js";
import { auditRequests, auditTruth, configFor, control, emulatorClock, liftRateLimits, startWorld, tempConfig } from "./support/world.js";

const auditOnly = (s: PlannedStream) => s.source.type === "org-audit-log";
const PER_PAGE = 100;

/** `store` with every transaction held back `ms` first, calling `before()` as each one starts. */
function slowStore(store: Store, ms: number, before: () => Promise<void>): Store {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === "transaction") {
        return async (fn: Parameters<Store["transaction"]>[0]) => {
          await before();
          await delay(ms);
          return target.transaction(fn);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

forEachDialect("e2e backfill into a slow store", (dialect) => {
  test("holds at most about two batches of fetched events in memory", { timeout: 120_000 }, async () => {
    const emulator = await startWorld({ seed: 616, size: { orgs: 1, auditEvents: 16 * BATCH_EVENTS }, frozenClock: true });
    const org = emulator.world.orgs[0]!;
    const cfg = tempConfig([org], { lookback: "all", include: "web" });
    try {
      await liftRateLimits(emulator);
      const config = configFor(emulator, cfg.file, [org]);
      await dialect.withStore(async (store) => {
        let backlog = 0;
        const fetchedEvents = async () => PER_PAGE * (await auditRequests(emulator));
        // Sampled as each write starts (slices go on fetching while it waits): fetched from GitHub but not stored yet.
        const slow = slowStore(store, 150, async () => {
          backlog = Math.max(backlog, (await fetchedEvents()) - (await store.auditEvents.count()));
        });
        await control(emulator, "requests", "DELETE");
        const outcomes = await syncOnce({ config, store: slow, logger: silentLogger(), clock: emulatorClock(emulator), only: auditOnly });
        assert.deepEqual(outcomes.filter((o) => !o.ok), [], "the backfill succeeds");
        const truth = auditTruth(emulator, [org]);
        assert.equal(await store.auditEvents.count(), truth.size, "every event stored once");
        // The batch being written, the full one behind it, and the page (plus the prefetched one) of each slice.
        const bound = 2 * BATCH_EVENTS + 2 * BACKFILL_CONCURRENCY * PER_PAGE;
        assert.ok(backlog > BATCH_EVENTS, `the store was the slower side (backlog ${backlog})`);
        assert.ok(backlog <= bound, `at most ${bound} events fetched and not stored, saw ${backlog}`);
      });
    } finally {
      cfg.cleanup();
      await emulator.close();
    }
  });
});
