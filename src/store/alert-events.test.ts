// Alert timelines: re-recording a transition is a no-op whichever source reports it; order is (at, seq).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { AlertEventInput } from "./alert-events.js";
import { alertId } from "./ids.js";
import { forEachDialect } from "./testing.js";

const T0 = Date.UTC(2025, 3, 1);
const ALERT = alertId("secret_scanning", "octo-org/api", 3);

function transition(fromState: string | null, toState: string, at: number, extra: Partial<AlertEventInput> = {}): AlertEventInput {
  return {
    alertId: ALERT,
    kind: "secret_scanning",
    repository: "octo-org/api",
    number: 3,
    fromState,
    toState,
    at,
    source: "poll",
    ...extra,
  };
}

forEachDialect("alert events", (dialect) => {
  test("the same transition recorded again, by any source, is stored once", () =>
    dialect.withStore(async (store) => {
      const opened = transition(null, "open", T0);
      const resolved = transition("open", "resolved", T0 + 5000, { actor: "alice", reason: "revoked", source: "webhook", sourceRef: "delivery-1" });
      const first = await store.alertEvents.record([opened, resolved]);
      assert.equal(first.inserted, 2);
      assert.equal(first.ids.length, 2);

      const again = await store.alertEvents.record([
        opened,
        { ...resolved, source: "poll", sourceRef: "secret-scanning" },
        { ...resolved, source: "audit_log", sourceRef: "doc-9", fromState: null },
      ]);
      assert.deepEqual(again, { inserted: 0, ids: [] });

      const reopened = transition("resolved", "open", T0 + 9000, { source: "audit_log", sourceRef: "doc-10" });
      const third = await store.alertEvents.record([reopened, reopened]);
      assert.equal(third.inserted, 1);

      const timeline = await store.alertEvents.timeline(ALERT);
      assert.deepEqual(timeline.map((e) => [e.fromState, e.toState, e.source]), [
        [null, "open", "poll"],
        ["open", "resolved", "webhook"],
        ["resolved", "open", "audit_log"],
      ]);
      assert.equal(timeline[1]?.actor, "alice");
      assert.equal(timeline[1]?.sourceRef, "delivery-1", "the first report is kept");
    }));

  test("enrich fills in what a later report knows, never overwrites, and re-queues the entry for sinks", () =>
    dialect.withStore(async (store) => {
      const { ids } = await store.alertEvents.record([transition("open", "resolved", T0, { reason: "revoked" })]);
      const id = ids[0] ?? "";
      const before = (await store.alertEvents.timeline(ALERT))[0];
      assert.equal(await store.alertEvents.enrich(id, { actor: "alice", reason: "false_positive", comment: "rotated" }), true);
      const after = (await store.alertEvents.timeline(ALERT))[0];
      assert.deepEqual([after?.actor, after?.reason, after?.comment], ["alice", "revoked", "rotated"]);
      assert.ok((after?.seq ?? 0) > (before?.seq ?? 0));
      assert.equal(await store.alertEvents.enrich(id, { actor: "bob" }), false, "nothing left to fill in");
      assert.equal(await store.alertEvents.enrich("ae_missing", { actor: "bob" }), false);
      const { records } = await store.outbox.read(0, { kinds: ["alert_event"] });
      assert.equal(records.length, 1);
    }));

  test("the timeline is ordered by time, then by recording order", () =>
    dialect.withStore(async (store) => {
      // Recorded out of time order, two at the same instant.
      await store.alertEvents.record([transition("open", "resolved", T0 + 3000)]);
      await store.alertEvents.record([transition(null, "open", T0)]);
      await store.alertEvents.record([transition("resolved", "reopened", T0 + 3000)]);
      const timeline = await store.alertEvents.timeline(ALERT);
      assert.deepEqual(timeline.map((e) => e.toState), ["open", "resolved", "reopened"]);
      assert.deepEqual(await store.alertEvents.timeline(alertId("secret_scanning", "octo-org/api", 4)), []);
    }));

  test("lists transitions across alerts with filters and keyset pages", () =>
    dialect.withStore(async (store) => {
      const inputs: AlertEventInput[] = [];
      for (let n = 1; n <= 12; n++) {
        const id = alertId("dependabot", "octo-org/web", n);
        const base = { alertId: id, kind: "dependabot" as const, repository: "octo-org/web", number: n, source: "poll" as const };
        inputs.push({ ...base, fromState: null, toState: "open", at: T0 + n });
        if (n % 3 === 0) inputs.push({ ...base, fromState: "open", toState: "dismissed", at: T0 + 1000 + n });
      }
      await store.alertEvents.record(inputs);
      const page1 = await store.alertEvents.list({ toStates: ["dismissed"] }, { limit: 3 });
      assert.deepEqual(page1.items.map((e) => e.number), [12, 9, 6]);
      const page2 = await store.alertEvents.list({ toStates: ["dismissed"] }, { limit: 3, cursor: page1.nextCursor });
      assert.deepEqual(page2.items.map((e) => e.number), [3]);
      assert.equal(page2.nextCursor, undefined);
      assert.equal((await store.alertEvents.list({ from: T0 + 1000 }, { limit: 100 })).items.length, 4);
    }));

  test("entries at the same instant read in causal order, not in id or record order, in timeline() and list()", () =>
    dialect.withStore(async (store) => {
      // Six alerts, each created and dismissed in the same second (GitHub's REST times are whole seconds); the
      // creation of some is recorded after the dismissal, and some dismissals get enriched (a new record position).
      const alerts = Array.from({ length: 6 }, (_, i) => alertId("dependabot", "octo-org/web", i + 1));
      for (const [i, id] of alerts.entries()) {
        const base = { alertId: id, kind: "dependabot" as const, repository: "octo-org/web", number: i + 1, source: "poll" as const };
        const created = { ...base, fromState: null, toState: "open", at: T0 };
        const dismissed = { ...base, fromState: "open", toState: "dismissed", at: T0 };
        if (i % 2 === 0) await store.alertEvents.record([created, dismissed]);
        else {
          await store.alertEvents.record([dismissed]);
          await store.alertEvents.record([created]);
        }
        if (i % 3 === 0) {
          const [first] = await store.alertEvents.timeline(id);
          await store.alertEvents.enrich(first!.id, { actor: "dependabot[bot]" });
        }
      }
      for (const id of alerts) {
        const timeline = await store.alertEvents.timeline(id);
        assert.deepEqual(timeline.map((e) => [e.fromState, e.toState]), [[null, "open"], ["open", "dismissed"]], id);
      }
      const chains = (items: { alertId: string; fromState: string | null; toState: string }[]) => {
        const byAlert = new Map<string, string[]>();
        for (const e of items) byAlert.set(e.alertId, [...(byAlert.get(e.alertId) ?? []), `${e.fromState ?? ""}>${e.toState}`]);
        return byAlert;
      };
      // Oldest first, in pages of every size (a page never splits one alert's instant).
      for (const limit of [1, 2, 3, 100]) {
        const items = [];
        let cursor: string | undefined;
        do {
          const page = await store.alertEvents.list({}, { order: "asc", limit, ...(cursor ? { cursor } : {}) });
          items.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        assert.equal(items.length, 12, `limit ${limit}`);
        const byAlert = chains(items);
        for (const id of alerts) assert.deepEqual(byAlert.get(id), [">open", "open>dismissed"], `${id}, limit ${limit}`);
      }
      // Newest first: the reverse.
      const desc = await store.alertEvents.list({}, { limit: 100 });
      for (const id of alerts) assert.deepEqual(chains(desc.items).get(id), ["open>dismissed", ">open"]);
    }));

  test("a dismiss, reopen and dismiss at one instant chain from the state before, in list() too", () =>
    dialect.withStore(async (store) => {
      await store.alertEvents.record([transition(null, "open", T0 - 5000)]);
      await store.alertEvents.record([transition("resolved", "open", T0)]);
      await store.alertEvents.record([transition("open", "resolved", T0)]);
      assert.deepEqual((await store.alertEvents.timeline(ALERT)).map((e) => e.toState), ["open", "resolved", "open"]);
      const page = await store.alertEvents.list({ from: T0 }, { order: "asc" });
      assert.deepEqual(page.items.map((e) => e.toState), ["resolved", "open"], "the state before the instant is looked up");
    }));

  test("retime moves an entry to a more precise instant, keeps its id, re-queues it, and never onto a twin", () =>
    dialect.withStore(async (store) => {
      const { ids } = await store.alertEvents.record([transition("open", "resolved", T0), transition("resolved", "open", T0 + 2000)]);
      const before = (await store.alertEvents.timeline(ALERT))[0]!;
      assert.equal(await store.alertEvents.retime(ids[0]!, T0 + 420), true);
      const after = (await store.alertEvents.timeline(ALERT))[0]!;
      assert.deepEqual([after.id, after.at], [ids[0], T0 + 420]);
      assert.ok(after.seq > before.seq);
      assert.equal(await store.alertEvents.retime(ids[0]!, T0 + 420), false, "already there");
      await store.alertEvents.record([transition("open", "resolved", T0 + 900)]);
      assert.equal(await store.alertEvents.retime(ids[0]!, T0 + 900), false, "the alert entered that state at that instant already");
    }));

  test("a change at the instant a retimed entry came from is still recorded, under an id of its own, once", () =>
    dialect.withStore(async (store) => {
      const { ids } = await store.alertEvents.record([transition("open", "resolved", T0)]);
      assert.equal(await store.alertEvents.retime(ids[0]!, T0 + 420), true);
      // Another report: the alert entered `resolved` at T0 as well (its id is the one the retimed entry kept).
      const again = await store.alertEvents.record([transition("open", "resolved", T0)]);
      assert.equal(again.inserted, 1);
      assert.notEqual(again.ids[0], ids[0]);
      assert.deepEqual((await store.alertEvents.timeline(ALERT)).map((e) => [e.id, e.at]), [[again.ids[0], T0], [ids[0], T0 + 420]]);
      // Reported once more: already stored (the same variant id, the unique instant), nothing new.
      assert.equal((await store.alertEvents.record([transition("open", "resolved", T0)])).inserted, 0);
      assert.equal((await store.alertEvents.timeline(ALERT)).length, 2);
    }));

  test("a list cursor of an older version is refused with a clear error", () =>
    dialect.withStore(async (store) => {
      const old = Buffer.from(JSON.stringify([T0, "ae_0123456789abcdefghijkl"])).toString("base64url");
      await assert.rejects(store.alertEvents.list({}, { cursor: old }), /older ghaudit version/);
    }));
});
