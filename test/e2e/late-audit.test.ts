// Acceptance: "late-arriving audit events are picked up". With lateAuditRate 1 the emulator's API returns new
// events only 4 minutes after their @timestamp; on-time events written after them move ghaudit's high-water mark
// past them. Once the clock passes the delay, the next sync stores each late event exactly once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { exportRows } from "../../src/cli/export.js";
import { silentLogger } from "../../src/core/logger.js";
import { syncOnce } from "../../src/pipeline/sync.js";
import type { Store } from "../../src/store/index.js";
import { forEachDialect } from "../../src/store/testing.js";
import { auditTruth, configFor, control, emulatorClock, startWorld, tempConfig, type SeededEmulator } from "./support/world.js";

const LATE_MS = 4 * 60_000;

interface ActivityResult {
  kind: string;
  repo?: string;
  number?: number;
}

/** Runs simulator activity through the control API; returns what it did and the web audit events it wrote. */
async function activity(emulator: SeededEmulator, count: number, kinds: string[]): Promise<{ results: ActivityResult[]; events: Set<string> }> {
  const before = new Set(emulator.state.audit.map((r) => r.seq));
  const { results } = await control<{ results: ActivityResult[] }>(emulator, "activity", "POST", { count, kinds });
  const events = new Set(emulator.state.audit.filter((r) => !before.has(r.seq) && !r.git).map((r) => String(r.event._document_id)));
  return { results, events };
}

async function idCounts(store: Store): Promise<Map<string, number>> {
  const rows = await store.db.selectFrom("audit_events").select("id").execute();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
  return counts;
}

forEachDialect("e2e late audit events", (dialect) => {
  test("events that reach the API 4 minutes late are stored once they arrive, exactly once", { timeout: 120_000 }, async () => {
    const emulator = await startWorld({ seed: 9, size: "small", frozenClock: true });
    const orgs = emulator.world.orgs;
    const cfg = tempConfig(orgs, { lookback: "all" });
    try {
      await dialect.withStore(async (store) => {
        const sync = async () => {
          const outcomes = await syncOnce({ config: configFor(emulator, cfg.file, orgs), store, logger: silentLogger(), clock: emulatorClock(emulator) });
          assert.deepEqual(outcomes.filter((o) => !o.ok), []);
          return outcomes.filter((o) => o.stream === "org-audit-log").reduce((n, o) => n + (o.stats?.added ?? 0), 0);
        };
        await sync();

        const t0 = Math.floor(emulator.state.now() / 1000) * 1000;
        await control(emulator, "faults", "POST", { configure: { lateAuditRate: 1, lateAuditMs: LATE_MS } });
        const late = await activity(emulator, 12, ["audit_noise", "member_added", "dependabot_dismissed", "secret_resolved"]);
        assert.ok(late.events.size >= 5, `${late.events.size} late events written`);
        assert.ok(emulator.state.audit.filter((r) => late.events.has(String(r.event._document_id))).every((r) => r.visibleAt === r.at + LATE_MS));
        await sync();
        let stored = await idCounts(store);
        assert.deepEqual([...late.events].filter((id) => stored.has(id)), [], "late events are not visible yet");

        // On-time events a minute later move the high-water mark past the late ones.
        await control(emulator, "faults", "POST", { configure: { lateAuditRate: 0 } });
        await control(emulator, "time", "POST", { advanceMs: 60_000 });
        const onTime = await activity(emulator, 6, ["audit_noise", "member_added"]);
        assert.ok(onTime.events.size >= 3);
        assert.equal(await sync(), onTime.events.size, "on-time events stored");
        stored = await idCounts(store);
        assert.deepEqual([...late.events].filter((id) => stored.has(id)), [], "still not visible after a minute");

        await control(emulator, "time", "POST", { advanceMs: LATE_MS });
        assert.equal(await sync(), late.events.size, "the late events are added by the next sync");
        stored = await idCounts(store);
        for (const id of [...late.events, ...onTime.events]) assert.equal(stored.get(id), 1, `event ${id} stored once`);
        assert.deepEqual([...stored.values()].filter((n) => n !== 1), [], "no duplicates");
        assert.equal(stored.size, auditTruth(emulator, orgs).size, "store = what the API returns");
        assert.equal(await sync(), 0, "nothing more to add");

        // A late audit event and the poll that saw the same dismissal first are one timeline entry.
        for (const r of late.results.filter((x) => x.kind === "dependabot_dismissed" || x.kind === "secret_resolved")) {
          const kind = r.kind === "dependabot_dismissed" ? "dependabot" : "secret_scanning";
          const alert = await store.alerts.findByNumber(kind, r.repo!, r.number!);
          assert.ok(alert, `${kind} ${r.repo}#${r.number} stored`);
          const closing = (await store.alertEvents.timeline(alert.id)).filter((e) => e.toState === alert.state && e.at >= t0);
          assert.equal(closing.length, 1, `${kind} ${r.repo}#${r.number}: one ${alert.state} entry`);
          assert.ok(closing[0]!.actor, "the actor is known");
        }
      });
    } finally {
      cfg.cleanup();
      await emulator.close();
    }
  });
  test("a late audit event that lands before a recorded one: the export shows each transition from the right state", async () => {
    const emulator = await startWorld({ seed: 9, size: "small", frozenClock: true });
    const orgs = emulator.world.orgs;
    const cfg = tempConfig(orgs);
    try {
      await dialect.withStore(async (store) => {
        const sync = async () => {
          const outcomes = await syncOnce({ config: configFor(emulator, cfg.file, orgs), store, logger: silentLogger(), clock: emulatorClock(emulator) });
          assert.deepEqual(outcomes.filter((o) => !o.ok), []);
        };
        await sync();
        const repo = [...emulator.state.repos.values()].find((r) => !r.archived && r.features.secret_scanning && r.secretScanning.some((x) => x.alert.state === "open"));
        assert.ok(repo, "an open secret scanning alert");
        const number = repo.secretScanning.find((x) => x.alert.state === "open")!.alert.number!;
        const user = emulator.state.org(repo.owner)!.members[0]!;
        const t0 = Math.floor(emulator.state.now() / 1000) * 1000;

        // Resolved (its audit event arrives 4 minutes late), reopened a minute later (on time); the poll in
        // between sees the alert open both times, so only the audit log tells the story.
        await control(emulator, "faults", "POST", { configure: { lateAuditRate: 1, lateAuditMs: LATE_MS } });
        emulator.simulator.resolveSecret(repo, number, { by: user, resolution: "wont_fix", comment: null });
        await control(emulator, "faults", "POST", { configure: { lateAuditRate: 0 } });
        await control(emulator, "time", "POST", { advanceMs: 60_000 });
        emulator.simulator.reopenSecret(repo, number, { by: user });
        await sync();
        await control(emulator, "time", "POST", { advanceMs: LATE_MS });
        await sync();

        // What readers see (export, API): the state before each entry.
        const entries: unknown[][] = [];
        for await (const row of exportRows(store, "timeline")) {
          if (row["repository"] === repo.fullName && row["number"] === number && row["kind"] === "secret_scanning" && Date.parse(String(row["at"])) >= t0) {
            entries.push([row["from_state"], row["to_state"], row["actor"]]);
          }
        }
        assert.deepEqual(entries, [
          ["open", "resolved", user],
          ["resolved", "open", user],
        ]);
      });
    } finally {
      cfg.cleanup();
      await emulator.close();
    }
  });
});
