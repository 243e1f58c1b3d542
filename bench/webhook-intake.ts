// Webhook intake on loopback: a real `startServer` on SQLite (signature check, durable storage before the 2xx, the
// processor running alongside) and a load generator in a worker thread sending N signed deliveries (GitHub's example
// payloads, one alert each) with bounded concurrency. Prints deliveries/s and p50/p95/p99 latency, checks that every
// delivery id is stored exactly once, and reports how long processing took. Median of R fresh runs.
// Usage: node .build/NAME/bench/webhook-intake.js [--deliveries 20000] [--concurrency 32] [--runs 3]
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { sign } from "@octokit/webhooks-methods";
import { startServer } from "../src/api/server.js";
import { systemClock } from "../src/core/clock.js";
import { silentLogger } from "../src/core/logger.js";
import { Secret } from "../src/core/secret.js";
import { loadConfig } from "../src/config/index.js";
import { openStore } from "../src/store/index.js";

const SECRET = "bench-webhook-secret";

interface Job {
  url: string;
  count: number;
  concurrency: number;
  runId: string;
}

interface Result {
  seconds: number;
  latencies: number[];
  statuses: Record<string, number>;
  ids: string[];
}

type Payload = Record<string, unknown>;

/** Worker side: builds and signs every delivery first, then sends them with `concurrency` in flight. */
async function generate(job: Job): Promise<Result> {
  const require = createRequire(import.meta.url);
  const examples = (require("@octokit/webhooks-examples") as { name: string; examples: Payload[] }[]).find((g) => g.name === "dependabot_alert")!.examples;
  const deliveries: { id: string; body: string; signature: string }[] = [];
  for (let i = 0; i < job.count; i++) {
    const payload = structuredClone(examples[i % examples.length]!);
    const repo = payload["repository"] as Payload;
    repo["full_name"] = `bench-org/repo-${i % 200}`;
    (payload["alert"] as Payload)["number"] = Math.floor(i / 200) + 1;
    const body = JSON.stringify(payload);
    deliveries.push({ id: `${job.runId}-${i}`, body, signature: await sign(SECRET, body) });
  }
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const target = new URL(`${job.url}/webhooks/github`);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const send = (d: (typeof deliveries)[number]): Promise<number> =>
    new Promise((resolve) => {
      const req = request(
        target,
        {
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(d.body),
            "user-agent": "GitHub-Hookshot/bench",
            "x-github-event": "dependabot_alert",
            "x-github-delivery": d.id,
            "x-github-hook-id": "1",
            "x-hub-signature-256": d.signature,
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", () => resolve(0));
      req.end(d.body);
    });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < deliveries.length) {
        const d = deliveries[next++]!;
        const t = performance.now();
        const status = await send(d);
        latencies.push(performance.now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { seconds, latencies, statuses, ids: deliveries.map((d) => d.id) };
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

interface RunFigures {
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  lost: number;
  duplicates: number;
  processedPerSecond: number;
}

async function run(count: number, concurrency: number, index: number, alongside: boolean): Promise<RunFigures> {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-webhook-bench-"));
  const config = loadConfig({ flags: { org: ["bench-org"], db: join(dir, "bench.db") }, env: { GITHUB_TOKEN: "ghp_benchbenchbenchbenchbench000000", GITHUB_API_URL: "http://127.0.0.1:9" } });
  const store = await openStore(join(dir, "bench.db"));
  const server = await startServer({ config: { ...config, webhooks: { secrets: [new Secret(SECRET)] } }, store, logger: silentLogger(), clock: systemClock, port: 0, poll: false, processWebhooks: alongside });
  try {
    const job: Job = { url: server.url, count, concurrency, runId: `run${index}-${Date.now()}` };
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    const result = await new Promise<Result>((resolve, reject) => {
      worker.once("message", (r: Result) => resolve(r));
      worker.once("error", reject);
    });
    await worker.terminate();
    // Every id stored exactly once (the primary key forbids twice; count what is there).
    const rows = await store.db.selectFrom("webhook_deliveries").select("id").execute();
    const stored = new Set(rows.map((r) => r.id));
    const lost = result.ids.filter((id) => !stored.has(id)).length;
    const accepted = result.statuses["202"] ?? 0;
    const processStart = performance.now();
    await server.webhooks.processor.drain();
    const processed = (await store.webhookDeliveries.counts()).processed;
    const processingSeconds = (performance.now() - processStart) / 1000;
    const sorted = [...result.latencies].sort((a, b) => a - b);
    if (accepted !== count) console.log(`  run ${index + 1}: statuses ${JSON.stringify(result.statuses)}`);
    return {
      rate: count / result.seconds,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      lost,
      duplicates: rows.length - stored.size,
      // Processing ran alongside the intake; this is the whole backlog's rate, intake time included.
      processedPerSecond: processed / (result.seconds + processingSeconds),
    };
  } finally {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!isMainThread) {
  parentPort!.postMessage(await generate(workerData as Job));
} else {
  const { values } = parseArgs({
    options: {
      deliveries: { type: "string", default: "20000" },
      concurrency: { type: "string", default: "32" },
      runs: { type: "string", default: "3" },
      // Process only after the intake (default: alongside it, as `ghaudit serve` does).
      "process-after": { type: "boolean", default: false },
    },
  });
  const count = Number(values.deliveries);
  const concurrency = Number(values.concurrency);
  const runs = Number(values.runs);
  console.log(
    `webhook intake bench: ${count} signed dependabot_alert deliveries, ${concurrency} in flight, SQLite, median of ${runs} runs, ` +
      `node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`,
  );
  const figures: RunFigures[] = [];
  for (let i = 0; i < runs; i++) {
    const f = await run(count, concurrency, i, !values["process-after"]);
    figures.push(f);
    console.log(
      `  run ${i + 1}: ${f.rate.toFixed(0)} deliveries/s, p50 ${f.p50.toFixed(2)} ms, p95 ${f.p95.toFixed(2)} ms, p99 ${f.p99.toFixed(2)} ms, ` +
        `lost ${f.lost}, stored twice ${f.duplicates}, processed ${f.processedPerSecond.toFixed(0)}/s`,
    );
  }
  const m = (k: keyof RunFigures) => median(figures.map((f) => f[k]));
  console.log(
    `median: ${m("rate").toFixed(0)} deliveries/s, p50 ${m("p50").toFixed(2)} ms, p95 ${m("p95").toFixed(2)} ms, p99 ${m("p99").toFixed(2)} ms, ` +
      `lost ${Math.max(...figures.map((f) => f.lost))}, processing ${m("processedPerSecond").toFixed(0)} deliveries/s ` +
      `(target >= 3000 deliveries/s, p99 < 50 ms, 0 lost)`,
  );
}
