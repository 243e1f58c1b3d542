// The SQLite connection's own thread: opens the database file, runs the statements the store sends (cached prepared
// statements, bulk row inserts, cursors) and replies with the results. Started by sqlite-driver.ts.
import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";

export interface ThreadOptions {
  path: string;
  pragmas: readonly string[];
}

export type ThreadRequest =
  | { id: number; op: "query"; sql: string; parameters: readonly unknown[]; rows?: readonly (readonly unknown[])[] }
  | { id: number; op: "iterate"; sql: string; parameters: readonly unknown[]; chunk: number }
  | { id: number; op: "next"; cursor: number; chunk: number }
  | { id: number; op: "end"; cursor: number }
  | { id: number; op: "close" };

export type ThreadResult = { rows: unknown[]; done?: boolean } | { changes: number; lastInsertRowid: number | bigint };

/** Id 0 answers the open: ok, or the error that stopped it. */
export type ThreadReply =
  | { id: number; ok: true; result?: ThreadResult }
  | { id: number; ok: false; error: { message: string; name: string; code?: string } };

const CACHED_STATEMENTS = 64;

class Connection {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #cursors = new Map<number, IterableIterator<unknown>>();

  constructor(options: ThreadOptions) {
    this.#db = new Database(options.path);
    try {
      for (const pragma of options.pragmas) this.#db.pragma(pragma);
      const mode = this.#db.pragma("journal_mode", { simple: true });
      if (options.path !== ":memory:" && mode !== "wal") throw new Error(`journal_mode is ${String(mode)}, WAL could not be enabled`);
    } catch (err) {
      this.#db.close();
      throw err;
    }
  }

  #prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement) {
      this.#statements.delete(sql); // re-inserted below: the Map's order is the LRU order
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

  handle(request: ThreadRequest): ThreadResult | undefined {
    switch (request.op) {
      case "query": {
        const statement = this.#prepare(request.sql);
        if (request.rows) {
          let changes = 0;
          let lastInsertRowid: number | bigint = 0;
          for (const row of request.rows) {
            const result = statement.run(row as unknown[]);
            changes += result.changes;
            lastInsertRowid = result.lastInsertRowid;
          }
          return { changes, lastInsertRowid };
        }
        if (statement.reader) return { rows: statement.all(request.parameters as unknown[]) };
        const { changes, lastInsertRowid } = statement.run(request.parameters as unknown[]);
        return { changes, lastInsertRowid };
      }
      case "iterate": {
        // Not cached: an open cursor keeps its statement busy.
        this.#cursors.set(request.id, this.#db.prepare(request.sql).iterate(request.parameters as unknown[]));
        return this.#next(request.id, request.chunk);
      }
      case "next":
        return this.#next(request.cursor, request.chunk);
      case "end":
        this.#cursors.get(request.cursor)?.return?.();
        this.#cursors.delete(request.cursor);
        return undefined;
      case "close":
        for (const cursor of this.#cursors.values()) cursor.return?.();
        this.#cursors.clear();
        this.#db.close();
        return undefined;
    }
  }

  #next(id: number, chunk: number): { rows: unknown[]; done: boolean } {
    const cursor = this.#cursors.get(id);
    if (!cursor) throw new Error(`no open cursor ${id}`);
    const rows: unknown[] = [];
    while (rows.length < chunk) {
      const next = cursor.next();
      if (next.done) {
        this.#cursors.delete(id);
        return { rows, done: true };
      }
      rows.push(next.value);
    }
    return { rows, done: false };
  }
}

function errorOf(err: unknown): { message: string; name: string; code?: string } {
  if (!(err instanceof Error)) return { message: String(err), name: "Error" };
  const code = (err as { code?: unknown }).code;
  return { message: err.message, name: err.name, ...(typeof code === "string" ? { code } : {}) };
}

function serve(port: NonNullable<typeof parentPort>): void {
  let connection: Connection;
  try {
    connection = new Connection(workerData as ThreadOptions);
  } catch (err) {
    port.postMessage({ id: 0, ok: false, error: errorOf(err) } satisfies ThreadReply);
    port.close();
    return;
  }
  port.postMessage({ id: 0, ok: true } satisfies ThreadReply);
  port.on("message", (request: ThreadRequest) => {
    let reply: ThreadReply;
    try {
      const result = connection.handle(request);
      reply = result === undefined ? { id: request.id, ok: true } : { id: request.id, ok: true, result };
    } catch (err) {
      reply = { id: request.id, ok: false, error: errorOf(err) };
    }
    port.postMessage(reply);
    if (request.op === "close") port.close();
  });
}

if (parentPort) serve(parentPort);
