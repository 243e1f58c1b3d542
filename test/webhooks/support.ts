// Webhook test fixtures: GitHub's example payloads, signed POSTs with the real algorithm, a ghaudit server on a test
// store, and row counts to prove that a refused request wrote nothing.
import { createRequire } from "node:module";
import { request } from "node:http";
import { sign } from "@octokit/webhooks-methods";
import { systemClock, type Clock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { Secret } from "../../src/core/secret.js";
import { loadConfig, type Config } from "../../src/config/index.js";
import { startServer, type RunningServer } from "../../src/api/server.js";
import type { Store } from "../../src/store/index.js";

export const WEBHOOK_PATH = "/webhooks/github";

export type Payload = Record<string, unknown>;
interface ExampleGroup {
  name: string;
  examples: Payload[];
}

const require = createRequire(import.meta.url);
const DOTCOM = require("@octokit/webhooks-examples") as ExampleGroup[];
const GHES35 = require("@octokit/webhooks-examples/ghes-35/index.json") as ExampleGroup[];

/** GitHub's example payloads of an event (dotcom list, else GHES 3.5, which has the secret scanning ones). */
export function examples(event: string): Payload[] {
  const group = DOTCOM.find((g) => g.name === event) ?? GHES35.find((g) => g.name === event);
  if (!group) throw new Error(`no example payloads for ${event}`);
  return group.examples.map((e) => structuredClone(e));
}

/** A config for `orgs` (default `acme`) with GitHub at `apiUrl` and these webhook secrets. */
export function webhookConfig(apiUrl: string, secrets: string[], o: { token?: string; orgs?: readonly string[] } = {}): Config {
  const env = { GITHUB_API_URL: apiUrl, GITHUB_TOKEN: o.token ?? "ghp_webhooktestwebhooktest0000000000" };
  const config = loadConfig({ flags: { org: [...(o.orgs ?? ["acme"])], db: ":memory:", interval: "10s" }, env });
  return { ...config, webhooks: { secrets: secrets.map((s) => new Secret(s)) } };
}

export async function serve(store: Store, config: Config, options: { process?: boolean; clock?: Clock } = {}): Promise<RunningServer> {
  return startServer({ config, store, logger: silentLogger(), clock: options.clock ?? systemClock, port: 0, poll: false, processWebhooks: options.process ?? false });
}

export interface Delivery {
  event: string;
  id: string;
  body: string;
  contentType?: string;
  /** Secret to sign with; null sends no signature. */
  secret: string | null;
  headers?: Record<string, string | undefined>;
  method?: string;
  /** Sign these bytes instead of the body (a tampered body). */
  signed?: string;
}

export async function post(url: string, d: Delivery): Promise<{ status: number; body: Payload; headers: Headers }> {
  const headers: Record<string, string> = {
    "content-type": d.contentType ?? "application/json",
    "user-agent": "GitHub-Hookshot/test",
    "x-github-event": d.event,
    "x-github-delivery": d.id,
    "x-github-hook-id": "1",
  };
  if (d.secret !== null) headers["x-hub-signature-256"] = await sign(d.secret, d.signed ?? d.body);
  for (const [k, v] of Object.entries(d.headers ?? {})) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  const method = d.method ?? "POST";
  const res = await fetch(`${url}${WEBHOOK_PATH}`, { method, headers, ...(method === "GET" || method === "HEAD" ? {} : { body: d.body }) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Payload) : {}, headers: res.headers };
}

/** A chunked POST (no Content-Length), so the size limit must be found while reading. */
export function postChunked(url: string, headers: Record<string, string>, chunk: Buffer, times: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${WEBHOOK_PATH}`, { method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    let sent = 0;
    const write = () => {
      while (sent < times) {
        sent++;
        if (!req.write(chunk)) {
          req.once("drain", write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

/** Rows in the tables a delivery could touch. */
export async function rowCounts(store: Store): Promise<{ deliveries: number; alerts: number; events: number }> {
  const count = async (table: "webhook_deliveries" | "alerts" | "alert_events") => {
    const row = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return { deliveries: await count("webhook_deliveries"), alerts: await count("alerts"), events: await count("alert_events") };
}
