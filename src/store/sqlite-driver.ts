// Kysely's SQLite dialect for the store, with its one connection on its own thread (sqlite-thread.ts): SQLite's work
// (bulk inserts, index updates, commits, WAL checkpoints) runs beside the event loop instead of blocking it, as
// PostgreSQL's runs in its server. Write transactions take the lock up front (BEGIN IMMEDIATE), migrations run in a
// transaction, and a one-row statement marked EACH_ROW runs once per parameter row (bulk inserts).
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from "kysely";
import { Worker } from "node:worker_threads";
import { EACH_ROW, type EachRowQuery } from "./context.js";
import type { ThreadOptions, ThreadReply, ThreadRequest, ThreadResult } from "./sqlite-thread.js";

type Request = ThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/** An error raised by SQLite on the connection's thread, with SQLite's code (`SQLITE_CONSTRAINT_UNIQUE`, ...). */
export class SqliteError extends Error {
  readonly code: string | undefined;

  constructor(error: { message: string; name: string; code?: string }) {
    super(error.message);
    this.name = error.name;
    this.code = error.code;
  }
}

/** The connection's thread: requests answered in order; it keeps the process alive only while a request is pending. */
class SqliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: ThreadResult | undefined) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #failure: Error | null = null;
  readonly ready: Promise<void>;

  constructor(options: ThreadOptions) {
    this.#worker = new Worker(new URL("./sqlite-thread.js", import.meta.url), {
      workerData: options,
      // No Node flags: the thread runs one plain module, and flags of the process (`--trace-gc`, `-e` scripts, V8 heap
      // sizes) are rejected by workers.
      execArgv: [],
    });
    this.ready = new Promise((resolve, reject) => {
      this.#pending.set(0, { resolve: () => resolve(), reject });
    });
    this.#worker.on("message", (reply: ThreadReply) => {
      const waiter = this.#pending.get(reply.id);
      if (!waiter) return;
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) this.#worker.unref();
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new SqliteError(reply.error));
    });
    const fail = (err: Error) => {
      this.#failure ??= err;
      for (const waiter of this.#pending.values()) waiter.reject(err);
      this.#pending.clear();
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", (code) => fail(new Error(`the SQLite thread exited (code ${code})`)));
  }

  /** Sends a request; `onId` learns its id (an `iterate` request's id names its cursor). */
  call(request: Request, onId?: (id: number) => void): Promise<ThreadResult | undefined> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    onId?.(id);
    if (this.#pending.size === 0) this.#worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  async close(): Promise<void> {
    if (this.#failure) return;
    const exited = new Promise<void>((resolve) => this.#worker.once("exit", () => resolve()));
    await this.call({ op: "close" }).catch(() => undefined);
    this.#worker.ref(); // until the thread has ended
    await exited;
  }
}

class ThreadConnection implements DatabaseConnection {
  readonly #thread: SqliteThread;

  constructor(thread: SqliteThread) {
    this.#thread = thread;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const rows = (compiled as Partial<EachRowQuery>)[EACH_ROW];
    const result = await this.#thread.call({ op: "query", sql: compiled.sql, parameters: compiled.parameters, ...(rows ? { rows } : {}) });
    if (result && "changes" in result) {
      return { numAffectedRows: BigInt(result.changes), insertId: BigInt(result.lastInsertRowid), rows: [] };
    }
    return { rows: (result?.rows ?? []) as R[] };
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error("SQLite can only stream select queries");
    const chunk = Math.max(1, chunkSize);
    let cursor = 0;
    const open = { op: "iterate", sql: compiled.sql, parameters: compiled.parameters, chunk } as const;
    let reply = (await this.#thread.call(open, (id) => (cursor = id))) as { rows: R[]; done: boolean };
    try {
      for (;;) {
        if (reply.rows.length > 0) yield { rows: reply.rows };
        if (reply.done) return;
        reply = (await this.#thread.call({ op: "next", cursor, chunk })) as { rows: R[]; done: boolean };
      }
    } finally {
      if (!reply.done) await this.#thread.call({ op: "end", cursor });
    }
  }
}

/** Kysely's driver: one connection, handed to one user at a time. */
class StoreSqliteDriver implements Driver {
  readonly #options: ThreadOptions;
  readonly #openError: (err: Error) => Error;
  #thread: SqliteThread | null = null;
  #connection: ThreadConnection | null = null;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | null = null;

  constructor(options: ThreadOptions, openError: (err: Error) => Error) {
    this.#options = options;
    this.#openError = openError;
  }

  async init(): Promise<void> {
    const thread = new SqliteThread(this.#options);
    try {
      await thread.ready;
    } catch (err) {
      throw this.#openError(err as Error);
    }
    this.#thread = thread;
    this.#connection = new ThreadConnection(thread);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise((resolve) => (release = resolve));
    await previous;
    this.#release = release;
    return this.#connection!;
  }

  /**
   * The write lock is taken when the transaction starts (waiting up to busy_timeout), so a transaction that reads then
   * writes cannot fail half-way with SQLITE_BUSY because another process (a CLI export beside `serve`) wrote in between.
   */
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = null;
    release?.();
  }

  async destroy(): Promise<void> {
    await this.#thread?.close();
    this.#thread = null;
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

export class StoreSqliteDialect implements Dialect {
  readonly #options: ThreadOptions;
  readonly #openError: (err: Error) => Error;

  /** `openError` turns a failure to open the file into the error the caller shows. */
  constructor(options: ThreadOptions, openError: (err: Error) => Error) {
    this.#options = options;
    this.#openError = openError;
  }

  createDriver(): Driver {
    return new StoreSqliteDriver(this.#options, this.#openError);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new StoreSqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
