// Detections raised by rules: idempotent inserts (same rule + same events = same detection) and keyset listing.
import type { Expression, Selectable, SqlBool } from "kysely";
import type { AuditEventRef } from "./audit-events.js";
import { atomically, chunksFor, parseJson, takePositions, type StoreContext } from "./context.js";
import { detectionId } from "./ids.js";
import { decodeCursor, pageLimit, toPage, type Page, type PageOptions } from "./keyset.js";
import type { DetectionsTable } from "./schema.js";

export interface DetectionInput {
  /** Defaults to `detectionId(ruleId, event ids)`. */
  id?: string;
  ruleId: string;
  ruleTitle: string;
  /** The rule's level (Sigma: informational, low, medium, high, critical). */
  level: string;
  severity?: string | null;
  /** The matched audit events. */
  events: readonly AuditEventRef[];
  /** Defaults to the time of the last matched event. */
  at?: number;
  details?: unknown;
}

export interface Detection {
  id: string;
  ruleId: string;
  ruleTitle: string;
  level: string;
  severity: string | null;
  events: AuditEventRef[];
  at: number;
  details: unknown;
  createdAt: number;
  seq: number;
}

export interface DetectionFilter {
  from?: number;
  to?: number;
  ruleId?: string;
  levels?: readonly string[];
}

const COLUMNS_PER_ROW = 10;

export class Detections {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Stores new detections; ones already stored are skipped. Returns the ids that were new. */
  async insert(detections: readonly DetectionInput[]): Promise<{ inserted: number; ids: string[] }> {
    if (detections.length === 0) return { inserted: 0, ids: [] };
    const now = this.#ctx.clock.now();
    const unique = new Map<string, DetectionInput>();
    for (const d of detections) {
      const id = d.id ?? detectionId(d.ruleId, d.events.map((e) => e.id));
      if (!unique.has(id)) unique.set(id, d);
    }
    const ids = await atomically(this.#ctx, async (db) => {
      let position = await takePositions(db, unique.size);
      const rows: Selectable<DetectionsTable>[] = [...unique].map(([id, d]) => ({
        id,
        rule_id: d.ruleId,
        rule_title: d.ruleTitle,
        level: d.level,
        severity: d.severity ?? null,
        events: JSON.stringify(d.events.map((e) => ({ id: e.id, at: e.at }))),
        at: d.at ?? (d.events.length > 0 ? Math.max(...d.events.map((e) => e.at)) : now),
        details: JSON.stringify(d.details ?? {}),
        created_at: now,
        seq: position++,
      }));
      const inserted: string[] = [];
      for (const chunk of chunksFor(this.#ctx, rows, COLUMNS_PER_ROW)) {
        const result = await db
          .insertInto("detections")
          .values(chunk)
          .onConflict((oc) => oc.column("id").doNothing())
          .returning("id")
          .execute();
        inserted.push(...result.map((r) => r.id));
      }
      return inserted;
    });
    return { inserted: ids.length, ids };
  }

  async get(id: string): Promise<Detection | undefined> {
    const row = await this.#ctx.db.selectFrom("detections").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toDetection(row) : undefined;
  }

  /** Detections by time of the matched events, newest first by default. */
  async list(filter: DetectionFilter = {}, options: PageOptions = {}): Promise<Page<Detection>> {
    const limit = pageLimit(options.limit);
    const desc = (options.order ?? "desc") === "desc";
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, ["number", "string"] as const);
    const rows = await this.#ctx.db
      .selectFrom("detections")
      .selectAll()
      .where((eb) => {
        const c: Expression<SqlBool>[] = [];
        if (filter.from !== undefined) c.push(eb("at", ">=", filter.from));
        if (filter.to !== undefined) c.push(eb("at", "<", filter.to));
        if (filter.ruleId !== undefined) c.push(eb("rule_id", "=", filter.ruleId));
        if (filter.levels && filter.levels.length > 0) c.push(eb("level", "in", [...filter.levels]));
        if (after) c.push(eb(eb.refTuple("at", "id"), desc ? "<" : ">", eb.tuple(after[0], after[1])));
        return eb.and(c);
      })
      .orderBy("at", desc ? "desc" : "asc")
      .orderBy("id", desc ? "desc" : "asc")
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, (r) => [Number(r.at), r.id], toDetection);
  }
}

export function toDetection(r: Selectable<DetectionsTable>): Detection {
  return {
    id: r.id,
    ruleId: r.rule_id,
    ruleTitle: r.rule_title,
    level: r.level,
    severity: r.severity,
    events: parseJson(r.events) as AuditEventRef[],
    at: Number(r.at),
    details: parseJson(r.details),
    createdAt: Number(r.created_at),
    seq: Number(r.seq),
  };
}
