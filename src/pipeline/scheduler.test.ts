// The scheduler polls each stream on its own interval: a stream's `interval` overrides `poll.interval`.
import assert from "node:assert/strict";
import { sql } from "kysely";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ManualClock, systemClock } from "../core/clock.js";
import { silentLogger } from "../core/logger.js";
import { loadConfig, type Config } from "../config/index.js";
import { startEmulator, type Emulator } from "../emulator/server.js";
import { filterIndexes, forEachDialect } from "../store/testing.js";
import { Scheduler } from "./scheduler.js";
import { planStreams } from "./sync.js";

/** An emulator with one org and a config file for it (`yaml` gets the org's name), for `fn`. */
async function withConfig(seed: number, yaml: (org: string) => string, fn: (config: Config, org: string, emulator: Emulator) => Promise<void>): Promise<void> {
  const emulator = await startEmulator({ seed, size: { orgs: 1 }, frozenClock: true });
  const org = emulator.world!.orgs[0]!;
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-scheduler-"));
  try {
    const file = join(dir, "ghaudit.yaml");
    writeFileSync(file, yaml(org));
    await fn(loadConfig({ flags: { config: file }, env: { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: emulator.token } }), org, emulator);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  }
}

forEachDialect("scheduler", (dialect) => {
  test("each stream is due on its own interval: dependabot every 60 s, the rest every 300 s", { timeout: 60_000 }, () =>
    withConfig(3, (org) => `poll: { interval: 300s }\norgs:\n  - name: ${org}\n    streams:\n      dependabot: { interval: 60s }\n`, async (config) => {
      const intervals = Object.fromEntries(planStreams(config).map((p) => [p.source.type, p.intervalMs]));
      assert.equal(intervals["dependabot"], 60_000);
      assert.equal(intervals["code-scanning"], 300_000);

      const clock = new ManualClock({ frozen: true });
      await dialect.withStore(
        async (store) => {
          const scheduler = new Scheduler({ config, store, logger: silentLogger(), clock });
          const ran = async () => (await scheduler.runDue()).map((o) => o.stream).sort();
          const all = await ran();
          assert.ok(all.includes("dependabot") && all.includes("code-scanning") && all.length >= 4, all.join(", "));
          assert.deepEqual(await ran(), [], "nothing is due right after a round");
          clock.advance(61_000);
          assert.deepEqual(await ran(), ["dependabot"]);
          clock.advance(61_000);
          assert.deepEqual(await ran(), ["dependabot"]);
          clock.advance(180_000);
          assert.deepEqual(await ran(), all, "after 300 s everything is due again");
          await scheduler.stop();
        },
        { clock },
      );
    }));

  test("a run longer than its lease keeps renewing it: another instance does not run the stream meanwhile", { timeout: 60_000 }, () =>
    withConfig(4, (org) => `orgs:\n  - name: ${org}\n    streams:\n      audit_log: { enabled: false }\n      repositories: { enabled: false }\n`, async (config, org, emulator) => {
      // The Dependabot list answers after 1.5 s: the run outlasts its 300 ms lease five times over.
      const control = (body: unknown) =>
        fetch(`${emulator.url}/_emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      await control({ configure: { slowMs: 1_500 } });
      await control({ enqueue: { kind: "slow", count: 1, pathPattern: "/dependabot/alerts$" } });
      await dialect.withStore(async (store) => {
        const options = { config, store, logger: silentLogger(), clock: systemClock, runLeaseMs: 300 };
        const a = new Scheduler({ ...options, instanceId: "a" });
        const b = new Scheduler({ ...options, instanceId: "b" });
        const first = a.runDue();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        assert.ok(a.status().some((s) => s.stream === "dependabot" && s.running), "a is still in its Dependabot run");
        const meanwhile = (await b.runDue()).map((o) => o.stream);
        assert.ok(!meanwhile.includes("dependabot"), `b ran ${meanwhile.join(", ")}`);
        const ran = (await first).map((o) => o.stream);
        assert.ok(ran.includes("dependabot"));
        const lease = await store.db.selectFrom("leases").selectAll().where("name", "=", `stream:dependabot:org:${org}`).executeTakeFirst();
        assert.equal(lease?.holder, "a", "a still holds it, now for its interval");
        await a.stop();
        await b.stop();
      });
    }));
  test("each round says a serve uses the store and brings back filter indexes no live process holds suspended", { timeout: 60_000 }, () =>
    withConfig(5, (org) => `orgs:\n  - name: ${org}\n`, async (config) => {
      await dialect.withStore(async (store) => {
        const scheduler = new Scheduler({ config, store, logger: silentLogger(), clock: systemClock, instanceId: "serve-a" });
        const original = await filterIndexes(store);
        // A `sync --once` suspended them and died before rebuilding; its lease has been released as a dead holder's.
        if (store.dialect === "sqlite") await sql`drop index audit_events_repo_at`.execute(store.db);
        await scheduler.runDue();
        assert.deepEqual(await filterIndexes(store), original);
        assert.deepEqual((await store.leases.heldWithPrefix("serve:")).map((l) => l.holder), ["serve-a"]);
        await scheduler.stop();
        assert.deepEqual(await store.leases.heldWithPrefix("serve:"), [], "handed back on stop");
      });
    }));
});
