// Test helper: run a store test on every configured dialect, each test on its own fresh database.
// SQLite always (a temp file); PostgreSQL when GHAUDIT_TEST_POSTGRES_URL is set (a fresh schema per database, dropped
// afterwards, so test files can run in parallel against one server). The database is never mocked.
//
//   forEachDialect("checkpoints", (dialect) => {
//     test("survive reopen", () => dialect.withStore(async (store) => { ... }));
//   });
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe } from "node:test";
import { sql } from "kysely";
import pg from "pg";
import { openStore, type Store, type StoreDialect, type StoreOptions } from "./index.js";

export const TEST_POSTGRES_URL_ENV = "GHAUDIT_TEST_POSTGRES_URL";

/** A fresh empty database: open it as often as needed, then drop it. */
export interface TestDatabase {
  readonly dialect: StoreDialect;
  /** What `openStore` takes (with `options`). */
  readonly location: string;
  readonly options: StoreOptions;
  open(extra?: StoreOptions): Promise<Store>;
  /** Closes the stores opened on it that are still open, then deletes the database. */
  drop(): Promise<void>;
}

export interface DialectFixture {
  readonly dialect: StoreDialect;
  create(): Promise<TestDatabase>;
  /** Creates a database, opens a store on it, runs `fn`, then closes and drops everything. */
  withStore<T>(fn: (store: Store, database: TestDatabase) => Promise<T>, options?: StoreOptions): Promise<T>;
}

/** The dialects this run covers: SQLite, plus PostgreSQL when GHAUDIT_TEST_POSTGRES_URL is set. */
export function testDialects(): DialectFixture[] {
  const fixtures = [fixture("sqlite", createSqlite)];
  const url = process.env[TEST_POSTGRES_URL_ENV];
  if (url) fixtures.push(fixture("postgres", () => createPostgres(url)));
  return fixtures;
}

/** One `describe` block per dialect, named `name [dialect]`. */
export function forEachDialect(name: string, fn: (dialect: DialectFixture) => void): void {
  for (const dialect of testDialects()) describe(`${name} [${dialect.dialect}]`, () => fn(dialect));
}

function fixture(dialect: StoreDialect, create: () => Promise<TestDatabase>): DialectFixture {
  return {
    dialect,
    create,
    async withStore(fn, options) {
      const database = await create();
      try {
        const store = await database.open(options);
        try {
          return await fn(store, database);
        } finally {
          await store.close();
        }
      } finally {
        await database.drop();
      }
    },
  };
}

/** Wraps a database so `drop()` first closes whatever stores the test left open (e.g. when an assertion threw). */
function tracked(dialect: StoreDialect, location: string, options: StoreOptions, open: (extra?: StoreOptions) => Promise<Store>, remove: () => Promise<void>): TestDatabase {
  const stores = new Set<Store>();
  return {
    dialect,
    location,
    options,
    async open(extra) {
      const store = await open(extra);
      stores.add(store);
      return { ...store, close: () => (stores.delete(store) ? store.close() : Promise.resolve()) };
    },
    async drop() {
      await Promise.all([...stores].map((s) => s.close().catch(() => undefined)));
      stores.clear();
      await remove();
    },
  };
}

function createSqlite(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-store-"));
  const location = join(dir, "ghaudit.db");
  return Promise.resolve(
    tracked("sqlite", location, {}, (extra) => openStore(location, { ...extra }), () =>
      Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    ),
  );
}

function createPostgres(url: string): Promise<TestDatabase> {
  const schema = `ghaudit_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const open = (extra?: StoreOptions): Promise<Store> => openStore(url, { poolSize: 4, ...extra, schema });
  return Promise.resolve(
    tracked("postgres", url, { schema }, open, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    }),
  );
}

/** The filter indexes on audit_events with their columns, sorted by name. */
export async function filterIndexes(store: Store): Promise<string[]> {
  const query =
    store.dialect === "sqlite"
      ? sql<{ name: string; columns: string }>`select m.name, group_concat(i.name, ',') as columns from sqlite_master m, pragma_index_info(m.name) i
          where m.type = 'index' and m.tbl_name = 'audit_events' and m.name not like 'sqlite_%' and m.name <> 'audit_events_at_id' group by m.name order by m.name`
      : sql<{ name: string; columns: string }>`select indexname as name, indexdef as columns from pg_indexes
          where tablename = 'audit_events' and schemaname = current_schema() and indexname like 'audit_events_%_at' and indexname <> 'audit_events_at_id' order by indexname`;
  return (await query.execute(store.db)).rows.map((r) => `${r.name}(${r.columns})`);
}
