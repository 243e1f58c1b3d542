// Webhook deliveries: stored once per delivery id, processed in arrival order, retried until the attempt limit.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { ManualClock } from "../core/clock.js";
import type { WebhookDeliveryInput } from "./webhook-deliveries.js";
import { forEachDialect } from "./testing.js";

function delivery(id: string): WebhookDeliveryInput {
  const body = JSON.stringify({ action: "dismissed", alert: { number: 4 } });
  return {
    id,
    event: "code_scanning_alert",
    action: "dismissed",
    hookId: "123",
    headers: { "x-github-event": "code_scanning_alert", "x-github-delivery": id, "content-type": "application/json" },
    body,
  };
}

forEachDialect("webhook deliveries", (dialect) => {
  test("a redelivery is recognised; bodies and headers come back exactly", () =>
    dialect.withStore(async (store) => {
      assert.deepEqual(await store.webhookDeliveries.record(delivery("d-1")), { inserted: true });
      assert.deepEqual(await store.webhookDeliveries.record(delivery("d-1")), { inserted: false });
      if (store.dialect === "sqlite") {
        const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
        assert.equal(rows[0]?.synchronous, 1, "back to NORMAL after the durable commit");
      }
      const stored = await store.webhookDeliveries.get("d-1");
      assert.equal(stored?.body, delivery("d-1").body);
      assert.deepEqual(stored?.headers, delivery("d-1").headers);
      assert.equal(stored?.status, "pending");
      await store.transaction(async (tx) => {
        assert.deepEqual(await tx.webhookDeliveries.record(delivery("d-2")), { inserted: true });
      });
      assert.equal((await store.webhookDeliveries.counts()).pending, 2);
    }));

  test("pending deliveries in arrival order; failures retried until the limit; prune keeps unfinished ones", () => {
    const clock = new ManualClock({ start: Date.UTC(2025, 0, 1), frozen: true });
    return dialect.withStore(async (store) => {
      for (const id of ["c", "a", "b"]) {
        await store.webhookDeliveries.record(delivery(id));
        clock.advance(10);
      }
      assert.deepEqual((await store.webhookDeliveries.pending()).map((d) => d.id), ["c", "a", "b"]);
      await store.webhookDeliveries.finish("c", { status: "processed" });
      await store.webhookDeliveries.finish("a", { status: "ignored" });
      for (let attempt = 1; attempt <= 3; attempt++) {
        await store.webhookDeliveries.finish("b", { status: "failed", error: `boom ${attempt}`, maxAttempts: 3 });
        const b = await store.webhookDeliveries.get("b");
        assert.equal(b?.attempts, attempt);
        assert.equal(b?.status, attempt < 3 ? "pending" : "failed");
        assert.equal(b?.error, `boom ${attempt}`);
      }
      assert.deepEqual(await store.webhookDeliveries.pending(), []);
      assert.deepEqual(await store.webhookDeliveries.counts(), { pending: 0, processed: 1, failed: 1, ignored: 1 });
      assert.equal((await store.webhookDeliveries.get("c"))?.processedAt, clock.now());
      assert.equal(await store.webhookDeliveries.prune(clock.now() + 1), 2);
      assert.deepEqual(await store.webhookDeliveries.counts(), { pending: 0, processed: 0, failed: 1, ignored: 0 });
    }, { clock });
  });
});
