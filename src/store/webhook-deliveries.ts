// Webhook deliveries, stored before GitHub gets its 2xx so none is lost, then processed (and retried) from here.
import { sql, type InsertResult, type Kysely, type Selectable } from "kysely";
import { atomically, parseJson, toCount, type StoreContext } from "./context.js";
import type { Database, WebhookDeliveriesTable, WebhookStatus } from "./schema.js";

export interface WebhookDeliveryInput {
  /** `X-GitHub-Delivery`. */
  id: string;
  /** `X-GitHub-Event`. */
  event: string;
  action?: string | null;
  /** `X-GitHub-Hook-ID`. */
  hookId?: string | null;
  /** Request headers with lower-case names (leave secrets such as Authorization out). */
  headers: Record<string, string>;
  /** The body exactly as received (the signature covers these bytes). */
  body: string;
}

export interface WebhookDelivery {
  id: string;
  event: string;
  action: string | null;
  hookId: string | null;
  receivedAt: number;
  headers: Record<string, string>;
  body: string;
  status: WebhookStatus;
  attempts: number;
  error: string | null;
  processedAt: number | null;
  /** After a failed attempt: not tried again before this time. */
  nextAttemptAt: number | null;
}

export class WebhookDeliveries {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /**
   * Persists a delivery as pending, durably: on SQLite this one commit is synced to disk (synchronous = FULL) because
   * GitHub is told "received" right after and will not send it again. `inserted: false` means a redelivery.
   */
  async record(delivery: WebhookDeliveryInput): Promise<{ inserted: boolean }> {
    const insert = (db: Kysely<Database>): Promise<InsertResult> =>
      db
        .insertInto("webhook_deliveries")
        .values({
          id: delivery.id,
          event: delivery.event,
          action: delivery.action ?? null,
          hook_id: delivery.hookId ?? null,
          received_at: this.#ctx.clock.now(),
          headers: JSON.stringify(delivery.headers),
          body: delivery.body,
          status: "pending",
          attempts: 0,
          error: null,
          processed_at: null,
          next_attempt_at: null,
        })
        // A redelivery of a delivery that failed for good (GitHub's "Redeliver" after a fix) is taken up again; any
        // other redelivery is a duplicate and changes nothing.
        .onConflict((oc) =>
          oc
            .column("id")
            .doUpdateSet({ status: "pending", attempts: 0, processed_at: null, next_attempt_at: null })
            .where("webhook_deliveries.status", "=", "failed"),
        )
        .executeTakeFirst();
    let result: InsertResult;
    if (this.#ctx.dialect === "sqlite" && !this.#ctx.db.isTransaction) {
      // One reserved connection for the three statements, so no other write runs (or commits) in between.
      result = await this.#ctx.db.connection().execute(async (conn) => {
        await sql`pragma synchronous = FULL`.execute(conn);
        try {
          return await insert(conn);
        } finally {
          await sql`pragma synchronous = NORMAL`.execute(conn);
        }
      });
    } else {
      result = await insert(this.#ctx.db);
    }
    return { inserted: Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 };
  }

  async get(id: string): Promise<WebhookDelivery | undefined> {
    const row = await this.#ctx.db.selectFrom("webhook_deliveries").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toDelivery(row) : undefined;
  }

  /** The oldest pending deliveries that are due (not waiting for a retry), to process in arrival order. */
  async pending(limit = 100): Promise<WebhookDelivery[]> {
    const now = this.#ctx.clock.now();
    const rows = await this.#ctx.db
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("status", "=", "pending")
      .where((eb) => eb.or([eb("next_attempt_at", "is", null), eb("next_attempt_at", "<=", now)]))
      .orderBy("received_at")
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
  }

  /** Records one processing attempt. A failure stays pending for a retry until `maxAttempts`, then becomes failed. */
  async finish(
    id: string,
    outcome: { status: "processed" | "ignored" } | { status: "failed"; error: string; maxAttempts?: number; retryAt?: number },
  ): Promise<void> {
    const now = this.#ctx.clock.now();
    if (outcome.status !== "failed") {
      await this.#ctx.db
        .updateTable("webhook_deliveries")
        .set((eb) => ({ status: outcome.status, processed_at: now, error: null, attempts: eb("attempts", "+", 1) }))
        .where("id", "=", id)
        .execute();
      return;
    }
    const max = outcome.maxAttempts ?? 5;
    await atomically(this.#ctx, async (db) => {
      await db
        .updateTable("webhook_deliveries")
        .set((eb) => ({ attempts: eb("attempts", "+", 1), error: outcome.error, next_attempt_at: outcome.retryAt ?? null }))
        .where("id", "=", id)
        .execute();
      await db
        .updateTable("webhook_deliveries")
        .set({ status: "failed", processed_at: now })
        .where("id", "=", id)
        .where("attempts", ">=", max)
        .execute();
    });
  }

  async counts(): Promise<Record<WebhookStatus, number>> {
    const rows = await this.#ctx.db
      .selectFrom("webhook_deliveries")
      .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
      .groupBy("status")
      .execute();
    const out: Record<WebhookStatus, number> = { pending: 0, processed: 0, failed: 0, ignored: 0 };
    for (const r of rows) out[r.status] = toCount(r.n);
    return out;
  }

  /** Deletes finished (processed or ignored) deliveries received before `before`; returns how many. */
  async prune(before: number): Promise<number> {
    const result = await this.#ctx.db
      .deleteFrom("webhook_deliveries")
      .where("status", "in", ["processed", "ignored"])
      .where("received_at", "<", before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toDelivery(r: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: r.id,
    event: r.event,
    action: r.action,
    hookId: r.hook_id,
    receivedAt: Number(r.received_at),
    headers: parseJson(r.headers) as Record<string, string>,
    body: r.body,
    status: r.status,
    attempts: Number(r.attempts),
    error: r.error,
    processedAt: r.processed_at === null ? null : Number(r.processed_at),
    nextAttemptAt: r.next_attempt_at === null ? null : Number(r.next_attempt_at),
  };
}
