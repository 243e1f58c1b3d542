// The emulator's own signed deliveries into a real server: forced dismissals, reopens, fixes, resolutions and new
// alerts reach the store through webhooks alone (no poll in between), code scanning alerts are re-read for what their
// webhooks lack, a redelivery is stored once, and a later poll adds no second entry for any change. Every dialect.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { RunningServer } from "../../src/api/server.js";
import { silentLogger } from "../../src/core/logger.js";
import { alertId } from "../../src/core/records.js";
import { featureOn } from "../../src/emulator/routes/alerts/scope.js";
import { onRef } from "../../src/emulator/routes/code-scanning.js";
import type { EmuRepo } from "../../src/emulator/state/types.js";
import { syncOnce } from "../../src/pipeline/sync.js";
import { forEachDialect } from "../../src/store/testing.js";
import type { Store } from "../../src/store/index.js";
import { emulatorClock, startWorld, type SeededEmulator } from "../e2e/support/world.js";
import { rowCounts, serve, webhookConfig, WEBHOOK_PATH } from "./support.js";

const SECRET = "emulator-hook-secret";
const STEP_MS = 10 * 60_000;

function repos(emulator: SeededEmulator, fits: (r: EmuRepo) => boolean): EmuRepo[] {
  return [...emulator.state.repos.values()].filter((r) => !r.archived && emulator.state.org(r.owner) && fits(r));
}

/** One open alert of each kind (code scanning on the default branch), and three org members to act. */
function pick(emulator: SeededEmulator) {
  const [dep] = repos(emulator, (r) => featureOn("dependabot", r) && r.dependabot.some((a) => a.state === "open"));
  const [cs] = repos(emulator, (r) => featureOn("code_scanning", r) && r.codeScanning.some((c) => c.alert.state === "open" && onRef(c, `refs/heads/${r.defaultBranch}`)));
  const [sec] = repos(emulator, (r) => featureOn("secret_scanning", r) && r.secretScanning.some((s) => s.alert.state === "open"));
  assert.ok(dep && cs && sec, "the world has open alerts of every kind");
  const org = emulator.state.org(dep.owner)!;
  const people = [...new Set([...org.members, ...org.securityManagers])].filter((p) => p !== emulator.world.adminLogin);
  assert.ok(people.length >= 2);
  return {
    dep: { repo: dep, number: dep.dependabot.find((a) => a.state === "open")!.number },
    cs: { repo: cs, number: cs.codeScanning.find((c) => c.alert.state === "open" && onRef(c, `refs/heads/${cs.defaultBranch}`))!.alert.number },
    sec: { repo: sec, number: sec.secretScanning.find((s) => s.alert.state === "open")!.alert.number! },
    u1: people[0]!,
    u2: people[1]!,
  };
}

async function timelineOf(store: Store, id: string) {
  return (await store.alertEvents.timeline(id)).map((e) => ({ from: e.fromState, to: e.toState, at: e.at, actor: e.actor, reason: e.reason, source: e.source }));
}

forEachDialect("webhooks from the emulator", (dialect) => {
  test("forced transitions and new alerts reach alerts and timelines through signed deliveries", { timeout: 120_000 }, async () => {
    const emulator = await startWorld({ seed: 11, size: "small", frozenClock: true, now: Date.now() - 6 * 3_600_000 });
    const clock = emulatorClock(emulator);
    const database = await dialect.create();
    const store = await database.open({ clock });
    const config = webhookConfig(emulator.url, [SECRET], { token: emulator.token, orgs: emulator.world.orgs });
    let server: RunningServer | undefined;
    try {
      const sync = async () => assert.deepEqual((await syncOnce({ config, store, logger: silentLogger(), clock })).filter((o) => !o.ok), []);
      await sync(); // what GitHub shows before the webhooks start
      // Received as GitHub sends them (within the second of each change: the frozen clock only moves between steps),
      // processed in one drain after the emulator is done: a drain orders each alert's deliveries by the alert's own
      // times, so the timelines below are exact.
      server = await serve(store, config, { clock });
      emulator.webhooks.addTarget({ url: `${server.url}${WEBHOOK_PATH}`, secret: SECRET });
      const { dep, cs, sec, u1, u2 } = pick(emulator);
      const sim = emulator.simulator;
      const at = () => Math.floor(emulator.state.now() / 1000) * 1000;
      const advance = () => emulator.state.clock.advance(STEP_MS);

      advance();
      const t1 = at();
      sim.dismissDependabot(dep.repo, dep.number, { by: u1, reason: "tolerable_risk", comment: "admin CLI only" });
      sim.dismissCodeScanning(cs.repo, cs.number, { by: u1, reason: "won't fix" });
      sim.resolveSecret(sec.repo, sec.number, { by: u1, resolution: "revoked" });
      await emulator.webhooks.idle();
      advance();
      const t2 = at();
      // A code scanning `reopened_by_user` payload carries no time at all (GitHub's schema has no `updated_at` there):
      // the reopen is dated when the delivery was received.
      const received2 = emulator.state.now();
      sim.reopenDependabot(dep.repo, dep.number, { by: u2 });
      sim.reopenCodeScanning(cs.repo, cs.number, { by: u2 });
      sim.reopenSecret(sec.repo, sec.number, { by: u2 });
      await emulator.webhooks.idle();
      advance();
      const t3 = at();
      sim.fixCodeScanning(cs.repo, cs.number);
      const newCs = sim.createCodeScanningAlert(cs.repo);
      const newDep = sim.createDependabotAlert(dep.repo);
      const newSec = sim.createSecretScanningAlert(sec.repo);
      await emulator.webhooks.idle();
      assert.equal((await store.webhookDeliveries.counts()).pending, 11, "stored before the 2xx, processed later");
      await server.webhooks.processor.drain();

      const log = emulator.webhooks.deliveries();
      assert.ok(log.length >= 11, `${log.length} deliveries`);
      assert.deepEqual(log.filter((d) => d.status_code !== 202), [], "every delivery accepted");
      const stored = await rowCounts(store);
      assert.equal(stored.deliveries, new Set(log.map((d) => d.guid)).size);
      for (const d of log) assert.equal((await store.webhookDeliveries.get(d.guid))?.status, "processed", `${d.event}.${d.action}`);
      assert.ok(log.some((d) => d.event === "secret_scanning_alert_location"), "locations of the new secret were sent");

      const depId = alertId("dependabot", dep.repo.fullName, dep.number);
      const csId = alertId("code_scanning", cs.repo.fullName, cs.number);
      const secId = alertId("secret_scanning", sec.repo.fullName, sec.number);
      assert.deepEqual((await timelineOf(store, depId)).slice(-2), [
        { from: "open", to: "dismissed", at: t1, actor: u1, reason: "tolerable_risk", source: "webhook" },
        { from: "dismissed", to: "open", at: t2, actor: u2, reason: null, source: "webhook" },
      ]);
      assert.deepEqual((await timelineOf(store, csId)).slice(-3), [
        { from: "open", to: "dismissed", at: t1, actor: u1, reason: "won't fix", source: "webhook" },
        { from: "dismissed", to: "open", at: received2, actor: u2, reason: null, source: "webhook" },
        { from: "open", to: "fixed", at: t3, actor: null, reason: null, source: "webhook" },
      ]);
      assert.deepEqual((await timelineOf(store, secId)).slice(-2), [
        { from: "open", to: "resolved", at: t1, actor: u1, reason: "revoked", source: "webhook" },
        { from: "resolved", to: "open", at: t2, actor: u2, reason: null, source: "webhook" },
      ]);
      assert.equal((await store.alerts.get(depId))?.state, "open");
      assert.equal((await store.alerts.get(csId))?.state, "fixed");
      assert.equal((await store.alerts.get(csId))?.closedAt, t3, "fixed_at re-read through the API");
      assert.equal((await store.alerts.get(secId))?.state, "open");

      // New alerts: stored from their webhooks; the code scanning one re-read for its security severity.
      const created = await store.alerts.get(alertId("code_scanning", cs.repo.fullName, newCs.number));
      const expected = (newCs.rule.security_severity_level ?? newCs.rule.severity ?? null)?.toLowerCase() ?? null;
      assert.equal(created?.severity, expected);
      assert.equal((await store.alerts.get(alertId("dependabot", dep.repo.fullName, newDep.number)))?.state, "open");
      assert.equal((await store.alerts.get(alertId("secret_scanning", sec.repo.fullName, newSec.number!)))?.state, "open");
      assert.ok(server.webhooks.stats().processing.refreshed >= 2);

      // A redelivery keeps its GUID: answered 2xx, stored once.
      const guid = log[0]!.guid;
      const [again] = await emulator.webhooks.redeliver(guid);
      assert.equal(again?.status_code, 200);
      assert.equal(again?.redelivery, true);
      assert.equal((await rowCounts(store)).deliveries, stored.deliveries);
      assert.equal(server.webhooks.stats().intake.duplicates, 1);

      // A poll now sees the same changes: no second timeline entry for any of them.
      const before = await rowCounts(store);
      await sync();
      assert.equal((await rowCounts(store)).events, before.events, "the poll recorded no change twice");
      assert.equal((await store.alerts.get(csId))?.state, "fixed");
    } finally {
      await server?.close();
      await database.drop();
      await emulator.close();
    }
  });
});
