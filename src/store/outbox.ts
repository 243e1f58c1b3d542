// The outbox: every stored or changed record has a position in one sequence; sinks read "records after N" and ack.
//
// Delivery is at least once: a sink reads after its acked position, delivers, then acks the batch's position; after a
// crash it re-reads from the last ack. A changed record moves to a new position, so a reader sees its latest version.
// Reads stop at the last committed position (`head`), which context.ts's sequence lock makes safe: nothing can later
// appear below it, so a sink never skips a record that was still being written.
import { READERS } from "./outbox-reads.js";
import type { OutboxRecord, RecordKind } from "./outbox-reads.js";
import { lastPosition, type StoreContext } from "./context.js";

export type { OutboxRecord, RecordKind } from "./outbox-reads.js";

export const RECORD_KINDS: readonly RecordKind[] = ["audit_event", "alert", "alert_event", "detection", "repository"];

export interface OutboxBatch {
  records: OutboxRecord[];
  /** Ack this position once the records are delivered (it may be past the last record: gaps are skipped). */
  position: number;
}

export class Outbox {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** The last position handed out by a committed write. */
  async head(): Promise<number> {
    return lastPosition(this.#ctx.db);
  }

  /** Up to `limit` records of the given kinds (default all) after `after`, in position order. */
  async read(after: number, options: { kinds?: readonly RecordKind[]; limit?: number } = {}): Promise<OutboxBatch> {
    const limit = Math.max(1, Math.floor(options.limit ?? 500));
    const kinds = options.kinds ?? RECORD_KINDS;
    const head = await lastPosition(this.#ctx.db);
    if (head <= after) return { records: [], position: after };
    let truncated = false;
    const all: OutboxRecord[] = [];
    for (const kind of new Set(kinds)) {
      const records = await READERS[kind](this.#ctx.db, after, head, limit);
      if (records.length >= limit) truncated = true;
      all.push(...records);
    }
    all.sort((a, b) => a.position - b.position);
    const records = all.slice(0, limit);
    if (all.length > limit) truncated = true;
    const last = records[records.length - 1];
    return { records, position: truncated && last ? last.position : head };
  }

  /** Where `sink` resumes: its last acked position, 0 for a new sink. */
  async position(sink: string): Promise<number> {
    const row = await this.#ctx.db
      .selectFrom("sink_positions")
      .select("position")
      .where("sink", "=", sink)
      .executeTakeFirst();
    return row ? Number(row.position) : 0;
  }

  /** Records that `sink` delivered everything up to `position`. Never moves a position back. */
  async ack(sink: string, position: number): Promise<void> {
    const now = this.#ctx.clock.now();
    await this.#ctx.db
      .insertInto("sink_positions")
      .values({ sink, position, updated_at: now })
      .onConflict((oc) =>
        oc
          .column("sink")
          .doUpdateSet((eb) => ({ position: eb.ref("excluded.position"), updated_at: eb.ref("excluded.updated_at") }))
          .where("sink_positions.position", "<", position),
      )
      .execute();
  }

  /** Every sink's position, for status pages and lag metrics (`head() - position`). */
  async positions(): Promise<{ sink: string; position: number; updatedAt: number }[]> {
    const rows = await this.#ctx.db.selectFrom("sink_positions").selectAll().orderBy("sink").execute();
    return rows.map((r) => ({ sink: r.sink, position: Number(r.position), updatedAt: Number(r.updated_at) }));
  }
}
