// The audit log's filter indexes during backfills (SQLite): the first backfills of several orgs in one `sync --once`
// share one suspension and one rebuild at the end; a later sync, with nothing to backfill, leaves the indexes alone;
// `serve`'s runs (and a `sync --once` beside a running `serve`) never suspend them.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { pino } from "pino";
import type { Logger } from "../../src/core/logger.js";
import { syncOnce, type PlannedStream, type SyncOptions } from "../../src/pipeline/sync.js";
import type { Store } from "../../src/store/index.js";
import { filterIndexes, testDialects } from "../../src/store/testing.js";
import { configFor, emulatorClock, liftRateLimits, startWorld, tempConfig } from "./support/world.js";

const auditOnly = (p: PlannedStream) => p.source.type === "org-audit-log";

/** A logger that keeps the messages it was given. */
function recordingLogger(): { logger: Logger; messages: string[] } {
  const messages: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) messages.push((JSON.parse(line) as { msg: string }).msg);
      done();
    },
  });
  return { logger: pino({ level: "info" }, sink) as unknown as Logger, messages };
}

const REBUILT = "rebuilt the audit log's filter indexes after the backfill";

const sqlite = testDialects().find((d) => d.dialect === "sqlite")!;

test("the backfills of two orgs in one sync share one rebuild of the filter indexes; a later sync rebuilds nothing", { timeout: 60_000 }, async () => {
  const emulator = await startWorld({ seed: 21, size: { orgs: 2, auditEvents: 4_000 }, frozenClock: true });
  const orgs = emulator.world.orgs;
  assert.equal(orgs.length, 2);
  const cfg = tempConfig(orgs, { lookback: "all", include: "web" });
  try {
    await liftRateLimits(emulator);
    const config = configFor(emulator, cfg.file, orgs);
    const clock = emulatorClock(emulator);
    await sqlite.withStore(async (store) => {
      const indexes = await filterIndexes(store);
      assert.equal(indexes.length, 3);

      const first = recordingLogger();
      let shown = 0;
      const rebuildingIndexes = () => (shown++, { done: () => undefined });
      const outcomes = await syncOnce({ config, store, logger: first.logger, clock, only: auditOnly, suspendIndexes: true, rebuildingIndexes });
      assert.deepEqual(outcomes.map((o) => o.ok), [true, true]);
      assert.ok(outcomes.every((o) => (o.stats?.added ?? 0) > 0), "both orgs backfilled");
      assert.equal(first.messages.filter((m) => m === REBUILT).length, 1, "one rebuild for both backfills");
      assert.equal(shown, 1, "the rebuild is shown");
      assert.deepEqual(await filterIndexes(store), indexes);

      const second = recordingLogger();
      await syncOnce({ config, store, logger: second.logger, clock, only: auditOnly, suspendIndexes: true, rebuildingIndexes });
      assert.equal(shown, 1, "no rebuild to show");
      assert.equal(second.messages.filter((m) => m === REBUILT).length, 0, "no backfill, no rebuild");
      assert.deepEqual(await filterIndexes(store), indexes);
    });
  } finally {
    cfg.cleanup();
    await emulator.close();
  }
});

/** Backfills both orgs into a fresh store and returns the filter indexes seen while each page was stored. */
async function indexesDuringBackfill(seed: number, setup: (store: Store) => Promise<void>, options: Partial<SyncOptions>): Promise<{ before: string[]; during: string[][]; after: string[] }> {
  const emulator = await startWorld({ seed, size: { orgs: 2, auditEvents: 2_000 }, frozenClock: true });
  const cfg = tempConfig(emulator.world.orgs, { lookback: "all", include: "web" });
  try {
    await liftRateLimits(emulator);
    const config = configFor(emulator, cfg.file, emulator.world.orgs);
    return await sqlite.withStore(async (store) => {
      await setup(store);
      const before = await filterIndexes(store);
      const seen: Promise<string[]>[] = [];
      const progress = () => ({ update: () => void seen.push(filterIndexes(store)) });
      const outcomes = await syncOnce({ config, store, logger: recordingLogger().logger, clock: emulatorClock(emulator), only: auditOnly, progress, ...options });
      assert.ok(outcomes.every((o) => o.ok && (o.stats?.added ?? 0) > 0), "both orgs backfilled");
      return { before, during: await Promise.all(seen), after: await filterIndexes(store) };
    });
  } finally {
    cfg.cleanup();
    await emulator.close();
  }
}

test("serve's runs keep the filter indexes up during a backfill", { timeout: 60_000 }, async () => {
  const { before, during, after } = await indexesDuringBackfill(22, async () => undefined, {});
  assert.equal(before.length, 3);
  assert.ok(during.length > 0);
  assert.ok(during.every((seen) => seen.length === 3), "never suspended");
  assert.deepEqual(after, before);
});

test("sync --once beside a running serve (it holds serve: and stream: leases) keeps the filter indexes up", { timeout: 60_000 }, async () => {
  for (const lease of ["serve:instance-1", "stream:org-audit-log:other"]) {
    const serving = async (store: Store) => void (await store.leases.acquire(lease, "serve-instance", 60_000));
    const { before, during, after } = await indexesDuringBackfill(23, serving, { suspendIndexes: true });
    assert.ok(during.length > 0 && during.every((seen) => seen.length === 3), `never suspended beside ${lease}`);
    assert.deepEqual(after, before);
  }
  // Without the serve, the same run suspends them.
  const alone = await indexesDuringBackfill(23, async () => undefined, { suspendIndexes: true });
  assert.ok(alone.during.some((seen) => seen.length === 0), "suspended while loading");
  assert.deepEqual(alone.after, alone.before);
});
