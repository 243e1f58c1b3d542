// Acceptance: "each alert's timeline reads as GitHub's UI timeline would, from creation to now": in the export every
// alert's entries chain (each leaves the state the one before entered), start with its creation and end in its
// current state, even when GitHub's whole-second REST times put several changes in one second.
import assert from "node:assert/strict";
import { test } from "node:test";
import { exportRows } from "../../src/cli/export.js";
import { silentLogger } from "../../src/core/logger.js";
import { syncOnce } from "../../src/pipeline/sync.js";
import type { Store } from "../../src/store/index.js";
import { forEachDialect } from "../../src/store/testing.js";
import { configFor, control, emulatorClock, startWorld, tempConfig, type SeededEmulator } from "./support/world.js";

/** Every alert's exported timeline, checked against the stored alerts; returns the problems found. */
async function timelineProblems(store: Store): Promise<string[]> {
  const byAlert = new Map<string, Record<string, unknown>[]>();
  for await (const row of exportRows(store, "timeline")) {
    const id = String(row["alert_id"]);
    byAlert.set(id, [...(byAlert.get(id) ?? []), row]);
  }
  const problems: string[] = [];
  for (const [id, rows] of byAlert) {
    const show = () => rows.map((r) => `${String(r["from_state"] ?? "")}>${String(r["to_state"])}@${String(r["at"])}(${String(r["source"])})`).join(" ");
    const alert = await store.alerts.get(id);
    if (!alert) continue;
    if (rows[0]!["from_state"] !== null) problems.push(`${id} does not start with its creation: ${show()}`);
    rows.forEach((r, i) => {
      if (i > 0 && r["from_state"] !== rows[i - 1]!["to_state"]) problems.push(`${id} entry ${i} does not chain: ${show()}`);
      if (i > 0 && r["from_state"] === r["to_state"]) problems.push(`${id} entry ${i} changes nothing: ${show()}`);
    });
    if (rows.at(-1)!["to_state"] !== alert.state) problems.push(`${id} ends ${String(rows.at(-1)!["to_state"])}, is ${alert.state}: ${show()}`);
  }
  return [...new Set(problems)];
}

async function withWorld(
  options: Parameters<typeof startWorld>[0],
  orgs: readonly string[] | undefined,
  fn: (emulator: SeededEmulator, sync: () => Promise<void>, store: Store) => Promise<void>,
  withStore: (f: (store: Store) => Promise<void>) => Promise<void>,
): Promise<void> {
  const emulator = await startWorld(options);
  const targets = orgs ?? emulator.world.orgs;
  const cfg = tempConfig(targets, { lookback: "all" });
  try {
    await withStore(async (store) => {
      const sync = async () => {
        const outcomes = await syncOnce({ config: configFor(emulator, cfg.file, targets), store, logger: silentLogger(), clock: emulatorClock(emulator) });
        assert.deepEqual(outcomes.filter((o) => !o.ok), []);
      };
      await fn(emulator, sync, store);
    });
  } finally {
    cfg.cleanup();
    await emulator.close();
  }
}

forEachDialect("e2e timeline order", (dialect) => {
  test("alerts created and dismissed in the same second end dismissed in the export", { timeout: 120_000 }, () =>
    withWorld({ seed: 42, size: "tiny", frozenClock: true }, ["wonka-oss"], async (emulator, sync, store) => {
      await sync();
      const before = new Set([...emulator.state.repos.values()].flatMap((r) => r.dependabot.map((a) => `${r.fullName}#${a.number}`)));
      for (let i = 0; i < 6; i++) {
        await control(emulator, "activity", "POST", { count: 1, kinds: ["dependabot_alert_created"] });
        for (const r of emulator.state.repos.values()) {
          for (const a of r.dependabot) {
            if (before.has(`${r.fullName}#${a.number}`)) continue;
            before.add(`${r.fullName}#${a.number}`);
            const res = await fetch(`${emulator.url}/repos/${r.fullName}/dependabot/alerts/${a.number}`, {
              method: "PATCH",
              headers: { authorization: `Bearer ${emulator.token}`, "content-type": "application/json" },
              body: JSON.stringify({ state: "dismissed", dismissed_reason: "tolerable_risk" }),
            });
            assert.equal(res.status, 200);
          }
        }
      }
      await control(emulator, "time", "POST", { advanceMs: 60_000 });
      await sync();
      const dismissed = await store.alerts.list({ kinds: ["dependabot"], states: ["dismissed"] }, { limit: 1000 });
      assert.ok(dismissed.items.length >= 6);
      assert.deepEqual(await timelineProblems(store), []);
    }, dialect.withStore));

  test("whole-second REST times and millisecond audit times of one change are one entry, never before the creation", { timeout: 120_000 }, () =>
    withWorld({ seed: 42, size: "small" }, undefined, async (emulator, sync, store) => {
      await sync();
      // New alerts, some auto-dismissed at creation, dismissals, reopens, bypasses: polled and read from the audit log.
      await control(emulator, "activity", "POST", { count: 40 });
      await sync();
      assert.deepEqual(await timelineProblems(store), []);
    }, dialect.withStore));
});
