// Alert timelines: one row per state change, recorded at most once whichever source (poll, webhook, audit log) saw it.
import type { Expression, ExpressionBuilder, Selectable, SqlBool } from "kysely";
import { AppError } from "../core/errors.js";
import { causalOrder, chainOrder } from "./causal-order.js";
import { atomically, chunksFor, takePositions, type StoreContext } from "./context.js";
import { alertEventId } from "./ids.js";
import { decodeCursor, encodeCursor, pageLimit, type Page, type PageOptions } from "./keyset.js";
import type { AlertEventSource, AlertEventsTable, AlertKind, Database } from "./schema.js";

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
      // An id can belong to an entry `retime` moved elsewhere (it keeps its first id): this one then takes a variant.
      const stored = async (id: string) => (await db.selectFrom("alert_events").select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
      const renamed = new Map<string, string>();
      for (const chunk of chunksFor(this.#ctx, [...unique.keys()], 1)) {
        const taken = await db.selectFrom("alert_events").select(["id", "at"]).where("id", "in", chunk).execute();
        for (const row of taken) {
          const e = unique.get(row.id)!;
          if (Number(row.at) === e.at) continue; // the same entry: the insert skips it
          let variant = 1;
          const variantId = () => alertEventId(e.alertId, e.toState, e.at, variant);
          while (unique.has(variantId()) || [...renamed.values()].includes(variantId()) || (await stored(variantId()))) variant++;
          renamed.set(row.id, variantId());
        }
      }
      let position = await takePositions(db, unique.size);
      // (In input order: a renamed entry keeps its place, and its position, in the batch.)
      const rows: Row[] = [...unique].map(([first, e]) => [renamed.get(first) ?? first, e] as const).map(([id, e]) => ({
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

  /**
   * Moves a stored transition to a more precise instant (a whole-second REST time refined by a millisecond audit
   * time of the same change, or kept from preceding the alert's creation); its id stays. Like `enrich`, the entry
   * moves to a new record position so sinks get it again. Returns whether anything changed.
   */
  async retime(id: string, at: number): Promise<boolean> {
    return atomically(this.#ctx, async (db) => {
      await takePositions(db, 0);
      const row = await db.selectFrom("alert_events").select(["alert_id", "to_state", "at"]).where("id", "=", id).executeTakeFirst();
      if (!row || Number(row.at) === at) return false;
      // The same alert entering the same state at that instant is stored already: keep this one where it is.
      const clash = await db
        .selectFrom("alert_events")
        .select("id")
        .where("alert_id", "=", row.alert_id)
        .where("to_state", "=", row.to_state)
        .where("at", "=", at)
        .executeTakeFirst();
      if (clash) return false;
      const seq = await takePositions(db, 1);
      await db.updateTable("alert_events").set({ at, seq }).where("id", "=", id).execute();
      return true;
    });
  }

  /**
   * One alert's history, oldest first: by `at`, and entries at the same instant in causal order (each leaves the
   * state the one before entered; see causal-order.ts), whatever order they were recorded in.
   */
  async timeline(alertId: string): Promise<AlertEvent[]> {
    const rows = await this.#ctx.db
      .selectFrom("alert_events")
      .selectAll()
      .where("alert_id", "=", alertId)
      .orderBy("at")
      .orderBy("seq")
      .execute();
    return causalOrder(rows.map(toAlertEvent), false, (_, previous) => (previous ? previous.toState : null));
  }

  /**
   * Transitions across alerts (e.g. everything dismissed this week), keyset-paged by (at, alert_id): a page never
   * splits the entries of one alert at one instant, which read in causal order as in `timeline()` (reversed when
   * newest first), so an alert's entries taken in list order end in its current state.
   */
  async list(filter: AlertEventFilter = {}, options: PageOptions = {}): Promise<Page<AlertEvent>> {
    const limit = pageLimit(options.limit);
    const desc = (options.order ?? "desc") === "desc";
    const dir = desc ? "desc" : "asc";
    const after = options.cursor === undefined ? undefined : decodeListCursor(options.cursor);
    const beyond = (key: readonly [number, string]) => (eb: ExpressionBuilder<Database, "alert_events">) =>
      eb(eb.refTuple("at", "alert_id"), desc ? "<" : ">", eb.tuple(key[0], key[1]));
    const query = () =>
      this.#ctx.db
        .selectFrom("alert_events")
        .selectAll()
        .where((eb) => matching(eb, filter))
        .orderBy("at", dir)
        .orderBy("alert_id", dir)
        .orderBy("seq", dir);
    let rows = await (after ? query().where(beyond(after)) : query()).limit(limit + 1).execute();
    let more = rows.length > limit;
    if (more) {
      const last = rows[limit - 1]!;
      const sameGroup = (r: Row) => Number(r.at) === Number(last.at) && r.alert_id === last.alert_id;
      if (sameGroup(rows[limit]!)) {
        // The page would end inside a group: it takes the whole group instead.
        const group = await query().where("at", "=", last.at).where("alert_id", "=", last.alert_id).execute();
        rows = [...rows.slice(0, limit).filter((r) => !sameGroup(r)), ...group];
        more = (await query().where(beyond([Number(last.at), last.alert_id])).limit(1).execute()).length > 0;
      } else rows = rows.slice(0, limit);
    }
    const befores = new Map<string, string | null | undefined>();
    const events = rows.map(toAlertEvent);
    for (let i = 1; i < events.length; i++) {
      const [a, b] = [events[i - 1]!, events[i]!];
      if (a.at === b.at && a.alertId === b.alertId && !befores.has(groupKey(a))) befores.set(groupKey(a), await this.#stateBefore(a.alertId, a.at));
    }
    const items = causalOrder(events, desc, (first) => befores.get(groupKey(first)));
    const lastItem = items[items.length - 1];
    return { items, nextCursor: more && lastItem ? encodeCursor([lastItem.at, lastItem.alertId]) : undefined };
  }

  /** The state an alert was in just before `at` (null: it did not exist yet). */
  async #stateBefore(alertId: string, at: number): Promise<string | null> {
    const latest = await this.#ctx.db
      .selectFrom("alert_events")
      .select("at")
      .where("alert_id", "=", alertId)
      .where("at", "<", at)
      .orderBy("at", "desc")
      .limit(1)
      .executeTakeFirst();
    if (!latest) return null;
    const rows = await this.#ctx.db
      .selectFrom("alert_events")
      .selectAll()
      .where("alert_id", "=", alertId)
      .where("at", "=", latest.at)
      .orderBy("seq")
      .execute();
    return chainOrder(rows.map(toAlertEvent), undefined).at(-1)?.toState ?? null;
  }
}

const groupKey = (e: AlertEvent) => `${e.alertId}\n${e.at}`;

function matching(eb: ExpressionBuilder<Database, "alert_events">, filter: AlertEventFilter): Expression<SqlBool> {
  const c: Expression<SqlBool>[] = [];
  if (filter.from !== undefined) c.push(eb("at", ">=", filter.from));
  if (filter.to !== undefined) c.push(eb("at", "<", filter.to));
  if (filter.kinds && filter.kinds.length > 0) c.push(eb("kind", "in", [...filter.kinds]));
  if (filter.repository !== undefined) c.push(eb("repository", "=", filter.repository));
  if (filter.toStates && filter.toStates.length > 0) c.push(eb("to_state", "in", [...filter.toStates]));
  return eb.and(c);
}

/** A `list` cursor: (at, alert_id) of the page's last entry. One of an older ghaudit held an entry id (`ae_…`). */
function decodeListCursor(cursor: string): [number, string] {
  const [at, alertId] = decodeCursor(cursor, ["number", "string"] as const);
  if (alertId.startsWith("ae_")) {
    throw new AppError("bad-request", "The page cursor was made by an older ghaudit version and is no longer valid.", {
      status: 400,
      hint: "Start again without a cursor: timeline pages are now keyed by time and alert, so that one alert's entries at one instant stay on one page in causal order.",
    });
  }
  return [at, alertId];
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
