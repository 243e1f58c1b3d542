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
});
