// One change reported by several sources is one timeline entry; distinct changes stay distinct.
import { it } from "node:test";
import assert from "node:assert/strict";
import { alertId } from "../core/records.js";
import { forEachDialect } from "../store/testing.js";
import { recordTransitions, type TransitionCandidate } from "./timeline.js";

const id = alertId("dependabot", "acme/api", 7);
const base = { alertId: id, kind: "dependabot" as const, repository: "acme/api", number: 7, comment: null };
const at = (s: number) => new Date(Date.UTC(2026, 4, 3, 9, 0, s)).toISOString();

forEachDialect("recordTransitions", ({ withStore }) => {
  it("merges the same change from a poll and an audit event in one batch, keeping the actor", () =>
    withStore(async (store) => {
      const candidates: TransitionCandidate[] = [
        { ...base, from: "open", to: "dismissed", at: at(0), actor: null, reason: "tolerable_risk", source: "poll", sourceRef: "run-1" },
        { ...base, to: "dismissed", at: at(1), actor: "alice", reason: null, source: "audit_log", sourceRef: "doc-1" },
      ];
      assert.equal(await store.transaction((tx) => recordTransitions(tx, candidates)), 1);
      const [entry] = await store.alertEvents.timeline(id);
      assert.deepEqual([entry!.toState, entry!.actor, entry!.reason, entry!.source], ["dismissed", "alice", "tolerable_risk", "poll"]);
      // Reported again later (a redelivered webhook): still one entry.
      await store.transaction((tx) => recordTransitions(tx, [{ ...base, to: "dismissed", at: at(2), actor: "alice", reason: null, source: "webhook", sourceRef: "guid" }]));
      assert.equal((await store.alertEvents.timeline(id)).length, 1);
    }));

  it("keeps dismiss, reopen, dismiss within two minutes as three changes", () =>
    withStore(async (store) => {
      const candidates: TransitionCandidate[] = [
        { ...base, to: "dismissed", at: at(0), actor: "alice", reason: "no_bandwidth", source: "audit_log", sourceRef: "d1" },
        { ...base, to: "open", at: at(20), actor: "bob", reason: null, source: "audit_log", sourceRef: "d2" },
        { ...base, to: "dismissed", at: at(40), actor: "alice", reason: "tolerable_risk", source: "audit_log", sourceRef: "d3" },
      ];
      assert.equal(await store.transaction((tx) => recordTransitions(tx, candidates)), 3);
      const timeline = await store.alertEvents.timeline(id);
      assert.deepEqual(timeline.map((e) => [e.toState, e.reason]), [["dismissed", "no_bandwidth"], ["open", null], ["dismissed", "tolerable_risk"]]);
    }));

  it("a second close within the window, after an inferred reopen, stays a change of its own, whatever comes after", () =>
    withStore(async (store) => {
      // Dismissed at 0 (alice). GitHub then shows it dismissed again at 80 s (carol): diffAlert infers a reopen just
      // before (1 ms), then the new close. Bob's real reopen (40 s) arrives last.
      await store.transaction((tx) =>
        recordTransitions(tx, [{ ...base, from: "open", to: "dismissed", at: at(0), actor: "alice", reason: "tolerable_risk", source: "webhook", sourceRef: "d1" }]),
      );
      await store.transaction((tx) =>
        recordTransitions(tx, [
          { ...base, from: "dismissed", to: "open", at: new Date(Date.parse(at(80)) - 1).toISOString(), actor: null, reason: "inferred", source: "webhook", sourceRef: "d3" },
          { ...base, from: "open", to: "dismissed", at: at(80), actor: "carol", reason: "tolerable_risk", source: "webhook", sourceRef: "d3" },
        ]),
      );
      await store.transaction((tx) =>
        recordTransitions(tx, [{ ...base, from: "dismissed", to: "open", at: at(40), actor: "bob", reason: null, source: "webhook", sourceRef: "d2" }]),
      );
      const timeline = await store.alertEvents.timeline(id);
      assert.deepEqual(
        timeline.map((e) => [e.toState, e.actor]),
        [["dismissed", "alice"], ["open", "bob"], ["dismissed", "carol"]],
        "ends dismissed, by carol; the reopen is bob's",
      );
    }));

  // GitHub's REST times are whole seconds, audit-log times milliseconds: a Dependabot alert auto-dismissed at creation.
  const ms = (s: number, m: number) => new Date(Date.parse(at(s)) + m).toISOString();
  const poll: TransitionCandidate[] = [
    { ...base, from: null, to: "open", at: at(51), actor: null, reason: null, source: "poll", sourceRef: "run-1" },
    { ...base, from: "open", to: "dismissed", at: at(51), actor: "trent", reason: "fix_started", source: "poll", sourceRef: "run-1" },
  ];
  const audit: TransitionCandidate[] = [
    { ...base, from: null, to: "open", at: ms(51, 878), actor: "github", reason: null, source: "audit_log", sourceRef: "doc-create" },
    { ...base, from: "open", to: "dismissed", at: ms(51, 897), actor: "trent", reason: null, source: "audit_log", sourceRef: "doc-dismiss" },
  ];
  const shape = async (store: Parameters<Parameters<typeof withStore>[0]>[0]) =>
    (await store.alertEvents.timeline(id)).map((e) => [e.fromState, e.toState, new Date(e.at).toISOString(), e.actor, e.reason]);
  const expected = [
    [null, "open", ms(51, 878), "github", null],
    ["open", "dismissed", ms(51, 897), "trent", "fix_started"],
  ];

  it("a whole-second poll time and a millisecond audit time of one change are one entry, at the precise time (poll first)", () =>
    withStore(async (store) => {
      await store.transaction((tx) => recordTransitions(tx, poll));
      await store.transaction((tx) => recordTransitions(tx, audit));
      assert.deepEqual(await shape(store), expected);
    }));

  it("the same, audit log first, and both in one batch", () =>
    withStore(async (store) => {
      await store.transaction((tx) => recordTransitions(tx, audit));
      await store.transaction((tx) => recordTransitions(tx, poll));
      assert.deepEqual(await shape(store), expected);
    }));

  it("the dismissal takes the audit log's precise time in whatever order and batches the reports arrive", () =>
    withStore(async (store) => {
      const [pollCreate, pollDismiss] = poll as [TransitionCandidate, TransitionCandidate];
      const [auditCreate, auditDismiss] = audit as [TransitionCandidate, TransitionCandidate];
      // Each order is a list of batches (pages, slices and restarts interleave the streams differently).
      const orders: TransitionCandidate[][][] = [
        [[pollCreate, pollDismiss], [auditCreate], [auditDismiss]],
        [[auditCreate], [pollCreate, pollDismiss], [auditDismiss]],
        [[pollCreate, pollDismiss, auditCreate], [auditDismiss]],
        [[auditDismiss], [pollCreate, pollDismiss], [auditCreate]],
        [[pollCreate], [auditDismiss], [pollDismiss], [auditCreate]],
      ];
      for (const [i, batches] of orders.entries()) {
        const alert = alertId("dependabot", "acme/api", 100 + i);
        for (const batch of batches) {
          await store.transaction((tx) => recordTransitions(tx, batch.map((c) => ({ ...c, alertId: alert, number: 100 + i }))));
        }
        const timeline = (await store.alertEvents.timeline(alert)).map((e) => [e.fromState, e.toState, new Date(e.at).toISOString()]);
        assert.deepEqual(timeline, expected.map((e) => e.slice(0, 3)), `order ${i}`);
      }
    }));

  it("a poll's stale state-before does not split one change in two (the poll missed changes in between)", () =>
    withStore(async (store) => {
      await store.transaction((tx) =>
        recordTransitions(tx, [
          { ...base, from: null, to: "open", at: at(0), actor: null, reason: null, source: "poll", sourceRef: "run-1" },
          { ...base, from: "open", to: "dismissed", at: at(1), actor: "alice", reason: "tolerable_risk", source: "poll", sourceRef: "run-1" },
        ]),
      );
      // The audit log: reopened, auto-dismissed, auto-reopened; the next poll sees it open since :30, from what it had stored.
      await store.transaction((tx) =>
        recordTransitions(tx, [
          { ...base, from: "dismissed", to: "open", at: ms(10, 100), actor: "bob", reason: null, source: "audit_log", sourceRef: "reopen" },
          { ...base, from: "open", to: "auto_dismissed", at: ms(20, 200), actor: "github", reason: null, source: "audit_log", sourceRef: "auto-dismiss" },
          { ...base, from: "auto_dismissed", to: "open", at: ms(30, 300), actor: "github", reason: null, source: "audit_log", sourceRef: "auto-reopen" },
        ]),
      );
      await store.transaction((tx) =>
        recordTransitions(tx, [{ ...base, from: "dismissed", to: "open", at: at(30), actor: null, reason: null, source: "poll", sourceRef: "run-2" }]),
      );
      const timeline = await store.alertEvents.timeline(id);
      assert.deepEqual(
        timeline.map((e) => [e.toState, new Date(e.at).toISOString()]),
        [["open", at(0)], ["dismissed", at(1)], ["open", ms(10, 100)], ["auto_dismissed", ms(20, 200)], ["open", ms(30, 300)]],
      );
    }));

  /** Every order of `batches` (each recorded in a transaction of its own, after `prefix`), as one alert's timeline. */
  async function everyOrder(
    store: Parameters<Parameters<typeof withStore>[0]>[0],
    prefix: TransitionCandidate[][],
    batches: TransitionCandidate[][],
    check: (timeline: [string | null, string, string][], order: string) => void,
  ) {
    const orders = (xs: TransitionCandidate[][]): TransitionCandidate[][][] =>
      xs.length <= 1 ? [xs] : xs.flatMap((x, i) => orders([...xs.slice(0, i), ...xs.slice(i + 1)]).map((o) => [x, ...o]));
    let number = 1000;
    for (const order of orders(batches)) {
      const alert = alertId("dependabot", "acme/api", ++number);
      for (const batch of [...prefix, ...order]) {
        await store.transaction((tx) => recordTransitions(tx, batch.map((c) => ({ ...c, alertId: alert, number }))));
      }
      const timeline = (await store.alertEvents.timeline(alert)).map((e) => [e.fromState, e.toState, new Date(e.at).toISOString()] as [string | null, string, string]);
      check(timeline, order.map((b) => b.map((c) => c.sourceRef).join("+")).join(" | "));
    }
  }

  it("a stale poll and the audit log's changes of another episode stay apart, in every order", () =>
    withStore(async (store) => {
      const prefix: TransitionCandidate[][] = [[
        { ...base, from: null, to: "open", at: at(0), actor: null, reason: null, source: "poll", sourceRef: "p-create" },
        { ...base, from: "open", to: "dismissed", at: at(1), actor: "alice", reason: "tolerable_risk", source: "poll", sourceRef: "p-dismiss" },
      ]];
      // A poll sees the alert open since :10 (bob's reopen); the audit log has that reopen, then an auto-dismissal and an
      // auto-reopen: parallel slices may bring them in any order.
      const batches: TransitionCandidate[][] = [
        [{ ...base, from: "dismissed", to: "open", at: at(10), actor: null, reason: null, source: "poll", sourceRef: "p-reopen" }],
        [{ ...base, from: "dismissed", to: "open", at: ms(10, 100), actor: "bob", reason: null, source: "audit_log", sourceRef: "a-reopen" }],
        [{ ...base, from: "open", to: "auto_dismissed", at: ms(20, 200), actor: "github", reason: null, source: "audit_log", sourceRef: "a-autodismiss" }],
        [{ ...base, from: "auto_dismissed", to: "open", at: ms(30, 300), actor: "github", reason: null, source: "audit_log", sourceRef: "a-autoreopen" }],
      ];
      await everyOrder(store, prefix, batches, (timeline, order) =>
        assert.deepEqual(timeline.map(([, to, when]) => [to, when]), [
          ["open", at(0)], ["dismissed", at(1)], ["open", ms(10, 100)], ["auto_dismissed", ms(20, 200)], ["open", ms(30, 300)],
        ], order),
      );
    }));

  it("nothing is dated before the creation, in every order, with two creation reports (a bypass and a create)", () =>
    withStore(async (store) => {
      const secret = { ...base, kind: "secret_scanning" as const };
      const batches: TransitionCandidate[][] = [
        [
          { ...secret, from: null, to: "open", at: at(51), actor: null, reason: null, source: "poll", sourceRef: "p-create" },
          { ...secret, from: "open", to: "resolved", at: at(51), actor: "trent", reason: "false_positive", source: "poll", sourceRef: "p-resolve" },
        ],
        [{ ...secret, from: null, to: "open", at: ms(51, 500), actor: "eve", reason: "push_protection_bypassed", source: "audit_log", sourceRef: "a-bypass" }],
        [{ ...secret, from: null, to: "open", at: ms(51, 600), actor: "github", reason: null, source: "audit_log", sourceRef: "a-create" }],
        [{ ...secret, from: "open", to: "resolved", at: ms(51, 900), actor: "trent", reason: null, source: "audit_log", sourceRef: "a-resolve" }],
      ];
      await everyOrder(store, [], batches, (timeline, order) => {
        assert.deepEqual(timeline.map(([from, to]) => [from, to]), [[null, "open"], ["open", "resolved"]], order);
        assert.ok(timeline[1]![2] >= timeline[0]![2], `${order}: resolved at ${timeline[1]![2]}, created at ${timeline[0]![2]}`);
      });
    }));

  it("a poll close in the creation's second is not dated before the creation", () =>
    withStore(async (store) => {
      await store.transaction((tx) => recordTransitions(tx, [...poll, audit[0]!]));
      const timeline = await store.alertEvents.timeline(id);
      assert.deepEqual(timeline.map((e) => [e.fromState, e.toState, new Date(e.at).toISOString()]), [
        [null, "open", ms(51, 878)],
        ["open", "dismissed", ms(51, 878)],
      ]);
    }));

  it("a *.create audit event is the creation, never a reopen, even when the alert closed in between", () =>
    withStore(async (store) => {
      await store.transaction((tx) => recordTransitions(tx, [poll[0]!, { ...poll[1]!, at: at(55) }]));
      await store.transaction((tx) => recordTransitions(tx, [{ ...audit[0]!, at: ms(57, 300) }]));
      const timeline = await store.alertEvents.timeline(id);
      assert.deepEqual(timeline.map((e) => [e.fromState, e.toState, e.actor]), [[null, "open", "github"], ["open", "dismissed", "trent"]]);
    }));
});
