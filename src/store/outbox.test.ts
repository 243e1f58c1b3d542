// Outbox: one position sequence across record kinds, "after N" reads, monotonic acks, and no record skipped while
// another writer's transaction is still open.
import assert from "node:assert/strict";
import { test } from "node:test";
import { alertId } from "./ids.js";
import { syntheticAuditEvent } from "./synthetic.js";
import { forEachDialect } from "./testing.js";

const T0 = Date.UTC(2025, 4, 1);

forEachDialect("outbox", (dialect) => {
  test("records of every kind come back in position order, once, and a changed record moves to the end", () =>
    dialect.withStore(async (store) => {
      await store.auditEvents.insert([syntheticAuditEvent(1), syntheticAuditEvent(2)]);
      const base = { kind: "code_scanning" as const, repository: "octo-org/api", repoId: 5, number: 1, createdAt: T0, raw: {}, normalized: {} };
      await store.alerts.upsert([{ ...base, state: "open" }]);
      await store.alertEvents.record([
        { alertId: alertId("code_scanning", "octo-org/api", 1), kind: "code_scanning", repository: "octo-org/api", number: 1, fromState: null, toState: "open", at: T0, source: "poll" },
      ]);
      await store.detections.insert([{ ruleId: "r1", ruleTitle: "Rule", level: "high", events: [{ id: "x", at: T0 }] }]);
      await store.repoInventory.upsert([{ id: 5, fullName: "octo-org/api", security: {}, raw: {} }]);
      await store.auditEvents.insert([syntheticAuditEvent(3)]);

      const all = await store.outbox.read(0);
      assert.deepEqual(all.records.map((r) => r.kind), ["audit_event", "audit_event", "alert", "alert_event", "detection", "repository", "audit_event"]);
      const positions = all.records.map((r) => r.position);
      assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
      assert.equal(all.position, await store.outbox.head());

      assert.deepEqual((await store.outbox.read(all.position)).records, []);
      await store.alerts.upsert([{ ...base, state: "fixed" }]);
      const next = await store.outbox.read(all.position);
      assert.equal(next.records.length, 1);
      const moved = next.records[0];
      assert.ok(moved?.kind === "alert" && moved.record.state === "fixed");
      const again = await store.outbox.read(0);
      assert.equal(again.records.filter((r) => r.kind === "alert").length, 1, "the old position of the alert is gone");

      const onlyAudit = await store.outbox.read(0, { kinds: ["audit_event"] });
      assert.deepEqual(onlyAudit.records.map((r) => r.kind), ["audit_event", "audit_event", "audit_event"]);
      assert.equal(onlyAudit.position, await store.outbox.head(), "gaps of other kinds are skipped");
    }));

  test("reading in small pages visits every record exactly once, and acks never move back", () =>
    dialect.withStore(async (store) => {
      for (let b = 0; b < 5; b++) {
        await store.auditEvents.insert(Array.from({ length: 7 }, (_, i) => syntheticAuditEvent(b * 7 + i)));
        await store.auditEvents.insert([syntheticAuditEvent(b * 7)]); // a duplicate: its position is never used
        await store.detections.insert([{ ruleId: `r${b}`, ruleTitle: "Rule", level: "low", events: [] }]);
      }
      const seen: string[] = [];
      let position = await store.outbox.position("splunk");
      assert.equal(position, 0);
      for (;;) {
        const batch = await store.outbox.read(position, { limit: 4 });
        if (batch.records.length === 0) break;
        assert.ok(batch.records.length <= 4);
        seen.push(...batch.records.map((r) => `${r.kind}:${r.record.id}`));
        await store.outbox.ack("splunk", batch.position);
        position = await store.outbox.position("splunk");
        assert.equal(position, batch.position);
      }
      assert.equal(seen.length, 40);
      assert.equal(new Set(seen).size, 40);
      await store.outbox.ack("splunk", 3);
      assert.equal(await store.outbox.position("splunk"), position, "an older ack is ignored");
      assert.deepEqual((await store.outbox.positions()).map((p) => [p.sink, p.position]), [["splunk", position]]);
    }));

  test("a reader never sees past a transaction that is still open, so it cannot skip its records", async () => {
    const database = await dialect.create();
    try {
      const writer = await database.open();
      const reader = await database.open();
      await writer.auditEvents.insert([syntheticAuditEvent(0)]);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const wrote = new Promise<void>((resolve) => (inserted = resolve));
      const open = writer.transaction(async (tx) => {
        await tx.auditEvents.insert([syntheticAuditEvent(1), syntheticAuditEvent(2)]);
        inserted();
        await held;
      });
      await wrote;
      const during = await reader.outbox.read(0);
      assert.equal(during.records.length, 1);
      assert.equal(during.position, 1, "the open transaction's positions are not handed out yet");
      release();
      await open;
      const after = await reader.outbox.read(during.position);
      assert.equal(after.records.length, 2);
    } finally {
      await database.drop();
    }
  });

  test("concurrent writers commit in position order (PostgreSQL: several instances on one database)", { skip: dialect.dialect !== "postgres" && "SQLite has one writer at a time" }, async () => {
    const database = await dialect.create();
    try {
      const [a, b, reader] = [await database.open(), await database.open(), await database.open()];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const wrote = new Promise<void>((resolve) => (inserted = resolve));
      const first = a.transaction(async (tx) => {
        await tx.auditEvents.insert([syntheticAuditEvent(1)]);
        inserted();
        await held;
      });
      await wrote;
      // b starts while a holds positions; it must wait for a's commit and then take the next positions.
      const second = b.auditEvents.insert([syntheticAuditEvent(2)]);
      assert.deepEqual((await reader.outbox.read(0)).records, []);
      release();
      await Promise.all([first, second]);
      const { records } = await reader.outbox.read(0);
      assert.deepEqual(records.map((r) => r.record.id), [syntheticAuditEvent(1), syntheticAuditEvent(2)].map((e) => (e.raw as { _document_id: string })._document_id));
      assert.ok((records[0]?.position ?? 0) < (records[1]?.position ?? 0));
    } finally {
      await database.drop();
    }
  });
});
