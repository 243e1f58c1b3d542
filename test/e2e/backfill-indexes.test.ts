// The audit log's filter indexes during backfills (SQLite): the first backfills of several orgs in one `sync --once`
// share one suspension and one rebuild at the end; a later sync, with nothing to backfill, leaves the indexes alone.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { pino } from "pino";
import type { Logger } from "../../src/core/logger.js";
import { syncOnce, type PlannedStream } from "../../src/pipeline/sync.js";
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
      const outcomes = await syncOnce({ config, store, logger: first.logger, clock, only: auditOnly });
      assert.deepEqual(outcomes.map((o) => o.ok), [true, true]);
      assert.ok(outcomes.every((o) => (o.stats?.added ?? 0) > 0), "both orgs backfilled");
      assert.equal(first.messages.filter((m) => m === REBUILT).length, 1, "one rebuild for both backfills");
      assert.deepEqual(await filterIndexes(store), indexes);

      const second = recordingLogger();
      await syncOnce({ config, store, logger: second.logger, clock, only: auditOnly });
      assert.equal(second.messages.filter((m) => m === REBUILT).length, 0, "no backfill, no rebuild");
      assert.deepEqual(await filterIndexes(store), indexes);
    });
  } finally {
    cfg.cleanup();
    await emulator.close();
  }
});
