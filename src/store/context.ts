// What every repository module shares: the database handle (plain or a transaction), the dialect, the clock, and the
// helpers for atomic writes, statement chunking and the record sequence.
import type { CompiledQuery, Kysely, Transaction } from "kysely";
import type { Clock } from "../core/clock.js";
import type { Database } from "./schema.js";

export type StoreDialect = "sqlite" | "postgres";

export interface StoreContext {
  /** The whole database, or the transaction the repositories were bound to by `store.transaction()`. */
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  readonly clock: Clock;
  /** State of the open store, shared by its repositories and those bound to its transactions. */
  readonly shared: StoreShared;
}

export interface StoreShared {
  /** Identifies this open store as the holder of store-wide leases: `host:pid:uuid`. */
  readonly holder: string;
  /** Bulk loads that have the audit log's filter indexes suspended (see `AuditEvents.suspendFilterIndexes`). */
  filterIndexHolds: number;
  /** Renews this store's lease on the suspension while loads hold it. */
  filterIndexRenewal: NodeJS.Timeout | null;
}

/** Bound parameters per statement: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766 since 3.32), pg's protocol limit (65535). */
const MAX_PARAMETERS: Record<StoreDialect, number> = { sqlite: 32766, postgres: 65535 };

/** Rows per multi-row statement: large enough to amortize a round trip, small enough for the parameter limit. */
export const MAX_ROWS_PER_STATEMENT = 1000;

/**
 * Marks a compiled one-row statement that SQLite's driver runs once per parameter row, inside the caller's
 * transaction: a prepared statement stepped per row costs SQLite about half of one multi-row `VALUES` list, which it
 * first materializes. Only for SQLite; PostgreSQL gets multi-row statements (one round trip for many rows).
 */
export const EACH_ROW = Symbol("each row");

export interface EachRowQuery extends CompiledQuery {
  readonly [EACH_ROW]: readonly (readonly unknown[])[];
}

/** Runs `fn` atomically: inside the caller's transaction when there is one, else in a new one. */
export async function atomically<T>(ctx: StoreContext, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx.db);
  return ctx.db.transaction().execute((trx: Transaction<Database>) => fn(trx));
}

/** Splits rows into statement-sized chunks for a table with `columns` bound values per row. */
export function chunksFor<T>(ctx: StoreContext, rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS[ctx.dialect] / columns)));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

/**
 * Takes `count` positions from the record sequence and returns the first; must run inside a transaction.
 *
 * The counter is one row, updated in the writer's transaction: its row lock is held until commit, so on PostgreSQL
 * writers of sequenced records commit in sequence order and a reader that sees position N has already seen every
 * smaller position (outbox.ts relies on this). Every write to a sequenced table calls this before touching rows, even
 * with `count = 0`, so all such writers take their locks in the same order and cannot deadlock each other.
 */
export async function takePositions(db: Kysely<Database>, count: number): Promise<number> {
  const row = await db
    .updateTable("sequences")
    .set((eb) => ({ value: eb("value", "+", count) }))
    .where("name", "=", "records")
    .returning("value")
    .executeTakeFirstOrThrow();
  return Number(row.value) - count + 1;
}

/** The last position handed out (committed), for "everything up to here" reads. */
export async function lastPosition(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("sequences").select("value").where("name", "=", "records").executeTakeFirstOrThrow();
  return Number(row.value);
}

/** Stores a value as JSON text; strings are taken to be JSON text already (raw payloads as received). */
export function jsonText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}

export function parseJson(text: string): unknown {
  return JSON.parse(text) as unknown;
}

/** Counts come back as number (SQLite), string or bigint (pg int8 before our type parser): make them numbers. */
export function toCount(value: string | number | bigint | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}
