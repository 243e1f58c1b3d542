// A backfill slice that fails for good fails the stream, and nothing goes on behind the reported failure: the other
// slices stop after the page they are on, what they fetched is stored with their checkpoints, and the next sync
// completes the backfill with every event exactly once.
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { test } from "node:test";
import { isoSeconds } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { githubClientOptions } from "../../src/config/github.js";
import { createGitHubClient } from "../../src/github/index.js";
import { syncOnce, type PlannedStream } from "../../src/pipeline/sync.js";
import { auditWindowStart, BACKFILL_CONCURRENCY, backfillSlices } from "../../src/sources/util/audit-log.js";
import type { StreamSettings } from "../../src/sources/types.js";
import { filterIndexes, forEachDialect } from "../../src/store/testing.js";
import { auditRequests, auditTruth, configFor, control, emulatorClock, liftRateLimits, startWorld, tempConfig } from "./support/world.js";

const auditOnly = (s: PlannedStream) => s.source.type === "org-audit-log";
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

forEachDialect("e2e backfill with a failing slice", (dialect) => {
  test("the other slices stop, their events are kept, and the next sync completes the backfill exactly once", { timeout: 120_000 }, async () => {
    const emulator = await startWorld({ seed: 515, size: { orgs: 1, auditEvents: 30_000 }, frozenClock: true });
    const org = emulator.world.orgs[0]!;
    const cfg = tempConfig([org], { lookback: "all", include: "web" });
    try {
      await liftRateLimits(emulator);
      const config = configFor(emulator, cfg.file, [org]);
      const clock = emulatorClock(emulator);
      const now = clock.now();
      const slices = backfillSlices(auditWindowStart(undefined, now, { lookbackMs: "all", overlapMs: 0 } as StreamSettings), now);
      assert.ok(slices.length > 2 * BACKFILL_CONCURRENCY, `${slices.length} slices`);
      // Every request of the first slice fails, and the client does not retry: that slice fails at once.
      const first = slices[0]!;
      const phrase = `phrase=created:${isoSeconds(first.from)}..${isoSeconds(first.to!)}`;
      await control(emulator, "faults", "POST", { enqueue: { kind: "5xx", count: 10_000, pathPattern: "/audit-log$", queryPattern: escapeRegex(phrase) } });
      await control(emulator, "requests", "DELETE");

      await dialect.withStore(async (store) => {
        const indexes = await filterIndexes(store);
        assert.equal(indexes.length, 3);
        const client = createGitHubClient({ ...githubClientOptions(config, { org }, { logger: silentLogger(), clock }), retries: 0 });
        const clients = new Map([[`org:${org}`, client]]);
        const failed = await syncOnce({ config, store, logger: silentLogger(), clock, only: auditOnly, clients, suspendIndexes: true });
        assert.equal(failed.length, 1);
        assert.equal(failed[0]!.ok, false, "the stream failed");

        // Nothing walks on behind the reported failure.
        const atFailure = await auditRequests(emulator);
        await delay(500);
        assert.equal(await auditRequests(emulator), atFailure, "no audit-log request after the stream failed");
        const truth = auditTruth(emulator, [org]);
        const fullWalk = Math.ceil(truth.size / 100);
        assert.ok(atFailure <= 3 * BACKFILL_CONCURRENCY, `${atFailure} audit-log requests before stopping (a full walk is ${fullWalk})`);
        // What the other slices fetched before they stopped was stored with their checkpoints.
        const kept = await store.auditEvents.count();
        assert.ok(kept > 0, "the events fetched before the failure are kept");
        assert.deepEqual(await filterIndexes(store), indexes, "the filter indexes suspended for the backfill are back");

        await control(emulator, "faults", "POST", { clear: true });
        const outcomes = await syncOnce({ config, store, logger: silentLogger(), clock, only: auditOnly });
        assert.deepEqual(outcomes.filter((o) => !o.ok), [], "the next sync completes");
        const rows = await store.db.selectFrom("audit_events").select("id").execute();
        const ids = new Set(rows.map((r) => r.id));
        assert.equal(rows.length, ids.size, "no event stored twice");
        assert.deepEqual([...truth].filter((id) => !ids.has(id)), [], "no event missing");
        assert.equal(ids.size, truth.size);
      });
    } finally {
      cfg.cleanup();
      await emulator.close();
    }
  });
});
