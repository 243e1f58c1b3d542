// Kysely's SQLite dialect with five changes for the store: write transactions take the lock up front (BEGIN
// IMMEDIATE), migrations run in a transaction, prepared statements are cached, a one-row statement marked EACH_ROW
// runs once per parameter row (bulk inserts), and WAL checkpoints run on their own thread after commits.
import type Database from "better-sqlite3";
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type QueryResult,
} from "kysely";
import { EACH_ROW, type EachRowQuery } from "./context.js";
import type { Checkpointer } from "./sqlite-checkpointer.js";

const CACHED_STATEMENTS = 64;

class CachingConnection implements DatabaseConnection {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  #prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement) {
      this.#statements.delete(sql); // re-insert below: the Map's order is the LRU order
    } else {
      statement = this.#db.prepare(sql);
      if (this.#statements.size >= CACHED_STATEMENTS) {
        const oldest = this.#statements.keys().next().value;
        if (oldest !== undefined) this.#statements.delete(oldest);
      }
    }
    this.#statements.set(sql, statement);
    return statement;
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.#prepare(compiled.sql);
    const rows = (compiled as Partial<EachRowQuery>)[EACH_ROW];
    if (rows) {
      let changes = 0;
      let lastInsertRowid: number | bigint = 0;
      for (const row of rows) {
        const result = statement.run(row as unknown[]);
        changes += result.changes;
        lastInsertRowid = result.lastInsertRowid;
      }
      return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
    }
    const parameters = compiled.parameters as unknown[];
    if (statement.reader) return Promise.resolve({ rows: statement.all(parameters) as R[] });
    const { changes, lastInsertRowid } = statement.run(parameters);
    return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error("SQLite can only stream select queries");
    for (const row of this.#prepare(compiled.sql).iterate(compiled.parameters as unknown[])) {
      yield { rows: [row as R] };
    }
  }
}

/**
 * WAL size beyond which the writer checkpoints itself (RESTART: waits for readers, then the log starts over), in case
 * the checkpointing thread never catches up with a steady stream of commits. Counted in frames of the file's pages.
 */
const WAL_BYTES_LIMIT = 256 * 1024 * 1024;

/** Kysely's driver (its connection mutex and lifecycle) with our connection, transaction start and checkpoints. */
class StoreSqliteDriver extends SqliteDriver {
  readonly #connection: CachingConnection;
  readonly #database: Database.Database;
  readonly #checkpointer: Checkpointer | null;
  readonly #walFramesLimit: number;

  constructor(database: Database.Database, checkpointer: Checkpointer | null) {
    super({ database });
    this.#database = database;
    this.#checkpointer = checkpointer;
    this.#walFramesLimit = Math.floor(WAL_BYTES_LIMIT / Number(database.pragma("page_size", { simple: true })));
    this.#connection = new CachingConnection(database);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    await super.acquireConnection();
    return this.#connection;
  }

  /**
   * The write lock is taken when the transaction starts (waiting up to busy_timeout), so a transaction that reads then
   * writes cannot fail half-way with SQLITE_BUSY because another process (a CLI export beside `serve`) wrote in between.
   */
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }

  /** After a commit the log is copied back into the database on the checkpointing thread. */
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
    const checkpointer = this.#checkpointer;
    if (!checkpointer) return;
    if (checkpointer.frames > this.#walFramesLimit) {
      this.#database.pragma("wal_checkpoint(RESTART)");
      checkpointer.frames = 0;
    }
    checkpointer.request();
  }

  override async destroy(): Promise<void> {
    await this.#checkpointer?.close();
    await super.destroy();
  }
}

/**
 * SQLite does run DDL inside transactions; saying so makes Kysely's Migrator run each migration batch in one (BEGIN
 * IMMEDIATE) transaction, so a crash mid-migration leaves nothing half-made and two processes never migrate at once.
 */
class StoreSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class StoreSqliteDialect extends SqliteDialect {
  readonly #database: Database.Database;
  readonly #checkpointer: Checkpointer | null;

  /** `checkpointer`: the thread that checkpoints the WAL (the connection's own autocheckpoint is then off). */
  constructor(database: Database.Database, checkpointer: Checkpointer | null = null) {
    super({ database });
    this.#database = database;
    this.#checkpointer = checkpointer;
  }

  override createDriver(): Driver {
    return new StoreSqliteDriver(this.#database, this.#checkpointer);
  }

  override createAdapter(): DialectAdapter {
    return new StoreSqliteAdapter();
  }
}
