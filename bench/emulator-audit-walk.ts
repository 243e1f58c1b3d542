// Benchmark: walks whole org audit logs (per_page=100, following Link headers, plain keep-alive fetch) against
// the emulator started as `ghaudit emulator` in a child process, and prints events/s, requests and ms per page
// (median of the runs).
// Usage: node dist/bench/emulator-audit-walk.js [--events N] [--runs R] [--per-page P] [--in-process] [--json]
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { serve } from "@hono/node-server";
import { createEmulatorApp } from "../src/emulator/server.js";
import { seedWorld } from "../src/emulator/seed/generator.js";
import { RETENTION_MS } from "../src/emulator/audit/view.js";
import { auditViewStats } from "../src/emulator/routes/audit-log.js";

interface Target {
  url: string;
  token: string;
  orgs: string[];
  /** Audit events the world was generated with (all orgs, Git and not-yet-visible ones included). */
  generated: number;
  stop(): void;
  viewStats(): unknown;
}

interface Run {
  events: number;
  requests: number;
  ms: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive whole number`);
  return value;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

/** The CLI compiled beside this file (`dist/src/cli/main.js` for `dist/bench/…`), which `bin/ghaudit.js` runs. */
const CLI_MAIN = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const RUN_CLI =
  'const { main } = await import(process.env.GHAUDIT_MAIN); process.exitCode = await main(["node", "ghaudit", ...process.argv.slice(1)]);';

/** `ghaudit emulator --port 0 --seed 42 --audit-events N --json` in its own process (and core). */
async function startChild(events: number): Promise<Target> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--max-old-space-size=8192", "--input-type=module", "-e", RUN_CLI, "--",
      "emulator", "--port", "0", "--seed", "42", "--audit-events", String(events), "--json"],
    { env: { ...process.env, GHAUDIT_MAIN: CLI_MAIN }, stdio: ["ignore", "pipe", "inherit"] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`ghaudit emulator exited with ${code}`)));
  });
  const info = JSON.parse(line) as { url: string; token: string; orgs: string[] };
  // The audit log's 1,750 requests/hour would stop a long walk: lift it through the control API.
  const lift = await fetch(`${info.url}/_emulator/rate-limit`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: info.token, resource: "audit_log", limit: 1e9, remaining: 1e9 }),
  });
  if (!lift.ok) throw new Error(`lifting the rate limit failed: ${lift.status} ${await lift.text()}`);
  return { ...info, generated: events, stop: () => child.kill("SIGTERM"), viewStats: () => null };
}

/** The same world served from this process (shares the event loop with the client: a lower bound). */
async function startInProcess(events: number): Promise<Target> {
  const now = Date.now();
  const parts = createEmulatorApp({ seed: 42, now, rateLimit: { limits: { audit_log: 1e9 } } });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: parts.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  parts.state.baseUrl = url;
  const world = seedWorld(parts.state, { seed: 42, size: { auditEvents: events }, now });
  return {
    url,
    token: world.adminToken,
    orgs: world.orgs,
    generated: events,
    stop: () => {
      server.close();
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    },
    viewStats: () => auditViewStats(parts.state),
  };
}

/** Walks one org's whole retained log; fails on a repeated event. */
async function walkOrg(target: Target, org: string, perPage: number): Promise<Run> {
  const since = new Date(Date.now() - RETENTION_MS).toISOString().slice(0, 10);
  let next: string | undefined =
    `${target.url}/orgs/${org}/audit-log?per_page=${perPage}&phrase=${encodeURIComponent(`created:>=${since}`)}`;
  const headers = { authorization: `Bearer ${target.token}`, accept: "application/vnd.github+json" };
  const seen = new Set<string>();
  let requests = 0;
  const t0 = performance.now();
  while (next) {
    const res: Response = await fetch(next, { headers, keepalive: true });
    if (res.status !== 200) throw new Error(`GET ${next}: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as { _document_id?: string }[];
    requests++;
    for (const e of page) {
      if (seen.has(e._document_id ?? "")) throw new Error(`${org}: event ${e._document_id} returned twice`);
      seen.add(e._document_id ?? "");
    }
    next = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1];
  }
  return { events: seen.size, requests, ms: performance.now() - t0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const events = arg("events", 100_000);
  const runs = arg("runs", 3);
  const perPage = arg("per-page", 100);
  const inProcess = flag("in-process") || !existsSync(CLI_MAIN);
  const t0 = performance.now();
  const target = inProcess ? await startInProcess(events) : await startChild(events);
  const startMs = performance.now() - t0;
  const results: Run[] = [];
  try {
    for (let i = 1; i <= runs; i++) {
      const run: Run = { events: 0, requests: 0, ms: 0 };
      for (const org of target.orgs) {
        const r = await walkOrg(target, org, perPage);
        run.events += r.events;
        run.requests += r.requests;
        run.ms += r.ms;
      }
      if (results.length && run.events !== results[0]!.events) throw new Error(`run ${i} saw ${run.events} events, run 1 ${results[0]!.events}`);
      results.push(run);
      if (!flag("json")) {
        console.log(`run ${i}: ${run.events} events, ${run.requests} requests, ${(run.ms / 1000).toFixed(2)} s, ` +
          `${Math.round((run.events / run.ms) * 1000)} events/s, ${(run.ms / run.requests).toFixed(2)} ms/page`);
      }
    }
  } finally {
    target.stop();
  }
  const summary = {
    mode: inProcess ? "in-process" : "child-process (ghaudit emulator)",
    generated: target.generated,
    walked: results[0]!.events,
    orgs: target.orgs.length,
    perPage,
    runs,
    requests: results[0]!.requests,
    eventsPerSec: Math.round(median(results.map((r) => (r.events / r.ms) * 1000))),
    msPerPage: Number(median(results.map((r) => r.ms / r.requests)).toFixed(3)),
    walkSeconds: Number((median(results.map((r) => r.ms)) / 1000).toFixed(2)),
    startSeconds: Number((startMs / 1000).toFixed(1)),
    viewStats: target.viewStats(),
  };
  console.log(flag("json") ? JSON.stringify(summary) : `median of ${runs}: ${JSON.stringify(summary)}`);
}

await main();
