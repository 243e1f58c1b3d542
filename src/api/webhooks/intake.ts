// Webhook intake behind the HTTP route: signature check against every configured secret, durable storage of each
// delivery before GitHub gets its 2xx (group commit: deliveries that arrive during one commit share the next), and
// counters of what came in.
import { sql } from "kysely";
import { verifyWithFallback } from "@octokit/webhooks-methods";
import type { Logger } from "../../core/logger.js";
import type { Secret } from "../../core/secret.js";
import type { Store, WebhookDeliveryInput } from "../../store/index.js";

export interface IntakeCounters {
  /** Deliveries stored for processing. */
  stored: number;
  /** Redeliveries of a stored delivery (same `X-GitHub-Delivery`): answered 2xx, stored once. */
  duplicates: number;
  pings: number;
  /** Other events: answered 2xx, not stored. */
  ignored: Record<string, number>;
  /** Refused requests by error code. */
  rejected: Record<string, number>;
}

export interface WebhookIntakeOptions {
  store: Store;
  logger: Logger;
  /** Every secret accepted (several during a rotation); none means deliveries are not authenticated. */
  secrets: readonly Secret[];
  /** Told after each newly stored delivery (the processor). */
  onStored?: () => void;
}

interface Waiting {
  input: WebhookDeliveryInput;
  resolve(result: { inserted: boolean }): void;
  reject(err: unknown): void;
}

/** Deliveries written in one commit at most. */
const MAX_GROUP = 256;

export class WebhookIntake {
  readonly #o: WebhookIntakeOptions;
  readonly #queue: Waiting[] = [];
  #flushing = false;
  readonly counters: IntakeCounters = { stored: 0, duplicates: 0, pings: 0, ignored: {}, rejected: {} };
  /** Requests being answered right now (processing steps back while GitHub waits for answers). */
  active = 0;

  constructor(options: WebhookIntakeOptions) {
    this.#o = options;
  }

  get verifies(): boolean {
    return this.#o.secrets.length > 0;
  }

  /** Constant-time check of `sha256=<hex>` over the exact body against each secret. */
  async verify(body: string, signature: string): Promise<boolean> {
    const [first, ...rest] = this.#o.secrets.map((s) => s.reveal());
    if (first === undefined || body === "" || !/^sha256=[0-9a-f]{64}$/i.test(signature)) return false;
    return verifyWithFallback(first, body, signature.toLowerCase(), rest);
  }

  reject(code: string): void {
    this.#o.logger.debug({ code }, "webhook request refused");
    this.counters.rejected[code] = (this.counters.rejected[code] ?? 0) + 1;
  }

  ignore(event: string): void {
    this.counters.ignored[event] = (this.counters.ignored[event] ?? 0) + 1;
  }

  /** Resolves once the delivery is durably stored (`inserted: false`: a redelivery, already stored). */
  async store(input: WebhookDeliveryInput): Promise<{ inserted: boolean }> {
    const result = await new Promise<{ inserted: boolean }>((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      if (!this.#flushing) {
        // Commit after this turn of the event loop: requests read in the same turn join the same commit.
        this.#flushing = true;
        setImmediate(() => void this.#flush());
      }
    });
    if (result.inserted) {
      this.counters.stored++;
      this.#o.onStored?.();
    } else {
      this.counters.duplicates++;
    }
    return result;
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#queue.length > 0) {
        const group = this.#queue.splice(0, MAX_GROUP);
        try {
          const results = await this.#commit(group.map((w) => w.input));
          group.forEach((w, i) => w.resolve(results[i] ?? { inserted: false }));
        } catch (err) {
          for (const w of group) w.reject(err);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  /**
   * One delivery goes through the store's own durable write. Several share one transaction: on SQLite with
   * `synchronous = FULL` for its commit (as `record` does for one), so one disk sync covers them all; PostgreSQL
   * commits are durable anyway.
   */
  async #commit(inputs: WebhookDeliveryInput[]): Promise<{ inserted: boolean }[]> {
    const { store } = this.#o;
    const first = inputs[0];
    if (inputs.length === 1 && first) return [await store.webhookDeliveries.record(first)];
    const all = () =>
      store.transaction(async (tx) => {
        const out: { inserted: boolean }[] = [];
        for (const input of inputs) out.push(await tx.webhookDeliveries.record(input));
        return out;
      });
    if (store.dialect !== "sqlite") return all();
    await sql`pragma synchronous = FULL`.execute(store.db);
    try {
      return await all();
    } finally {
      await sql`pragma synchronous = NORMAL`.execute(store.db);
    }
  }
}
