// Acceptance: "a second sync --once with no changes makes no request that spends rate limit". The real CLI binary
// runs `sync --once` twice against the emulator; the second run's requests are all 304 Not Modified (free).
// After a change, a sync spends rate limit again, and the next idle sync is free again.
import assert from "node:assert/strict";
import { test } from "node:test";
import { forEachDialect } from "../../src/store/testing.js";
import { dbFlag, runCliOk } from "./support/cli.js";
import { cliEnv, control, startWorld, tempConfig, type RequestCounts, type SeededEmulator } from "./support/world.js";

/** Every request since the last reset answered 304 (and there were some). */
function assertAllNotModified(requests: RequestCounts): void {
  assert.ok(requests.total > 0, "the sync made requests");
  const statuses = new Set(Object.values(requests.byRoute).flatMap((r) => Object.keys(r.statuses)));
  assert.deepEqual([...statuses], ["304"], `statuses of an idle sync: ${JSON.stringify(requests.byRoute)}`);
  assert.equal(requests.charged, 0, "no request spent rate limit");
}

async function syncCli(emulator: SeededEmulator, args: string[]): Promise<string> {
  return (await runCliOk(["sync", "--once", ...args], { env: cliEnv(emulator) })).stdout;
}

forEachDialect("e2e idle sync", (dialect) => {
  test("second `ghaudit sync --once` without changes: all 304, nothing charged", { timeout: 120_000 }, async () => {
    const emulator = await startWorld({ seed: 11, size: "small", frozenClock: true });
    const orgs = emulator.world.orgs;
    const cfg = tempConfig(orgs, { lookback: "all" });
    const database = await dialect.create();
    try {
      const args = ["--config", cfg.file, "--db", dbFlag(database)];
      const first = await syncCli(emulator, args);
      assert.match(first, /✓ \d+ records added/);
      const firstRequests = await control<RequestCounts>(emulator, "requests");
      assert.ok(firstRequests.charged > 10, `${firstRequests.charged} charged requests in the backfill`);

      await control(emulator, "requests", "DELETE");
      const second = await syncCli(emulator, args);
      assert.match(second, /✓ 0 records added, 0 changed/);
      assertAllNotModified(await control<RequestCounts>(emulator, "requests"));

      // A change is noticed (and costs requests); the sync after it is idle again.
      const [result] = await control<{ results: { repo: string; number: number }[] }>(emulator, "activity", "POST", { count: 1, kinds: ["dependabot_dismissed"] }).then((r) => r.results);
      assert.ok(result, "the simulator dismissed an alert");
      await control(emulator, "requests", "DELETE");
      const changed = await syncCli(emulator, args);
      assert.match(changed, /dependabot\s+0 added, 1 changed/);
      assert.ok((await control<RequestCounts>(emulator, "requests")).charged > 0, "the changed pages were fetched");
      await control(emulator, "requests", "DELETE");
      await syncCli(emulator, args);
      assertAllNotModified(await control<RequestCounts>(emulator, "requests"));

      const store = await database.open();
      try {
        const alert = await store.alerts.findByNumber("dependabot", result.repo, result.number);
        assert.ok(alert, "the alert is stored");
        assert.equal(alert.state, "dismissed");
        const timeline = await store.alertEvents.timeline(alert.id);
        assert.equal(timeline.filter((e) => e.toState === "dismissed").length, 1, "the dismissal is in the timeline once");
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
      cfg.cleanup();
      await emulator.close();
    }
  });

  test("an org whose audit log is empty: the second sync is all 304 too (no new backfill, a window start that stays put)", { timeout: 120_000 }, async () => {
    const emulator = await startWorld({ seed: 12, size: { orgs: 1, auditEvents: 0 }, frozenClock: true });
    const orgs = emulator.world.orgs;
    const cfg = tempConfig(orgs, { lookback: "all" });
    const database = await dialect.create();
    try {
      assert.equal(emulator.state.audit.length, 0);
      const args = ["--config", cfg.file, "--db", dbFlag(database)];
      await syncCli(emulator, args);
      // Real time passes between the two runs (the CLI's clock), as between two polls.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await control(emulator, "requests", "DELETE");
      await syncCli(emulator, args);
      assertAllNotModified(await control<RequestCounts>(emulator, "requests"));
    } finally {
      await database.drop();
      cfg.cleanup();
      await emulator.close();
    }
  });
});
