// Detections: the same rule on the same events is one detection; listing by time with filters.
import assert from "node:assert/strict";
import { test } from "node:test";
import { detectionId } from "./ids.js";
import { syntheticAuditEvent } from "./synthetic.js";
import { forEachDialect } from "./testing.js";

forEachDialect("detections", (dialect) => {
  test("re-running a rule on the same events adds nothing; matched events can be fetched back", () =>
    dialect.withStore(async (store) => {
      const events = [syntheticAuditEvent(1), syntheticAuditEvent(2), syntheticAuditEvent(3)];
      await store.auditEvents.insert(events);
      const refs = events.map((e) => ({ id: (e.raw as { _document_id: string })._document_id, at: e.at }));
      const detection = { ruleId: "mass-repo-delete", ruleTitle: "Many repositories deleted", level: "high", severity: "high", events: refs, details: { count: 3 } };
      const first = await store.detections.insert([detection]);
      assert.deepEqual(first, { inserted: 1, ids: [detectionId("mass-repo-delete", refs.map((r) => r.id))] });
      const reordered = { ...detection, events: [...refs].reverse() };
      assert.deepEqual(await store.detections.insert([reordered, detection]), { inserted: 0, ids: [] });

      const stored = await store.detections.get(first.ids[0] ?? "");
      assert.equal(stored?.at, Math.max(...refs.map((r) => r.at)));
      assert.deepEqual(stored?.details, { count: 3 });
      const matched = await store.auditEvents.getByRefs(stored?.events ?? []);
      assert.deepEqual(matched.map((e) => e.id), refs.map((r) => r.id));
    }));

  test("lists newest first with rule and level filters and keyset pages", () =>
    dialect.withStore(async (store) => {
      const inputs = Array.from({ length: 9 }, (_, i) => ({
        ruleId: i % 3 === 0 ? "r-a" : "r-b",
        ruleTitle: "Rule",
        level: i % 2 === 0 ? "high" : "low",
        events: [{ id: `e${i}`, at: 1_000 + i }],
      }));
      await store.detections.insert(inputs);
      const page1 = await store.detections.list({}, { limit: 4 });
      const page2 = await store.detections.list({}, { limit: 4, cursor: page1.nextCursor });
      const page3 = await store.detections.list({}, { limit: 4, cursor: page2.nextCursor });
      const ats = [...page1.items, ...page2.items, ...page3.items].map((d) => d.at);
      assert.deepEqual(ats, [1008, 1007, 1006, 1005, 1004, 1003, 1002, 1001, 1000]);
      assert.equal(page3.nextCursor, undefined);
      assert.equal((await store.detections.list({ ruleId: "r-a" })).items.length, 3);
      assert.equal((await store.detections.list({ levels: ["high"], from: 1004 })).items.length, 3);
    }));
});
