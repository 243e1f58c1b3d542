// Signed webhook deliveries to the configured hooks, with GitHub's headers, a delivery log and manual redelivery.
import { createHmac, randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { sign } from "@octokit/webhooks-methods";
import { isoSeconds } from "../../core/clock.js";
import type { EmulatorState } from "../state/state.js";
import type { EmuOrg, WebhookTarget } from "../state/types.js";
import { pingPayload, type JsonObject } from "./payloads.js";

export interface WebhookTargetOptions {
  url: string;
  secret?: string | null;
  contentType?: "json" | "form";
  events?: string[] | "*";
}

export interface WebhookSenderOptions {
  /** GitHub gives a receiver 10 s to answer (GHES: 30 s). */
  timeoutMs?: number;
  /** How many delivery records (and event bodies) to keep. */
  maxLog?: number;
  /** POSTs in flight at once; the rest wait in order (1 = strictly in event order). */
  concurrency?: number;
}

/** One attempt to deliver one event to one hook: GitHub's `hook-delivery-item` plus the URL and any error. */
export interface DeliveryRecord {
  id: number;
  /** Shared by all deliveries of one event, and kept on redelivery. */
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  /** Seconds. */
  duration: number;
  status: string;
  /** 0 when no HTTP answer came (connection refused, timeout). */
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
  hook_id: number;
  url: string;
  error?: string;
}

interface StoredEvent {
  event: string;
  json: string;
  action: string | null;
  installationId: number | null;
  repositoryId: number | null;
  target: { type: string; id: number };
}

/** `GitHub-Hookshot/<short sha>`, as GitHub's deliveries identify themselves. */
export const HOOKSHOT_USER_AGENT = "GitHub-Hookshot/6f5e2a1";

/** `X-Hub-Signature-256` (HMAC-SHA256) and the legacy `X-Hub-Signature` (HMAC-SHA1) over the exact body sent. */
export async function signatureHeaders(secret: string, body: string): Promise<Record<string, string>> {
  return {
    "X-Hub-Signature": `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`,
    "X-Hub-Signature-256": await sign(secret, body),
  };
}

export class WebhookSender {
  readonly #state: EmulatorState;
  readonly #timeoutMs: number;
  readonly #maxLog: number;
  readonly #log: DeliveryRecord[] = [];
  readonly #events = new Map<string, StoredEvent>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #concurrency: number;
  readonly #waiting: (() => void)[] = [];
  #active = 0;
  #nextDeliveryId = 1;

  constructor(state: EmulatorState, targets: WebhookTargetOptions[], options: WebhookSenderOptions = {}) {
    this.#state = state;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxLog = options.maxLog ?? 1000;
    this.#concurrency = Math.max(1, options.concurrency ?? 8);
    for (const t of targets) this.addTarget(t);
  }

  /** Registers a hook in the state (where the control API adds them too) and returns it. */
  addTarget(options: WebhookTargetOptions): WebhookTarget {
    return this.#state.addWebhook({
      url: options.url,
      secret: options.secret ?? null,
      contentType: options.contentType ?? "json",
      events: options.events ?? "*",
    });
  }

  targets(): readonly WebhookTarget[] {
    return this.#state.webhooks;
  }

  /** Delivery attempts, oldest first (bounded). */
  deliveries(): readonly DeliveryRecord[] {
    return this.#log;
  }

  /** Sends `event` to every subscribed hook under one new GUID; never rejects. */
  deliver(event: string, payload: JsonObject): Promise<DeliveryRecord[]> {
    const hooks = this.#state.webhooks.filter((h) => h.events === "*" || h.events.includes(event));
    if (hooks.length === 0) return Promise.resolve([]);
    const guid = randomUUID();
    const stored = this.#store(guid, event, payload);
    return this.#track(Promise.all(hooks.map((h) => this.#post(h, guid, stored, false))));
  }

  /** Resends an event with the same body and the same `X-GitHub-Delivery`, to the hooks it went to (or one of them). */
  redeliver(guid: string, hookId?: number): Promise<DeliveryRecord[]> {
    const stored = this.#events.get(guid);
    if (!stored) return Promise.reject(new Error(`webhook delivery ${guid} is not in the delivery log`));
    const hookIds = new Set(this.#log.filter((d) => d.guid === guid).map((d) => d.hook_id));
    const hooks = this.#state.webhooks.filter((h) => (hookId === undefined ? hookIds.has(h.hookId) : h.hookId === hookId));
    return this.#track(Promise.all(hooks.map((h) => this.#post(h, guid, stored, true))));
  }

  /** Sends GitHub's `ping` to one hook, whatever events it subscribes to. */
  ping(hook: WebhookTarget, org?: EmuOrg): Promise<DeliveryRecord> {
    const guid = randomUUID();
    const stored = this.#store(guid, "ping", pingPayload(this.#state, hook, org));
    return this.#track(this.#post(hook, guid, stored, false));
  }

  /** Resolves once no delivery is in flight. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#inFlight.add(p);
    const done = () => this.#inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  #store(guid: string, event: string, payload: JsonObject): StoredEvent {
    const repo = payload.repository as { id?: number } | undefined;
    const org = payload.organization as { id?: number } | undefined;
    const installation = payload.installation as { id?: number } | undefined;
    const stored: StoredEvent = {
      event,
      json: JSON.stringify(payload),
      action: typeof payload.action === "string" ? payload.action : null,
      installationId: installation?.id ?? null,
      repositoryId: repo?.id ?? null,
      target: org?.id !== undefined ? { type: "organization", id: org.id } : { type: "repository", id: repo?.id ?? 0 },
    };
    this.#events.set(guid, stored);
    while (this.#events.size > this.#maxLog) this.#events.delete(this.#events.keys().next().value as string);
    return stored;
  }

  async #post(hook: WebhookTarget, guid: string, stored: StoredEvent, redelivery: boolean): Promise<DeliveryRecord> {
    const body =
      hook.contentType === "form" ? new URLSearchParams({ payload: stored.json }).toString() : stored.json;
    const headers: Record<string, string> = {
      Accept: "*/*",
      "Content-Type": hook.contentType === "form" ? "application/x-www-form-urlencoded" : "application/json",
      "Content-Length": String(Buffer.byteLength(body)),
      "User-Agent": HOOKSHOT_USER_AGENT,
      "X-GitHub-Event": stored.event,
      "X-GitHub-Delivery": guid,
      "X-GitHub-Hook-ID": String(hook.hookId),
      "X-GitHub-Hook-Installation-Target-Type": stored.target.type,
      "X-GitHub-Hook-Installation-Target-ID": String(stored.target.id),
    };
    if (hook.secret) Object.assign(headers, await signatureHeaders(hook.secret, body));
    await this.#acquire();
    const record: DeliveryRecord = {
      id: this.#nextDeliveryId++,
      guid,
      delivered_at: isoSeconds(this.#state.now()),
      redelivery,
      duration: 0,
      status: "",
      status_code: 0,
      event: stored.event,
      action: stored.action,
      installation_id: stored.installationId,
      repository_id: stored.repositoryId,
      hook_id: hook.hookId,
      url: hook.url,
    };
    const started = performance.now();
    try {
      record.status_code = await this.#send(hook.url, headers, body);
      record.status = record.status_code >= 200 && record.status_code < 300 ? "OK" : `Invalid HTTP Response: ${record.status_code}`;
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
      record.status = record.error;
    }
    this.#release();
    record.duration = Math.round(performance.now() - started) / 1000;
    this.#log.push(record);
    if (this.#log.length > this.#maxLog) this.#log.splice(0, this.#log.length - this.#maxLog);
    return record;
  }

  async #acquire(): Promise<void> {
    if (this.#active < this.#concurrency) {
      this.#active++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Hands the slot to the next waiting delivery, if any. */
  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#active--;
  }

  /** One POST, no retries (GitHub does not retry); resolves with the status code. */
  #send(url: string, headers: Record<string, string>, body: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const request = target.protocol === "https:" ? httpsRequest : httpRequest;
      // A total deadline, not an idle timeout: a receiver that trickles its answer still fails at 10 s.
      const timer = setTimeout(() => req.destroy(new Error(`timed out after ${this.#timeoutMs / 1000} seconds`)), this.#timeoutMs);
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        fn();
      };
      const req = request(target, { method: "POST", headers, agent: false }, (res) => {
        res.resume();
        res.on("end", () => finish(() => resolve(res.statusCode ?? 0)));
        res.on("error", (err) => finish(() => reject(err)));
      });
      req.on("error", (err) => finish(() => reject(err)));
      req.end(body);
    });
  }
}

/** Sends a `ping` to a hook (GitHub does so when a hook is created). */
export function sendPing(sender: WebhookSender, hook: WebhookTarget, org?: EmuOrg): Promise<DeliveryRecord> {
  return sender.ping(hook, org);
}
