// Acceptance: "a backfill of 100k audit events and 10k alerts stores each exactly once". A seeded emulator world of
// 100k audit events and 10k alerts, `syncOnce` with audit_log lookback all / include web, then the store is compared
// with what the emulator's API returns: same audit ids, no duplicates, same alerts per kind with the same states.
import assert from "node:assert/strict";
import { test } from "node:test";
import { silentLogger } from "../../src/core/logger.js";
import { syncOnce } from "../../src/pipeline/sync.js";
import type { Store } from "../../src/store/index.js";
import { filterIndexes, forEachDialect } from "../../src/store/testing.js";
import { ALERT_KINDS, alertTruth, auditTruth, configFor, control, emulatorClock, startWorld, tempConfig, type RequestCounts, type SeededEmulator } from "./support/world.js";

const DAY = 86_400_000;
/** 5 orgs × 60 repos, 100k audit events (about 83k web events within retention), 10k alerts. */
const BACKFILL_SIZE = "large" as const;

async function storedAuditIds(store: Store): Promise<{ rows: number; distinct: Set<string> }> {
  const rows = await store.db.selectFrom("audit_events").select("id").execute();
  return { rows: rows.length, distinct: new Set(rows.map((r) => r.id)) };
}

async function storedAlerts(store: Store): Promise<Record<string, Map<string, string>>> {
  const rows = await store.db.selectFrom("alerts").select(["kind", "repository", "number", "state"]).execute();
  const out: Record<string, Map<string, string>> = {};
  for (const r of rows) {
    const map = (out[r.kind] ??= new Map());
    const key = `${r.repository}#${r.number}`;
    assert.ok(!map.has(key), `alert ${r.kind} ${key} stored twice`);
    map.set(key, r.state);
  }
  return out;
}

async function sync(emulator: SeededEmulator, store: Store, file: string) {
  const config = configFor(emulator, file, emulator.world.orgs);
  // As `sync --once` runs it: the filter indexes are suspended during the backfill and rebuilt at its end.
  const outcomes = await syncOnce({ config, store, logger: silentLogger(), clock: emulatorClock(emulator), suspendIndexes: true });
  const failed = outcomes.filter((o) => !o.ok);
  assert.deepEqual(failed, [], "every stream synced");
  return outcomes;
}

forEachDialect("e2e backfill", (dialect) => {
  test("100k audit events and 10k alerts: each stored exactly once, as the API returns them", { timeout: 300_000 }, async (t) => {
    const emulator = await startWorld({ seed: 4242, size: BACKFILL_SIZE, frozenClock: true });
    const cfg = tempConfig(emulator.world.orgs, { lookback: "all", include: "web" });
    try {
      await dialect.withStore(async (store) => {
        const orgs = emulator.world.orgs;
        assert.equal(emulator.world.size.auditEvents, 100_000);
        const alertsInWorld = ALERT_KINDS.reduce((n, k) => n + [...emulator.state.repos.values()].reduce((m, r) => m + (k === "code_scanning" ? r.codeScanning.length : k === "dependabot" ? r.dependabot.length : r.secretScanning.length), 0), 0);
        assert.ok(alertsInWorld >= 9_000, `${alertsInWorld} alerts in the world`);

        const indexes = await filterIndexes(store);
        const started = performance.now();
        const outcomes = await sync(emulator, store, cfg.file);
        const seconds = (performance.now() - started) / 1000;

        const truth = auditTruth(emulator, orgs);
        const { rows, distinct } = await storedAuditIds(store);
        t.diagnostic(`${dialect.dialect}: backfill of ${rows} audit events + alerts in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} audit events/s incl. alerts)`);
        assert.ok(truth.size > 80_000, `${truth.size} web events within retention`);
        assert.equal(rows, distinct.size, "no duplicate audit events");
        assert.equal(rows, truth.size, "stored audit events = events the API returns");
        assert.equal(await store.auditEvents.count(), truth.size);
        const missing = [...truth].filter((id) => !distinct.has(id));
        const extra = [...distinct].filter((id) => !truth.has(id));
        assert.deepEqual({ missing: missing.slice(0, 5), extra: extra.slice(0, 5) }, { missing: [], extra: [] });
        // Each row's raw text is its own event as received (texts split from the page body line up with the items).
        const raws = await store.db.selectFrom("audit_events").select(["id", "raw"]).execute();
        const misaligned = raws.filter((r) => (JSON.parse(r.raw) as { _document_id?: string })._document_id !== r.id);
        assert.deepEqual(misaligned.slice(0, 3), [], "every stored raw event is the event of its row");
        const added = outcomes.filter((o) => o.stream === "org-audit-log").reduce((n, o) => n + (o.stats?.added ?? 0), 0);
        assert.equal(added, truth.size, "sync stats report each event once");
        assert.deepEqual(await filterIndexes(store), indexes, "the filter indexes suspended for the backfill are back");

        const alerts = alertTruth(emulator, orgs);
        const stored = await storedAlerts(store);
        let total = 0;
        for (const kind of ALERT_KINDS) {
          const want = alerts[kind];
          const got = stored[kind] ?? new Map<string, string>();
          total += got.size;
          assert.equal(got.size, want.size, `${kind}: stored alerts = alerts in repos with the feature on`);
          assert.deepEqual(Object.fromEntries([...got].sort()), Object.fromEntries([...want].sort()), `${kind}: same alerts, same states`);
        }
        assert.ok(total >= 8_000, `${total} alerts stored`);

        // A second sync finds nothing new and spends no rate limit.
        await control(emulator, "requests", "DELETE");
        const again = await sync(emulator, store, cfg.file);
        assert.equal(again.reduce((n, o) => n + (o.stats?.added ?? 0) + (o.stats?.changed ?? 0), 0), 0, "nothing added or changed");
        assert.equal((await storedAuditIds(store)).rows, truth.size);
        const requests = await control<RequestCounts>(emulator, "requests");
        assert.equal(requests.charged, 0, `re-sync spent rate limit: ${JSON.stringify(requests.byRoute)}`);
      });
    } finally {
      cfg.cleanup();
      await emulator.close();
    }
  });

  test("lookback all reaches the oldest event the API still returns (180 days)", async () => {
    const emulator = await startWorld({ seed: 7, size: "tiny", frozenClock: true });
    const org = emulator.world.orgs[0]!;
    const cfg = tempConfig([org], { lookback: "all" });
    try {
      await dialect.withStore(async (store) => {
        const at = emulator.state.now() - 180 * DAY + 30 * 60_000;
        const { ids } = await control<{ ids: string[] }>(emulator, "audit", "POST", {
          events: [{ "@timestamp": at, action: "org.update_member", actor: emulator.world.adminLogin, org, user: emulator.world.adminLogin }],
        });
        assert.ok(auditTruth(emulator, [org]).has(ids[0]!), "the API returns the event");
        await sync(emulator, store, cfg.file);
        const { distinct } = await storedAuditIds(store);
        assert.ok(distinct.has(ids[0]!), "an event 179.98 days old is stored by a lookback-all backfill");
        assert.equal(distinct.size, auditTruth(emulator, [org]).size);
      });
    } finally {
      cfg.cleanup();
      await emulator.close();
    }
  });
});
