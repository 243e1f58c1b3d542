// An incremental alert walk that fails part-way must not lose the changes on the pages it never reached: the next
// poll does not take the first page's 304 for "nothing changed" and walks down to what the last complete walk knew.
import assert from "node:assert/strict";
import { test } from "node:test";
import { silentLogger } from "../../src/core/logger.js";
import { githubClientOptions } from "../../src/config/github.js";
import { createGitHubClient } from "../../src/github/index.js";
import { featureOn } from "../../src/emulator/routes/alerts/scope.js";
import { syncOnce, type PlannedStream } from "../../src/pipeline/sync.js";
import { forEachDialect } from "../../src/store/testing.js";
import { configFor, control, emulatorClock, liftRateLimits, startWorld, tempConfig } from "./support/world.js";

const dependabotOnly = (s: PlannedStream) => s.source.type === "dependabot";

forEachDialect("e2e interrupted alert walk", (dialect) => {
  test("changes on the pages after a failed page are stored by the next poll", { timeout: 120_000 }, async () => {
    const emulator = await startWorld({ seed: 99, size: { orgs: 1, reposPerOrg: 8, dependabotAlerts: 900 }, frozenClock: true, now: Date.now() - 6 * 3_600_000 });
    const org = emulator.world.orgs[0]!;
    const cfg = tempConfig([org]);
    try {
      await liftRateLimits(emulator);
      const config = configFor(emulator, cfg.file, [org]);
      const clock = emulatorClock(emulator);
      const states = () => {
        const out = new Map<string, string>();
        for (const r of emulator.state.repos.values()) {
          if (r.owner === org && featureOn("dependabot", r)) for (const a of r.dependabot) out.set(`${r.fullName.toLowerCase()}#${a.number}`, a.state);
        }
        return out;
      };
      await dialect.withStore(async (store) => {
        const stored = async () => {
          const rows = await store.db.selectFrom("alerts").select(["repository", "number", "state"]).where("kind", "=", "dependabot").execute();
          return new Map(rows.map((r) => [`${r.repository.toLowerCase()}#${r.number}`, r.state]));
        };
        const sync = async (clients?: Map<string, ReturnType<typeof createGitHubClient>>) =>
          syncOnce({ config, store, logger: silentLogger(), clock, only: dependabotOnly, ...(clients ? { clients } : {}) });

        assert.deepEqual((await sync()).filter((o) => !o.ok), [], "first (full) walk");
        assert.deepEqual(await stored(), states());

        // An hour later 300 alerts change: the incremental walk (newest first) spans several pages.
        await control(emulator, "time", "POST", { advanceMs: 3_600_000 });
        await control(emulator, "activity", "POST", { count: 300, kinds: ["dependabot_dismissed", "dependabot_fixed"] });
        const before = await stored();
        const changed = [...states()].filter(([key, state]) => before.get(key) !== state);
        assert.ok(changed.length > 150, `${changed.length} alerts changed`);

        // Page 2 (Dependabot pages by cursor: `after=`) fails, and the client does not retry: the walk stops there.
        await control(emulator, "faults", "POST", { enqueue: { kind: "5xx", count: 1_000, pathPattern: "/dependabot/alerts$", queryPattern: "after=" } });
        const client = createGitHubClient({ ...githubClientOptions(config, { org }, { logger: silentLogger(), clock }), retries: 0 });
        const failed = await sync(new Map([[`org:${org}`, client]]));
        assert.equal(failed[0]?.ok, false, "the walk failed on page 2");
        const truth = states();
        const afterFailure = await stored();
        const missing = [...truth].filter(([key, state]) => afterFailure.get(key) !== state);
        assert.ok(missing.length > 0, "page 1 alone did not bring every change");

        await control(emulator, "faults", "POST", { clear: true });
        assert.deepEqual((await sync()).filter((o) => !o.ok), [], "the next poll completes");
        const now = await stored();
        assert.deepEqual([...truth].filter(([key, state]) => now.get(key) !== state), [], "every change is stored");

        // And then the walk is complete again: an idle poll is all 304s.
        await control(emulator, "requests", "DELETE");
        assert.deepEqual((await sync()).filter((o) => !o.ok), []);
        const log = await control<{ charged: number }>(emulator, "requests");
        assert.equal(log.charged, 0, "an idle poll spends no rate limit");
      });
    } finally {
      cfg.cleanup();
      await emulator.close();
    }
  });
});
