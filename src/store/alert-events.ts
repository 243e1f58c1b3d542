// Alert timelines: one row per state change, recorded at most once whichever source (poll, webhook, audit log) saw it.
import type { Expression, Selectable, SqlBool } from "kysely";
import { atomically, chunksFor, takePositions, type StoreContext } from "./context.js";
import { alertEventId } from "./ids.js";
import { decodeCursor, pageLimit, toPage, type Page, type PageOptions } from "./keyset.js";
import type { AlertEventSource, AlertEventsTable, AlertKind } from "./schema.js";

export interface AlertEventInput {
  /** `alertId(kind, repository, number)` from ids.ts. */
  alertId: string;
  kind: AlertKind;
  repository: string;
  number: number;
  /** null when the alert was first seen already in `toState`. */
  fromState: string | null;
  toState: string;
  /** When the change happened (epoch ms), as GitHub reports it. */
  at: number;
  actor?: string | null;
  reason?: string | null;
  comment?: string | null;
  source: AlertEventSource;
  sourceRef?: string | null;
}

export interface AlertEvent {
  id: string;
  alertId: string;
  kind: AlertKind;
  repository: string;
  number: number;
  fromState: string | null;
  toState: string;
  at: number;
  actor: string | null;
  reason: string | null;
  comment: string | null;
  source: AlertEventSource;
  sourceRef: string | null;
  recordedAt: number;
  seq: number;
}

export interface AlertEventFilter {
  from?: number;
  to?: number;
  kinds?: readonly AlertKind[];
  repository?: string;
  toStates?: readonly string[];
}

type Row = Selectable<AlertEventsTable>;
const COLUMNS_PER_ROW = 15;

export class AlertEvents {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Records transitions; one already stored (same alert, target state and time) is skipped. Returns the new ids. */
  async record(events: readonly AlertEventInput[]): Promise<{ inserted: number; ids: string[] }> {
    if (events.length === 0) return { inserted: 0, ids: [] };
    const now = this.#ctx.clock.now();
    const unique = new Map<string, AlertEventInput>();
    for (const e of events) {
      const id = alertEventId(e.alertId, e.toState, e.at);
      if (!unique.has(id)) unique.set(id, e);
    }
    const ids = await atomically(this.#ctx, async (db) => {
      let position = await takePositions(db, unique.size);
      const rows: Row[] = [...unique].map(([id, e]) => ({
        id,
        alert_id: e.alertId,
        kind: e.kind,
        repository: e.repository,
        number: e.number,
        from_state: e.fromState,
        to_state: e.toState,
        at: e.at,
        actor: e.actor ?? null,
        reason: e.reason ?? null,
        comment: e.comment ?? null,
        source: e.source,
        source_ref: e.sourceRef ?? null,
        recorded_at: now,
        seq: position++,
      }));
      const inserted: string[] = [];
      for (const chunk of chunksFor(this.#ctx, rows, COLUMNS_PER_ROW)) {
        const result = await db
          .insertInto("alert_events")
          .values(chunk)
          .onConflict((oc) => oc.doNothing())
          .returning("id")
          .execute();
        inserted.push(...result.map((r) => r.id));
      }
      return inserted;
    });
    return { inserted: ids.length, ids };
  }

  /**
   * Fills in `actor`, `reason` or `comment` of a stored transition where they are still null (a later report knew
   * more); never overwrites. A filled-in entry moves to a new record position so sinks get it again. Returns whether
   * anything changed.
   */
  async enrich(id: string, fields: { actor?: string | null; reason?: string | null; comment?: string | null }): Promise<boolean> {
    return atomically(this.#ctx, async (db) => {
      await takePositions(db, 0);
      const row = await db.selectFrom("alert_events").select(["actor", "reason", "comment"]).where("id", "=", id).executeTakeFirst();
      if (!row) return false;
      const update = {
        actor: row.actor ?? fields.actor ?? null,
        reason: row.reason ?? fields.reason ?? null,
        comment: row.comment ?? fields.comment ?? null,
      };
      if (update.actor === row.actor && update.reason === row.reason && update.comment === row.comment) return false;
      const seq = await takePositions(db, 1);
      await db.updateTable("alert_events").set({ ...update, seq }).where("id", "=", id).execute();
      return true;
    });
  }

  /** One alert's history, oldest first. */
  async timeline(alertId: string): Promise<AlertEvent[]> {
    const rows = await this.#ctx.db
      .selectFrom("alert_events")
      .selectAll()
      .where("alert_id", "=", alertId)
      .orderBy("at")
      .orderBy("seq")
      .execute();
    return rows.map(toAlertEvent);
  }

  /** Transitions across alerts (e.g. everything dismissed this week), keyset-paged by (at, id). */
  async list(filter: AlertEventFilter = {}, options: PageOptions = {}): Promise<Page<AlertEvent>> {
    const limit = pageLimit(options.limit);
    const desc = (options.order ?? "desc") === "desc";
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, ["number", "string"] as const);
    const rows = await this.#ctx.db
      .selectFrom("alert_events")
      .selectAll()
      .where((eb) => {
        const c: Expression<SqlBool>[] = [];
        if (filter.from !== undefined) c.push(eb("at", ">=", filter.from));
        if (filter.to !== undefined) c.push(eb("at", "<", filter.to));
        if (filter.kinds && filter.kinds.length > 0) c.push(eb("kind", "in", [...filter.kinds]));
        if (filter.repository !== undefined) c.push(eb("repository", "=", filter.repository));
        if (filter.toStates && filter.toStates.length > 0) c.push(eb("to_state", "in", [...filter.toStates]));
        if (after) c.push(eb(eb.refTuple("at", "id"), desc ? "<" : ">", eb.tuple(after[0], after[1])));
        return eb.and(c);
      })
      .orderBy("at", desc ? "desc" : "asc")
      .orderBy("id", desc ? "desc" : "asc")
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, (r) => [Number(r.at), r.id], toAlertEvent);
  }
}

export function toAlertEvent(r: Row): AlertEvent {
  return {
    id: r.id,
    alertId: r.alert_id,
    kind: r.kind,
    repository: r.repository,
    number: Number(r.number),
    fromState: r.from_state,
    toState: r.to_state,
    at: Number(r.at),
    actor: r.actor,
    reason: r.reason,
    comment: r.comment,
    source: r.source,
    sourceRef: r.source_ref,
    recordedAt: Number(r.recorded_at),
    seq: Number(r.seq),
  };
}
