// Opens a SQLite file for the store: parent folder created, WAL and the other pragmas set, clear errors.
import Database from "better-sqlite3";
import type { SqliteDialect } from "kysely";
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createRequire } from "node:module";
import { AppError } from "../core/errors.js";
import { Checkpointer } from "./sqlite-checkpointer.js";
import { StoreSqliteDialect } from "./sqlite-driver.js";

/** SQLite pragmas applied to every connection; see https://www.sqlite.org/pragma.html. */
const PRAGMAS = [
  // 8 KiB pages for a new database (an existing one keeps the size it was made with: WAL cannot change it). An audit
  // event's row is ~1 KB, so a 4 KiB page holds only ~4: with 8 KiB a 1M-event backfill writes half as many WAL frames
  // and spends ~1-2 s less system time (3.4 s against 4.3-5.4 s), the database is 3% smaller, filtered listings and
  // counts read as fast, and webhook intake (small writes to scattered pages) is no slower. The backfill's wall time
  // gained less than the VM's noise (medians of 49.5k and 43.0k events/s against 42.8k and 47.7k, alternated).
  // 16-64 KiB were no faster.
  "page_size = 8192",
  "journal_mode = WAL", // readers never block the writer; a crash loses nothing committed
  "synchronous = NORMAL", // in WAL mode: durable at checkpoints, never corrupt; the usual choice with WAL
  "foreign_keys = ON",
  "busy_timeout = 10000", // another process writing: wait up to 10 s instead of failing at once
  // 16 MiB page cache (the build's default): the hot pages of a large audit log's indexes; the OS caches the rest. A
  // 1M-event backfill with its indexes kept up was no faster with 32 MiB (18.6 s against 17.4-17.8 s) and took 20 MB
  // more memory.
  "cache_size = -16384",
  "temp_store = MEMORY",
  // The WAL is cut back to 64 MiB when it starts over.
  "journal_size_limit = 67108864",
];

/** `onCheckpointError` hears of a WAL checkpoint that failed on the checkpointing thread. */
export function openSqlite(location: string, onCheckpointError?: (message: string) => void): SqliteDialect {
  const memory = location === ":memory:";
  const path = memory ? location : resolve(location);
  const fail = (what: string, cause: unknown, hint: string): AppError =>
    new AppError("store-error", `Cannot open the SQLite database ${path}: ${what}.`, { cause, hint });
  if (!memory) {
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      // does not exist yet: created below
    }
    if (isDirectory) {
      throw fail("it is a folder", undefined, "Give the path of a database file, e.g. ./data/ghaudit.db.");
    }
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw fail(`cannot create its folder (${message(err)})`, err, "Check the path and the permissions of its parent folders.");
    }
  }
  let database: Database.Database | undefined;
  try {
    database = new Database(path);
    for (const pragma of PRAGMAS) database.pragma(pragma);
    const mode = database.pragma("journal_mode", { simple: true });
    if (!memory && mode !== "wal") throw new Error(`journal_mode is ${String(mode)}, WAL could not be enabled`);
  } catch (err) {
    database?.close();
    throw fail(message(err), err, "Check that the file is a SQLite database (or absent) and that ghaudit may write to it and its folder.");
  }
  if (memory) return new StoreSqliteDialect(database);
  // Checkpoints run on their own thread after each commit (sqlite-checkpointer.ts), not in the writer's commits.
  database.pragma("wal_autocheckpoint = 0");
  const checkpointer = new Checkpointer({
    path,
    module: createRequire(import.meta.url).resolve("better-sqlite3"),
    ...(onCheckpointError ? { onError: onCheckpointError } : {}),
  });
  return new StoreSqliteDialect(database, checkpointer);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
