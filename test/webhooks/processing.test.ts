// Processing stored deliveries: a webhook older than what a poll stored never regresses the alert but still adds its
// history; pending deliveries are processed by the next server after a restart; deliveries of one alert that arrive
// in reverse are processed in the alert's order; an unreadable delivery is marked failed with its error. Every dialect.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { RunningServer } from "../../src/api/server.js";
import { ManualClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { alertId } from "../../src/core/records.js";
import { featureOn } from "../../src/emulator/routes/alerts/scope.js";
import { onRef } from "../../src/emulator/routes/code-scanning.js";
import { syncOnce } from "../../src/pipeline/sync.js";
import { WebhookProcessor } from "../../src/sources/webhooks/processor.js";
import type { Store, StoreRepositories } from "../../src/store/index.js";
import { forEachDialect } from "../../src/store/testing.js";
import { emulatorClock, startWorld, type SeededEmulator } from "../e2e/support/world.js";
import { examples, post, rowCounts, serve, webhookConfig, WEBHOOK_PATH, type Payload } from "./support.js";

const SECRET = "processing-secret";
const STEP_MS = 10 * 60_000;

/** An open Dependabot alert of the seeded world and two org members. */
function openDependabot(emulator: SeededEmulator) {
  const repo = [...emulator.state.repos.values()].find((r) => !r.archived && emulator.state.org(r.owner) && featureOn("dependabot", r) && r.dependabot.some((a) => a.state === "open"))!;
  const org = emulator.state.org(repo.owner)!;
  const [u1, u2] = [...new Set([...org.members, ...org.securityManagers])].filter((p) => p !== emulator.world.adminLogin);
  return { repo, number: repo.dependabot.find((a) => a.state === "open")!.number, u1: u1!, u2: u2! };
}

/** An open code scanning alert on a default branch (GitHub writes no audit events for those: only webhooks tell). */
function openCodeScanning(emulator: SeededEmulator) {
  const onDefault = (r: { defaultBranch: string }) => (c: Parameters<typeof onRef>[0]) => c.alert.state === "open" && onRef(c, `refs/heads/${r.defaultBranch}`);
  const repo = [...emulator.state.repos.values()].find((r) => !r.archived && emulator.state.org(r.owner) && featureOn("code_scanning", r) && r.codeScanning.some(onDefault(r)))!;
  const { u1, u2 } = openDependabot(emulator);
  return { repo, number: repo.codeScanning.find(onDefault(repo))!.alert.number, u1, u2 };
}

forEachDialect("webhook processing", (dialect) => {
  /** A seeded emulator, a store on its clock, a server that stores deliveries (drained by the test) and a poll. */
  async function world(seed: number) {
    const emulator = await startWorld({ seed, size: "tiny", frozenClock: true, now: Date.now() - 3_600_000 });
    const clock = emulatorClock(emulator);
    const database = await dialect.create();
    const store = await database.open({ clock });
    const config = webhookConfig(emulator.url, [SECRET], { token: emulator.token, orgs: emulator.world.orgs });
    const sync = async () => assert.deepEqual((await syncOnce({ config, store, logger: silentLogger(), clock })).filter((o) => !o.ok), []);
    await sync();
    const server = await serve(store, config, { clock });
    const hook = emulator.webhooks.addTarget({ url: `${server.url}${WEBHOOK_PATH}`, secret: SECRET });
    /** Each step's time as GitHub writes it (whole seconds), and as a delivery sent during the step is received. */
    const stamps: number[] = [];
    const received: number[] = [];
    const step = () => {
      emulator.state.clock.advance(STEP_MS);
      stamps.push(Math.floor(emulator.state.now() / 1000) * 1000);
      received.push(emulator.state.now());
    };
    const close = async () => {
      await server.close();
      await database.drop();
      await emulator.close();
    };
    return { emulator, store, server, hook, sync, step, stamps, received, close, ...openCodeScanning(emulator) };
  }

  test("a webhook processed after a newer poll does not regress the alert, and still adds its history", { timeout: 60_000 }, async () => {
    const w = await world(12);
    try {
      const id = alertId("code_scanning", w.repo.fullName, w.number);
      w.step();
      w.emulator.simulator.dismissCodeScanning(w.repo, w.number, { by: w.u1, reason: "used in tests" });
      await w.emulator.webhooks.idle();
      w.hook.events = ["ping"]; // the reopen's delivery is late (or lost): only the poll sees it
      w.step();
      w.emulator.simulator.reopenCodeScanning(w.repo, w.number, { by: w.u2 });
      await w.sync();
      assert.equal((await w.store.alerts.get(id))?.state, "open");

      await w.server.webhooks.processor.drain();
      const alert = await w.store.alerts.get(id);
      assert.equal(alert?.state, "open", "not regressed to the dismissal the late webhook reports");
      assert.equal(alert?.updatedAt, w.stamps[1]);
      assert.equal(alert?.reason, null);
      const timeline = (await w.store.alertEvents.timeline(id)).map((e) => [e.fromState, e.toState, e.at, e.actor, e.reason, e.source]);
      assert.deepEqual(timeline.at(-1), ["open", "dismissed", w.stamps[0], w.u1, "used in tests", "webhook"], "the dismissal is history");
      assert.equal((await w.store.webhookDeliveries.counts()).processed, 1);
    } finally {
      await w.close();
    }
  });

  test("a code scanning dismissal then a reopen, processed in order, leave the alert open (the payloads carry no updated_at)", { timeout: 60_000 }, async () => {
    const w = await world(15);
    try {
      const id = alertId("code_scanning", w.repo.fullName, w.number);
      w.step();
      w.emulator.simulator.dismissCodeScanning(w.repo, w.number, { by: w.u1, reason: "false positive" });
      await w.emulator.webhooks.idle();
      await w.server.webhooks.processor.drain();
      assert.equal((await w.store.alerts.get(id))?.state, "dismissed");
      w.step();
      w.emulator.simulator.reopenCodeScanning(w.repo, w.number, { by: w.u2 });
      await w.emulator.webhooks.idle();
      await w.server.webhooks.processor.drain();
      const alert = await w.store.alerts.get(id);
      assert.equal(alert?.state, "open", "the reopen is not taken for stale");
      const timeline = (await w.store.alertEvents.timeline(id)).map((e) => [e.fromState, e.toState, e.at, e.actor, e.reason, e.source]);
      assert.deepEqual(timeline.slice(-2), [
        ["open", "dismissed", w.stamps[0], w.u1, "false positive", "webhook"],
        // Re-read through the API while the alert still is as the reopen left it: GitHub's own time of the change.
        ["dismissed", "open", w.stamps[1], w.u2, null, "webhook"],
      ]);
      assert.equal(timeline.filter((e) => e[3] === w.u2).length, 1, "the reopener acts in the reopen only");
    } finally {
      await w.close();
    }
  });

  test("late webhooks fill in the changes a poll missed between two of its runs", { timeout: 60_000 }, async () => {
    const w = await world(14);
    try {
      const id = alertId("code_scanning", w.repo.fullName, w.number);
      // Each delivery is received within its step (as GitHub sends them, within seconds), and waits to be processed.
      w.step();
      w.emulator.simulator.dismissCodeScanning(w.repo, w.number, { by: w.u1, reason: "used in tests" });
      await w.emulator.webhooks.idle();
      w.step();
      w.emulator.simulator.reopenCodeScanning(w.repo, w.number, { by: w.u2 });
      await w.emulator.webhooks.idle();
      w.step();
      w.emulator.simulator.dismissCodeScanning(w.repo, w.number, { by: w.u1, reason: "won't fix" });
      await w.emulator.webhooks.idle();
      // The poll runs while the three deliveries wait: it stores the newest state (dismissed at t3).
      await w.sync();
      assert.equal((await w.store.alerts.get(id))?.updatedAt, w.stamps[2]);

      await w.server.webhooks.processor.drain();
      const alert = await w.store.alerts.get(id);
      assert.equal(alert?.state, "dismissed");
      assert.equal(alert?.updatedAt, w.stamps[2]);
      assert.equal(alert?.reason, "won't fix");
      const timeline = (await w.store.alertEvents.timeline(id)).map((e) => [e.fromState, e.toState, e.at, e.actor, e.reason, e.source]);
      assert.deepEqual(timeline.slice(-3), [
        ["open", "dismissed", w.stamps[0], w.u1, "used in tests", "webhook"],
        // A `reopened_by_user` payload carries no time (GitHub's schema has no `updated_at` there): when it was received.
        ["dismissed", "open", w.received[1], w.u2, null, "webhook"],
        ["open", "dismissed", w.stamps[2], w.u1, "won't fix", "poll"],
      ]);
      assert.equal((await w.store.webhookDeliveries.counts()).processed, 3);
    } finally {
      await w.close();
    }
  });

  test("deliveries stored before a restart are processed when the next server starts", { timeout: 60_000 }, async () => {
    const emulator = await startWorld({ seed: 13, size: "tiny", frozenClock: true, now: Date.now() - 3_600_000 });
    const clock = emulatorClock(emulator);
    const database = await dialect.create();
    const config = webhookConfig(emulator.url, [SECRET], { token: emulator.token, orgs: emulator.world.orgs });
    let server: RunningServer | undefined;
    try {
      const first = await database.open({ clock });
      server = await serve(first, config, { clock }); // stores, does not process: as if it stopped right after
      emulator.webhooks.addTarget({ url: `${server.url}${WEBHOOK_PATH}`, secret: SECRET, contentType: "form" });
      const { repo, number, u1 } = openDependabot(emulator);
      emulator.state.clock.advance(STEP_MS);
      emulator.simulator.dismissDependabot(repo, number, { by: u1, reason: "inaccurate" });
      const created = emulator.simulator.createDependabotAlert(repo);
      await emulator.webhooks.idle();
      assert.equal((await first.webhookDeliveries.counts()).pending, 2);
      await server.close();
      await first.close();

      const second = await database.open({ clock });
      server = await serve(second, config, { clock, process: true });
      await server.webhooks.processor.idle(); // the drain start() began
      assert.deepEqual(await second.webhookDeliveries.counts(), { pending: 0, processed: 2, failed: 0, ignored: 0 });
      assert.equal((await second.alerts.get(alertId("dependabot", repo.fullName, number)))?.state, "dismissed");
      assert.equal((await second.alerts.get(alertId("dependabot", repo.fullName, created.number)))?.state, "open");
      const entry = (await second.alertEvents.timeline(alertId("dependabot", repo.fullName, number))).at(-1);
      assert.equal(entry?.actor, u1);
      assert.equal(entry?.source, "webhook");
    } finally {
      await server?.close();
      await database.drop();
      await emulator.close();
    }
  });

  test("one alert's deliveries arriving in reverse are processed in the alert's order", async () => {
    const database = await dialect.create();
    const store = await database.open();
    const server = await serve(store, webhookConfig("http://127.0.0.1:9", [SECRET]));
    try {
      const created = examples("dependabot_alert").find((e) => e["action"] === "created")!;
      const alert = created["alert"] as Payload;
      const dismissed = { ...created, action: "dismissed", sender: { login: "alice", type: "User" }, alert: { ...alert, state: "dismissed", updated_at: "2023-06-25T10:00:00Z", dismissed_at: "2023-06-25T10:00:00Z", dismissed_by: { login: "alice" }, dismissed_reason: "no_bandwidth" } };
      const reopened = { ...created, action: "reopened", sender: { login: "bob", type: "User" }, alert: { ...alert, updated_at: "2023-06-26T10:00:00Z" } };
      for (const [i, payload] of [reopened, dismissed, created].entries()) {
        const res = await post(server.url, { event: "dependabot_alert", id: `reverse-${i}`, body: JSON.stringify(payload), secret: SECRET });
        assert.equal(res.status, 202);
      }
      await server.webhooks.processor.drain();
      const id = alertId("dependabot", "wolfy1339/pika-pack", 20);
      assert.equal((await store.alerts.get(id))?.state, "open");
      const timeline = (await store.alertEvents.timeline(id)).map((e) => [e.fromState, e.toState, new Date(e.at).toISOString(), e.actor, e.sourceRef]);
      assert.deepEqual(timeline, [
        [null, "open", "2023-06-24T13:57:12.000Z", null, "reverse-2"],
        ["open", "dismissed", "2023-06-25T10:00:00.000Z", "alice", "reverse-1"],
        ["dismissed", "open", "2023-06-26T10:00:00.000Z", "bob", "reverse-0"],
      ]);
    } finally {
      await server.close();
      await database.drop();
    }
  });

  test("a delivery that cannot be processed is marked failed with its error, once", async () => {
    const database = await dialect.create();
    const store = await database.open();
    const server = await serve(store, webhookConfig("http://127.0.0.1:9", [SECRET]));
    try {
      const res = await post(server.url, { event: "code_scanning_alert", id: "no-alert", body: '{"action":"created","repository":{"full_name":"o/r"}}', secret: SECRET });
      assert.equal(res.status, 202);
      const before = await rowCounts(store);
      await server.webhooks.processor.drain();
      const d = await store.webhookDeliveries.get("no-alert");
      assert.equal(d?.status, "failed");
      assert.equal(d?.attempts, 1);
      assert.match(d?.error ?? "", /no alert object/);
      assert.deepEqual(await rowCounts(store), before);
      assert.equal(server.webhooks.stats().processing.failures, 1);
    } finally {
      await server.close();
      await database.drop();
    }
  });

  test("a delivery failing for a passing reason waits out its back-off however often the processor runs; a redelivery takes up one that failed for good", async () => {
    const clock = new ManualClock({ frozen: true });
    const database = await dialect.create();
    const store = await database.open({ clock });
    // The real store, whose transactions fail while `failing` says so (as SQLITE_BUSY or a lost connection would).
    let failing = true;
    let attempts = 0;
    const flaky: Store = {
      ...store,
      transaction: <T>(fn: (tx: StoreRepositories) => Promise<T>) => {
        attempts++;
        return failing ? Promise.reject(new Error("database is locked")) : store.transaction(fn);
      },
    };
    const processor = new WebhookProcessor({ store: flaky, logger: silentLogger(), clock, secretRisk: "HIGH", sweepIntervalMs: 0, maxAttempts: 3 });
    try {
      const [example] = examples("dependabot_alert");
      assert.ok(example, "GitHub's Dependabot example payload");
      const body = JSON.stringify(example);
      const input = { id: "flaky-1", event: "dependabot_alert", action: String(example["action"]), headers: {}, body };
      await store.webhookDeliveries.record(input);
      await processor.drain();
      assert.equal(attempts, 1);
      // Many passes (one per stored delivery, the sweep) before the back-off has passed: no new attempt.
      for (let i = 0; i < 5; i++) await processor.drain();
      assert.equal(attempts, 1, "not retried before its time");
      const waiting = await store.webhookDeliveries.get("flaky-1");
      assert.equal(waiting?.status, "pending");
      assert.equal(waiting?.nextAttemptAt, clock.now() + 5_000);
      clock.advance(5_000);
      await processor.drain();
      assert.equal(attempts, 2, "retried once due");
      clock.advance(10_000);
      await processor.drain();
      const failed = await store.webhookDeliveries.get("flaky-1");
      assert.equal(failed?.status, "failed", "failed for good after 3 attempts");
      assert.equal(failed?.attempts, 3);
      assert.equal(processor.stats().failures, 3);

      // The cause is gone and someone presses "Redeliver" on GitHub: the delivery is taken up again and processed.
      failing = false;
      assert.deepEqual(await store.webhookDeliveries.record(input), { inserted: true });
      await processor.drain();
      assert.equal((await store.webhookDeliveries.get("flaky-1"))?.status, "processed");
      // A redelivery of a processed delivery stays a duplicate.
      assert.deepEqual(await store.webhookDeliveries.record(input), { inserted: false });
      assert.equal((await store.webhookDeliveries.get("flaky-1"))?.status, "processed");
    } finally {
      await processor.stop();
      await store.close();
      await database.drop();
    }
  });
});
