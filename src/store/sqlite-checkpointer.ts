// Copies SQLite's write-ahead log back into the database file on a thread of its own, with its own connection, so the
// writer's commits never pay for a checkpoint (copying tens of MB and an fsync) on the event loop's thread.
import { Worker } from "node:worker_threads";

/** The checkpointing thread's code: a PASSIVE checkpoint per request, reporting the WAL's frames. */
const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 1000");
parentPort.on("message", (m) => {
  if (m === "close") { db.close(); parentPort.close(); return; }
  try {
    const [row] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ ok: true, log: row.log, checkpointed: row.checkpointed });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err && err.message || err) });
  }
});
`;

export interface CheckpointerOptions {
  path: string;
  /** Resolved path of the better-sqlite3 package, which the thread loads. */
  module: string;
  /** Called when a checkpoint fails (logged by the caller; the next commit tries again). */
  onError?: (message: string) => void;
}

/**
 * One checkpoint at a time, asked for after commits: a request while one runs is remembered and run right after.
 * The thread keeps the process alive only while a checkpoint runs.
 */
export class Checkpointer {
  readonly #worker: Worker;
  readonly #onError: (message: string) => void;
  #running = false;
  #again = false;
  #closed = false;
  #idle: (() => void)[] = [];
  /** WAL frames after the last checkpoint (the log only shrinks when a writer restarts it). */
  frames = 0;

  constructor(options: CheckpointerOptions) {
    this.#onError = options.onError ?? (() => undefined);
    this.#worker = new Worker(THREAD, { eval: true, workerData: { path: options.path, module: options.module }, execArgv: [] });
    this.#worker.unref();
    this.#worker.on("message", (reply: { ok: boolean; log?: number; error?: string }) => {
      this.#running = false;
      if (reply.ok) this.frames = reply.log ?? 0;
      else this.#onError(reply.error ?? "checkpoint failed");
      if (this.#again) {
        this.request();
        return;
      }
      if (!this.#closed) this.#worker.unref(); // a closing thread stays referenced until it has ended
      for (const resolve of this.#idle.splice(0)) resolve();
    });
    this.#worker.on("error", (err) => this.#onError(err.message));
  }

  /** Asks for a checkpoint (coalesced with one that is running). */
  request(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    this.#again = false;
    this.#worker.ref();
    this.#worker.postMessage("checkpoint");
  }

  /** Resolves when no checkpoint is running or asked for. */
  idle(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Waits for a running checkpoint, then ends the thread (its connection closes first). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#worker.ref();
    const exited = new Promise<void>((resolve) => this.#worker.once("exit", () => resolve()));
    this.#worker.postMessage("close");
    await exited;
  }
}
