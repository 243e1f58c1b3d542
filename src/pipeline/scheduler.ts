// Polls every planned stream on its own interval. A run takes the stream's lease in the store, renews it while it
// runs, and holds it for one interval from its end, so across several stateless instances on one database each stream
// is polled by one instance at a time and once per interval.
import { randomUUID } from "node:crypto";
import type { GitHubClient } from "../github/index.js";
import type { PlannedStream, StreamOutcome, SyncOptions } from "./sync.js";
import { planStreams, syncOnce } from "./sync.js";

export interface StreamStatus {
  stream: string;
  target: string;
  lastRunAt: number | null;
  lastOutcome: StreamOutcome | null;
  running: boolean;
}

export interface SchedulerOptions extends Omit<SyncOptions, "only" | "clients"> {
  /**
   * How long a running stream's lease lasts unless renewed (default 60 s, at most its interval); it is renewed every
   * third of that while the run goes on, so a run longer than its interval keeps the stream to itself.
   */
  runLeaseMs?: number;
  /** Identifies this instance in leases. */
  instanceId?: string;
}

const keyOf = (p: PlannedStream) => `${p.source.type}:${p.target.scope}:${p.target.name}`;

/** How long a `serve` instance's presence lease lasts; renewed at the start of every scheduler round. */
const SERVE_LEASE_MS = 60_000;

export class Scheduler {
  readonly #o: SchedulerOptions;
  readonly #holder: string;
  readonly #clients = new Map<string, GitHubClient>();
  readonly #status = new Map<string, StreamStatus>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(options: SchedulerOptions) {
    this.#o = options;
    this.#holder = options.instanceId ?? `ghaudit-${randomUUID()}`;
    for (const p of planStreams(options.config)) {
      this.#status.set(keyOf(p), { stream: p.source.type, target: `${p.target.scope}:${p.target.name}`, lastRunAt: null, lastOutcome: null, running: false });
    }
  }

  get #shortestInterval(): number {
    return Math.min(...planStreams(this.#o.config).map((p) => p.intervalMs));
  }

  status(): StreamStatus[] {
    return [...this.#status.values()];
  }

  /** Polls now, then every interval. */
  start(): void {
    this.#stopped = false;
    const tick = () => {
      if (this.#stopped) return;
      this.#running = this.runDue().then(
        () => undefined,
        (err: unknown) => this.#o.logger.error({ err }, "scheduler round failed"),
      );
      void this.#running.finally(() => {
        this.#running = null;
        if (!this.#stopped) this.#timer = setTimeout(tick, Math.min(this.#shortestInterval, 5_000));
      });
    };
    tick();
  }

  /** Stops polling; the leases this instance holds are handed back so another instance can take over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
    for (const key of this.#status.keys()) await this.#o.store.leases.release(`stream:${key}`, this.#holder);
    await this.#o.store.leases.release(`serve:${this.#holder}`, this.#holder);
  }

  /**
   * Each round: says that a `serve` uses the store (a `serve:<instance>` lease, which keeps `sync --once` from
   * suspending the audit log's filter indexes meanwhile), and rebuilds those indexes if they are missing and no live
   * process holds them suspended (a `sync --once` that died, or whose suspension expired, before rebuilding them).
   */
  async #housekeeping(): Promise<void> {
    try {
      await this.#o.store.leases.acquire(`serve:${this.#holder}`, this.#holder, SERVE_LEASE_MS);
      await this.#o.store.auditEvents.restoreFilterIndexes();
    } catch (err) {
      this.#o.logger.warn({ err }, "scheduler housekeeping failed; trying again next round");
    }
  }

  /** Renews a running stream's lease every third of its time; says whether it was lost (an instance stalled past it). */
  #keepLease(name: string, ttlMs: number): { stop(): void; readonly lost: boolean } {
    let lost = false;
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = renewing.then(async () => {
        if (lost) return;
        try {
          if (!(await this.#o.store.leases.renew(name, this.#holder, ttlMs))) {
            lost = true;
            this.#o.logger.error({ lease: name }, "lost the lease of a running stream (this instance stalled past it); another instance may run it too");
          }
        } catch (err) {
          this.#o.logger.warn({ err, lease: name }, "could not renew the lease of a running stream; trying again");
        }
      });
    }, Math.max(10, Math.floor(ttlMs / 3)));
    timer.unref();
    return {
      stop: () => clearInterval(timer),
      get lost() {
        return lost;
      },
    };
  }

  /** Runs every stream whose interval has passed and whose lease this instance gets. */
  async runDue(): Promise<StreamOutcome[]> {
    await this.#housekeeping();
    const now = this.#o.clock.now();
    const outcomes: StreamOutcome[] = [];
    for (const planned of planStreams(this.#o.config)) {
      const key = keyOf(planned);
      const status = this.#status.get(key)!;
      if (status.lastRunAt !== null && now - status.lastRunAt < planned.intervalMs) continue;
      const name = `stream:${key}`;
      const runLease = Math.min(this.#o.runLeaseMs ?? 60_000, planned.intervalMs);
      const lease = await this.#o.store.leases.acquire(name, this.#holder, runLease);
      if (!lease) continue;
      status.running = true;
      const renewal = this.#keepLease(name, runLease);
      try {
        const [outcome] = await syncOnce({ ...this.#o, clients: this.#clients, only: (p) => keyOf(p) === key });
        if (outcome) {
          status.lastOutcome = outcome;
          outcomes.push(outcome);
        }
      } finally {
        renewal.stop();
        status.running = false;
        status.lastRunAt = this.#o.clock.now();
        // The next interval counts from the end of this run, for every instance (unless the lease was lost meanwhile:
        // then another instance runs the stream now and holds it).
        if (!renewal.lost) await this.#o.store.leases.acquire(name, this.#holder, planned.intervalMs);
      }
    }
    return outcomes;
  }
}
