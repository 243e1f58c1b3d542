// Drains stored webhook deliveries in arrival order into alerts and timelines, in the background of `ghaudit serve`.
// Each delivery is marked processed, ignored or failed (with attempts and the error); failures are retried with
// back-off. Pending deliveries survive restarts: a new processor picks them up when it starts. One instance at a time
// processes (a lease in the store), so several instances on one PostgreSQL keep the order.
import { randomUUID } from "node:crypto";
import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import type { Clock } from "../../core/clock.js";
import { orderByAlertTime } from "./order.js";
import { PayloadError } from "./payload.js";
import { processDelivery, type ProcessContext } from "./process.js";

export const PROCESSOR_LEASE = "webhook-processor";

export interface WebhookProcessorOptions extends ProcessContext {
  clock: Clock;
  /** Deliveries read per query (default 25: each read blocks SQLite's event loop briefly). */
  batchSize?: number;
  /** Attempts before a delivery is marked failed for good (default 5). */
  maxAttempts?: number;
  /** Delay before the first retry; doubles per attempt, at most 10 minutes (default 5 s). */
  retryDelayMs?: number;
  /** Looks for deliveries stored by other instances this often (default 10 s; 0 = only when told). */
  sweepIntervalMs?: number;
  leaseTtlMs?: number;
  /**
   * Processed and ignored deliveries are deleted after this long (default 7 days: longer than GitHub lets anyone
   * redeliver, 3 days on GitHub.com and 7 on GHES, so a redelivery is still recognised).
   */
  retentionMs?: number;
  /**
   * True while more urgent work runs (requests GitHub waits on): each delivery then waits for it, up to `yieldMs`
   * (default 25 ms), so a burst of deliveries is answered first and processed right after.
   */
  busy?: () => boolean;
  yieldMs?: number;
}

export interface ProcessorStats {
  processed: number;
  ignored: number;
  /** Failed attempts (a delivery retried three times counts three). */
  failures: number;
  /** Timeline entries written. */
  transitions: number;
  /** Alerts re-read through the API. */
  refreshed: number;
  lastError: string | null;
}

export class WebhookProcessor {
  readonly #o: WebhookProcessorOptions;
  readonly #holder = `webhooks-${randomUUID()}`;
  readonly #stats: ProcessorStats = { processed: 0, ignored: 0, failures: 0, transitions: 0, refreshed: 0, lastError: null };
  #running: Promise<void> | null = null;
  #again = false;
  #started = false;
  #stopping = false;
  #sweep: NodeJS.Timeout | null = null;
  #retry: NodeJS.Timeout | null = null;
  #prunedAt = 0;

  constructor(options: WebhookProcessorOptions) {
    this.#o = options;
  }

  stats(): ProcessorStats {
    return { ...this.#stats };
  }

  /** Processes what is pending (from before a restart too), then whatever `notify` announces. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#stopping = false;
    const every = this.#o.sweepIntervalMs ?? 10_000;
    if (every > 0) {
      this.#sweep = setInterval(() => void this.drain(), every);
      this.#sweep.unref();
    }
    void this.drain();
  }

  /** A delivery was stored: process it soon (only once started). */
  notify(): void {
    if (this.#started && !this.#stopping) void this.drain();
  }

  /** Processes every pending delivery once (failures wait for their retry); resolves when done. Never rejects. */
  drain(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#pass();
        } while (this.#again && !this.#stopping);
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  /** Resolves once no pass is running. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Finishes the delivery in hand, stops, and hands the lease back so another instance can go on at once. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#started = false;
    if (this.#sweep) clearInterval(this.#sweep);
    if (this.#retry) clearTimeout(this.#retry);
    this.#sweep = this.#retry = null;
    await this.idle();
    await this.#o.store.leases.release(PROCESSOR_LEASE, this.#holder).catch(() => false);
  }

  async #pass(): Promise<void> {
    const { store, logger } = this.#o;
    const ttl = this.#o.leaseTtlMs ?? 60_000;
    const batchSize = this.#o.batchSize ?? 25;
    const maxAttempts = this.#o.maxAttempts ?? 5;
    const retryAfter: number[] = [];
    try {
      if (!(await store.leases.acquire(PROCESSOR_LEASE, this.#holder, ttl))) return; // another instance processes
      // A delivery that failed stays pending with the time of its next attempt, and pending() leaves it out till then,
      // however often a pass runs (one per stored delivery, and the sweep).
      for (;;) {
        const batch = await store.webhookDeliveries.pending(batchSize);
        if (batch.length === 0 || this.#stopping) break;
        for (const delivery of orderByAlertTime(batch)) {
          if (this.#stopping) break;
          await this.#yield();
          try {
            const outcome = await processDelivery(this.#o, delivery);
            this.#stats[outcome.status]++;
            this.#stats.transitions += outcome.transitions;
            if (outcome.refreshed) this.#stats.refreshed++;
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            const permanent = err instanceof PayloadError;
            this.#stats.failures++;
            this.#stats.lastError = message;
            logger.warn({ delivery: delivery.id, event: delivery.event, attempt: delivery.attempts + 1, err }, "webhook delivery could not be processed");
            const wait = this.#retryDelay(delivery.attempts);
            await store.webhookDeliveries.finish(delivery.id, {
              status: "failed",
              error: message,
              maxAttempts: permanent ? 1 : maxAttempts,
              retryAt: this.#o.clock.now() + wait,
            });
            if (!permanent && delivery.attempts + 1 < maxAttempts) retryAfter.push(wait);
          }
        }
        if (!(await store.leases.renew(PROCESSOR_LEASE, this.#holder, ttl))) break;
      }
      await this.#prune();
    } catch (err) {
      this.#stats.lastError = err instanceof Error ? err.message : String(err);
      logger.error({ err }, "webhook processing stopped on a store error; retrying");
      retryAfter.push(this.#retryDelay(0));
    }
    if (retryAfter.length > 0) this.#scheduleRetry(Math.min(...retryAfter));
  }

  /** SQLite calls block the event loop: let waiting requests in between deliveries, and step back while they last. */
  async #yield(): Promise<void> {
    await nextTurn();
    const until = performance.now() + (this.#o.yieldMs ?? 25);
    while (this.#o.busy?.() && !this.#stopping && performance.now() < until) await sleep(1);
  }

  /** At most hourly, by the lease holder. */
  async #prune(): Promise<void> {
    const now = this.#o.clock.now();
    if (now - this.#prunedAt < 3_600_000) return;
    this.#prunedAt = now;
    const deleted = await this.#o.store.webhookDeliveries.prune(now - (this.#o.retentionMs ?? 7 * 86_400_000));
    if (deleted > 0) this.#o.logger.info({ deleted }, "old webhook deliveries deleted");
  }

  /** 5 s, 10 s, 20 s… (at most 10 min) after the attempt that failed; `attempts` made before it. */
  #retryDelay(attempts: number): number {
    return Math.min((this.#o.retryDelayMs ?? 5_000) * 2 ** attempts, 600_000);
  }

  /** A pass once the earliest failed delivery is due again. */
  #scheduleRetry(delay: number): void {
    if (!this.#started || this.#stopping || this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.drain();
    }, delay);
    this.#retry.unref();
  }
}
