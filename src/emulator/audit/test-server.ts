// Test support for the audit-log endpoint tests: an emulator on a real loopback port with the fixture world, a
// Link-following walker, and a validator of events against ghec.json's `audit-log-event` schema.
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import assert from "node:assert/strict";
import { serve } from "@hono/node-server";
import { Ajv } from "ajv";
import { fromSchema } from "@openapi-contrib/openapi-schema-to-json-schema";
import { createEmulatorApp, type EmulatorParts } from "../server.js";
import type { AuditLogEvent } from "../state/types.js";
import { buildAuditWorld } from "./fixture-world.js";

export const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
export const DAY = 86_400_000;

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface AuditTestServer extends EmulatorParts {
  url: string;
  get(path: string, token?: string | null, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

export async function startAuditTestServer(): Promise<AuditTestServer> {
  const parts = createEmulatorApp({ now: NOW, frozenClock: true, rateLimit: { limits: { audit_log: 1_000_000 } } });
  buildAuditWorld(parts.state);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: parts.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  parts.state.baseUrl = url;
  return {
    ...parts,
    url,
    get: httpGet(url, "ghp_boss"),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** A GET helper for an emulator at `url`: JSON body (null when empty), status and headers. */
export function httpGet(url: string, defaultToken: string): AuditTestServer["get"] {
  return async (path, token = defaultToken, headers = {}) => {
    const res = await fetch(path.startsWith("http") ? path : url + path, {
      headers: { accept: "application/vnd.github+json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : null };
  };
}

/** Parses a Link header into rel -> URL. */
export function parseLink(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(", ")) {
    const m = /^<([^>]*)>; rel="([a-z]+)"$/.exec(part);
    if (m) out[m[2]!] = m[1]!;
  }
  return out;
}

/** Follows `rel` links from `path` until there are none; checks every page's events against the schema. */
export async function walk(
  server: Pick<AuditTestServer, "get">,
  path: string,
  options: { token?: string; rel?: "next" | "prev"; maxPages?: number } = {},
): Promise<{ events: AuditLogEvent[]; pages: number; lastLink: Record<string, string> }> {
  const events: AuditLogEvent[] = [];
  let next: string | undefined = path;
  let pages = 0;
  let lastLink: Record<string, string> = {};
  while (next !== undefined) {
    const reply = await server.get(next, options.token);
    assert.equal(reply.status, 200, `GET ${next}: ${JSON.stringify(reply.body)}`);
    assertAuditEvents(reply.body);
    events.push(...(reply.body as AuditLogEvent[]));
    lastLink = parseLink(reply.headers.get("link"));
    next = lastLink[options.rel ?? "next"];
    if (++pages > (options.maxPages ?? 10_000)) throw new Error("walk did not end");
  }
  return { events, pages, lastLink };
}

const ids = (events: AuditLogEvent[]) => events.map((e) => e._document_id);
export { ids };

let validate: ((data: unknown) => boolean) & { errors?: unknown } | null = null;

/** Asserts that a response body is an array of `audit-log-event`s (ghec.json), allowing array-valued `org`/`org_id`. */
export function assertAuditEvents(body: unknown): void {
  if (!validate) {
    const spec = createRequire(import.meta.url)("@octokit/openapi/generated/ghec.json") as {
      components: { schemas: Record<string, Record<string, unknown>> };
    };
    const schema = fromSchema(spec.components.schemas["audit-log-event"] as Parameters<typeof fromSchema>[0]) as {
      properties: Record<string, unknown>;
    };
    // GitHub sends `org`/`org_id` as arrays on multi-org events, which the spec does not
    // describe (GITHUB-API.md §3.1).
    schema.properties["org"] = { anyOf: [schema.properties["org"], { type: "array", items: { type: "string" } }] };
    schema.properties["org_id"] = { anyOf: [schema.properties["org_id"], { type: "array", items: { type: "integer" } }] };
    const ajv = new Ajv({ strict: false, allErrors: true });
    validate = ajv.compile({ type: "array", items: schema });
  }
  assert.ok(validate(body), `schema: ${JSON.stringify(validate.errors)}`);
}
