// Acceptance: "killing the process mid-sync and restarting ends with the same data as an uninterrupted run". The real
// CLI runs `sync --once` against a 30k-event world and is SIGKILLed when the emulator has answered its N-th request of
// a chosen kind (mid audit-log backfill, mid alert walks); restarted until it completes, its audit, alert and timeline
// exports equal those of a run into a fresh database that was never interrupted. A sync after that spends nothing.
import assert from "node:assert/strict";
import { before, after, test } from "node:test";
import type { ChildProcess } from "node:child_process";
import { filterIndexes, forEachDialect, type DialectFixture, type TestDatabase } from "../../src/store/testing.js";
import { dbFlag, parseNdjson, runCliOk, spawnCli } from "./support/cli.js";
import { auditTruth, cliEnv, control, liftRateLimits, startWorld, tempConfig, type RequestCounts, type SeededEmulator } from "./support/world.js";

const SIZE = { orgs: 3, reposPerOrg: 20, users: 200, auditEvents: 30_000, codeScanningAlerts: 1_500, dependabotAlerts: 1_500, secretScanningAlerts: 600, enterprise: true };

const AUDIT = /^GET \/orgs\/\{org\}\/audit-log$/;
const DEPENDABOT = /\/dependabot\/alerts$/;
const SECRETS = /\/secret-scanning\/alerts$/;

interface KillPoint {
  route: RegExp;
  /** Kill once the emulator answered this many matching requests of the run. */
  after: number;
}

interface Exports {
  audit: string[];
  alerts: string[];
  timeline: string[];
}

let emulator: SeededEmulator;
let cfg: ReturnType<typeof tempConfig>;
before(async () => {
  emulator = await startWorld({ seed: 31, size: SIZE, frozenClock: true });
  // Eight backfills of this world (per dialect) would use up the audit_log budget and wait for its reset.
  await liftRateLimits(emulator);
  cfg = tempConfig(emulator.world.orgs, { lookback: "all" });
});
after(async () => {
  cfg.cleanup();
  await emulator.close();
});

const syncArgs = (database: TestDatabase) => ["sync", "--once", "--config", cfg.file, "--db", dbFlag(database)];

/** Runs `sync --once` and SIGKILLs it at the kill point (which must come before it finishes). */
async function killedSync(database: TestDatabase, kill: KillPoint): Promise<void> {
  const { child, done } = spawnCli(syncArgs(database), { env: cliEnv(emulator) });
  const restore = killOn(child, kill);
  try {
    const result = await done;
    assert.equal(result.signal, "SIGKILL", `the sync ended before the kill point (exit ${result.code}):\n${result.stdout}${result.stderr}`);
  } finally {
    restore();
  }
}

function killOn(child: ChildProcess, kill: KillPoint): () => void {
  const log = emulator.requests;
  const record = log.record;
  let seen = 0;
  log.record = (route, status, charged) => {
    record.call(log, route, status, charged);
    if (kill.route.test(route) && ++seen === kill.after) child.kill("SIGKILL");
  };
  return () => {
    log.record = record;
  };
}

/** Sorted, run-independent projections of the three exports (no run ids, recording times or derived hashes). */
async function exportsOf(database: TestDatabase): Promise<Exports> {
  const run = async (kind: string) => parseNdjson((await runCliOk(["export", "--kind", kind, "--db", dbFlag(database)])).stdout);
  const line = (r: Record<string, unknown>, keys: string[]) => JSON.stringify(keys.map((k) => r[k] ?? null));
  return {
    audit: (await run("audit")).map((r) => line(r, ["id", "timestamp", "action", "actor", "org"])).sort(),
    alerts: (await run("alerts")).map((r) => line(r, ["kind", "repository", "number", "state", "closed_at", "closed_by", "reason", "missing_since"])).sort(),
    timeline: (await run("timeline")).map((r) => line(r, ["alert_id", "from_state", "to_state", "at", "actor", "reason", "comment", "source"])).sort(),
  };
}

async function storedAuditCount(database: TestDatabase): Promise<number> {
  const store = await database.open();
  try {
    return await store.auditEvents.count();
  } finally {
    await store.close();
  }
}

function assertSameExports(got: Exports, want: Exports): void {
  for (const kind of ["audit", "alerts", "timeline"] as const) {
    assert.equal(got[kind].length, want[kind].length, `${kind}: same number of records`);
    const gotSet = new Set(got[kind]);
    const wantSet = new Set(want[kind]);
    const missing = want[kind].filter((x) => !gotSet.has(x)).slice(0, 3);
    const extra = got[kind].filter((x) => !wantSet.has(x)).slice(0, 3);
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${kind}: same records`);
    assert.deepEqual(got[kind], want[kind]);
  }
}

forEachDialect("e2e kill and restart", (dialect: DialectFixture) => {
  let reference: Exports;
  before(async () => {
    const database = await dialect.create();
    try {
      await runCliOk(syncArgs(database), { env: cliEnv(emulator) });
      reference = await exportsOf(database);
      assert.equal(reference.audit.length, auditTruth(emulator, emulator.world.orgs).size, "the uninterrupted run stored what the API returns");
    } finally {
      await database.drop();
    }
  });

  const scenario = (name: string, kills: KillPoint[]) =>
    test(name, { timeout: 180_000 }, async () => {
      const database = await dialect.create();
      try {
        const total = reference.audit.length;
        for (const kill of kills) {
          await killedSync(database, kill);
          const stored = await storedAuditCount(database);
          if (kill.route === AUDIT) assert.ok(stored > 0 && stored < total, `killed mid-backfill with ${stored} of ${total} events stored`);
        }
        await runCliOk(syncArgs(database), { env: cliEnv(emulator) });
        assertSameExports(await exportsOf(database), reference);
        const store = await database.open();
        try {
          assert.equal((await filterIndexes(store)).length, 3, "the audit log's filter indexes are all there");
        } finally {
          await store.close();
        }

        await control(emulator, "requests", "DELETE");
        await runCliOk(syncArgs(database), { env: cliEnv(emulator) });
        const requests = await control<RequestCounts>(emulator, "requests");
        assert.equal(requests.charged, 0, `a sync after the resumed backfill spent rate limit: ${JSON.stringify(requests.byRoute)}`);
      } finally {
        await database.drop();
      }
    });

  scenario("SIGKILL early in the audit-log backfill, restart: same data as an uninterrupted run", [{ route: AUDIT, after: 100 }]);
  scenario("SIGKILL in the second org's backfill, then in Dependabot and secret scanning walks: same data", [
    { route: AUDIT, after: 150 },
    { route: DEPENDABOT, after: 4 },
    { route: SECRETS, after: 4 },
  ]);
});
