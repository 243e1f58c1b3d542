// End-to-end backfill benchmark: the emulator and `ghaudit sync --once` run as separate processes, as in production;
// measures wall time, audit events normalized and stored per second (SQLite), requests per 10k events, and the sync
// process's peak RSS and whether it stays flat (RSS at 25/50/75/100 % of the audit-log walk). Median of the runs.
// Every run is a fresh `ghaudit sync --once` process on a fresh database; the emulator lives across runs, and a first
// run against a fresh emulator is slower (its caches and JIT are cold: ~30% more emulator CPU), so `--warmup` runs
// (default 1) go first and are printed but not counted.
// Usage: node .build/NAME/bench/backfill.js [--events 1000000] [--runs 3] [--warmup 1] [--seed 42] [--bin bin/ghaudit.js]
//   [--sync-node-options "--max-old-space-size=160"]   (without --bin it runs the CLI of the same build as this file)
//   [--postgres postgres://user@host/db]   (stores into PostgreSQL instead, a fresh schema per run, dropped after it;
//   the 50k events/s target is SQLite's, the figures are for comparison)
// The emulator shares the machine: "sync CPU s" is the sync process's own CPU time, and events per sync CPU-second
// is the rate the pipeline would reach with the CPU to itself. "CPU check ms" times a fixed workload right before each
// run: the VM's speed varies by 20-30% over an hour, and wall-time figures with it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { openStore } from "../src/store/index.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    runs: { type: "string", default: "3" },
    warmup: { type: "string", default: "1" },
    seed: { type: "string", default: "42" },
    bin: { type: "string" },
    "sync-node-options": { type: "string" },
    postgres: { type: "string" },
  },
});
if (values.postgres && /[?&]schema=/.test(values.postgres)) throw new Error("--postgres: give a URL without ?schema= (each run gets a fresh schema of its own)");
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);
const MB = 1024;

/** Targets of the product issue. */
const TARGET = { eventsPerSecond: 50_000, requestsPer10k: 101, rssMb: 250 };

const CLI_MAIN = new URL("../src/cli/main.js", import.meta.url).href;
const BOOT = `import(${JSON.stringify(CLI_MAIN)}).then((m) => m.main(["node", "ghaudit", ...process.argv.slice(1)])).then((c) => { process.exitCode = c; });`;

function ghaudit(args: string[], env: Record<string, string> = {}): ChildProcess {
  const argv = values.bin ? [values.bin, ...args] : ["--input-type=module", "-e", BOOT, "--", ...args];
  return spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
}

interface Connection {
  url: string;
  token: string;
  orgs: string[];
}

async function startEmulator(): Promise<{ child: ChildProcess; conn: Connection; seconds: number }> {
  const started = performance.now();
  const child = ghaudit(["emulator", "--port", "0", "--seed", values.seed!, "--audit-events", String(EVENTS), "--json"]);
  child.stderr!.pipe(process.stderr);
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the emulator exited (${code}) before printing its address`)));
  });
  return { child, conn: JSON.parse(line) as Connection, seconds: (performance.now() - started) / 1000 };
}

async function control<T>(conn: Connection, path: string, method = "GET", body?: unknown): Promise<T> {
  const res = await fetch(`${conn.url}/_emulator/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} /_emulator/${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Requests {
  total: number;
  charged: number;
  byRoute: Record<string, { count: number }>;
}

const auditRequests = (r: Requests): number =>
  Object.entries(r.byRoute).reduce((n, [route, v]) => n + (route.includes("audit-log") ? v.count : 0), 0);

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`, 100 on Linux). */
const CLK_TCK = 100;

/** VmRSS and VmHWM (kB) and CPU seconds (user + system) of a live process; null once it is gone. */
function sampleOf(pid: number): { rss: number; hwm: number; cpu: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cpu = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    return { rss: kb("VmRSS"), hwm: kb("VmHWM"), cpu };
  } catch {
    return null;
  }
}

/**
 * A fixed single-threaded workload (parsing and serializing 2 MB of JSON, 30 times): its time, right before a run,
 * says how fast the shared VM is at that moment, so figures taken at different times can be compared.
 */
const CHECK_TEXT = JSON.stringify(Array.from({ length: 4000 }, (_, i) => ({ "@timestamp": 1_700_000_000_000 + i, action: `repo.create`, actor: `user${i % 97}`, org: "wonka", repo: `wonka/r${i % 13}`, user_agent: "x".repeat(400) })));
function cpuCheckMs(): number {
  const started = performance.now();
  let n = 0;
  for (let i = 0; i < 30; i++) n += JSON.stringify(JSON.parse(CHECK_TEXT)).length;
  if (n === 0) throw new Error("unreachable");
  return performance.now() - started;
}

cpuCheckMs(); // warms the JIT up

interface Sample {
  rss: number;
  auditRequests: number;
}

interface RunResult {
  /** cpuCheckMs() right before the run. */
  checkMs: number;
  seconds: number;
  stored: number;
  eventsPerSecond: number;
  /** CPU seconds the sync process used (last sample before it exited). */
  cpuSeconds: number;
  eventsPerCpuSecond: number;
  /** CPU seconds the emulator process used during the run (it serves every page). */
  emulatorCpuSeconds: number;
  requests: number;
  auditRequests: number;
  requestsPer10k: number;
  auditRequestsPer10k: number;
  peakMb: number;
  /** RSS (MB) at 25, 50, 75 and 100 % of the audit-log requests. */
  quartilesMb: number[];
  flat: boolean;
}

async function run(conn: Connection, emulatorPid: number, index: number, label = "run"): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-bench-"));
  const schema = `ghaudit_bench_${process.pid}_${label.replace(/\W/g, "")}_${index}`;
  const postgresUrl = values.postgres ? `${values.postgres}${values.postgres.includes("?") ? "&" : "?"}schema=${schema}` : null;
  try {
    const config = join(dir, "ghaudit.yaml");
    const db = postgresUrl ?? join(dir, "ghaudit.db");
    const orgs = conn.orgs.map((o) => `  - name: ${o}\n    streams:\n      audit_log: { lookback: all, include: web }`).join("\n");
    writeFileSync(config, `orgs:\n${orgs}\n`);
    await control(conn, "requests", "DELETE");
    const checkMs = cpuCheckMs();

    const emulatorCpu = sampleOf(emulatorPid)?.cpu ?? 0;
    const started = performance.now();
    const env: Record<string, string> = { GITHUB_API_URL: conn.url, GITHUB_TOKEN: conn.token, GHAUDIT_LOG_LEVEL: "warn" };
    if (values["sync-node-options"]) env["NODE_OPTIONS"] = values["sync-node-options"];
    const child = ghaudit(["sync", "--once", "--config", config, "--db", db], env);
    let output = "";
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const samples: Sample[] = [];
    let hwm = 0;
    let cpu = 0;
    let sampling = false;
    const timer = setInterval(() => {
      if (sampling) return;
      sampling = true;
      const mem = sampleOf(child.pid!);
      control<Requests>(conn, "requests")
        .then((r) => {
          // A process that exited but is not yet reaped has no VmRSS any more.
          if (mem && mem.rss > 0) {
            hwm = Math.max(hwm, mem.hwm, mem.rss);
            cpu = Math.max(cpu, mem.cpu);
            samples.push({ rss: mem.rss, auditRequests: auditRequests(r) });
          }
        })
        .catch(() => undefined)
        .finally(() => (sampling = false));
    }, 100);
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    clearInterval(timer);
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`sync exited ${code}:\n${output}`);

    const emulatorCpuSeconds = (sampleOf(emulatorPid)?.cpu ?? emulatorCpu) - emulatorCpu;
    const requests = await control<Requests>(conn, "requests");
    const store = await openStore(db);
    const stored = await store.auditEvents.count();
    await store.close();
    const audit = auditRequests(requests);
    const quartilesMb = [0.25, 0.5, 0.75, 1].map((q) => {
      const at = samples.find((s) => s.auditRequests >= q * audit && q < 1) ?? samples[samples.length - 1];
      return (at?.rss ?? 0) / MB;
    });
    const [q25 = 0] = quartilesMb;
    const growth = Math.max(...quartilesMb.slice(1)) - q25;
    const result: RunResult = {
      checkMs,
      seconds,
      stored,
      eventsPerSecond: stored / seconds,
      cpuSeconds: cpu,
      eventsPerCpuSecond: cpu > 0 ? stored / cpu : 0,
      emulatorCpuSeconds,
      requests: requests.total,
      auditRequests: audit,
      requestsPer10k: (requests.total / stored) * 10_000,
      auditRequestsPer10k: (audit / stored) * 10_000,
      peakMb: hwm / MB,
      quartilesMb,
      flat: growth <= Math.max(25, 0.15 * q25),
    };
    console.log(row(`${label} ${index + 1}`, result));
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (postgresUrl) {
      // A failure to drop is reported, and does not hide the run's own error.
      const store = await openStore(postgresUrl, { migrate: false }).catch((err: unknown) => {
        console.error(`could not drop schema ${schema}: ${String(err)}`);
        return null;
      });
      if (store) {
        await sql.raw(`drop schema if exists "${schema}" cascade`).execute(store.db).catch((err: unknown) => console.error(`could not drop schema ${schema}: ${String(err)}`));
        await store.close();
      }
    }
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

const HEADER =
  "            wall s   stored events   events/s   sync CPU s   events/CPU-s   emulator CPU s   requests   req/10k   audit req/10k   peak RSS MB   RSS MB at 25/50/75/100 %   flat   CPU check ms";

function row(label: string, r: RunResult): string {
  return [
    label.padEnd(10),
    fmt(r.seconds, 1).padStart(8),
    fmt(r.stored).padStart(15),
    fmt(r.eventsPerSecond).padStart(10),
    fmt(r.cpuSeconds, 1).padStart(12),
    fmt(r.eventsPerCpuSecond).padStart(14),
    fmt(r.emulatorCpuSeconds, 1).padStart(16),
    fmt(r.requests).padStart(10),
    fmt(r.requestsPer10k, 1).padStart(9),
    fmt(r.auditRequestsPer10k, 1).padStart(15),
    fmt(r.peakMb).padStart(13),
    r.quartilesMb.map((m) => fmt(m)).join(" / ").padStart(26),
    (r.flat ? "yes" : "no").padStart(6),
    fmt(r.checkMs).padStart(14),
  ].join(" ");
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const emulator = await startEmulator();
  try {
    const { conn } = emulator;
    for (const resource of ["audit_log", "core"]) await control(conn, "rate-limit", "POST", { token: conn.token, resource, limit: 1_000_000 });
    const truth = await control<{ auditEvents: number }>(conn, "truth");
    console.log(
      `backfill bench: ${fmt(EVENTS)} audit events generated (${fmt(truth.auditEvents)} in the emulator, seeded in ${fmt(emulator.seconds, 1)} s), ` +
        `orgs ${conn.orgs.join(", ")}, ${values.postgres ? "PostgreSQL" : "SQLite"}, median of ${RUNS} runs after ${WARMUP} warm-up${values["sync-node-options"] ? `, sync NODE_OPTIONS=${values["sync-node-options"]}` : ""}; ` +
        `node ${process.version}, ${cpus().length} CPUs, ` +
        `load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`,
    );
    console.log(HEADER);
    const results: RunResult[] = [];
    for (let i = 0; i < WARMUP; i++) await run(conn, emulator.child.pid!, i, "warm-up");
    for (let i = 0; i < RUNS; i++) results.push(await run(conn, emulator.child.pid!, i));
    const m = (f: (r: RunResult) => number) => median(results.map(f));
    const med: RunResult = {
      checkMs: m((r) => r.checkMs),
      seconds: m((r) => r.seconds),
      stored: m((r) => r.stored),
      eventsPerSecond: m((r) => r.eventsPerSecond),
      cpuSeconds: m((r) => r.cpuSeconds),
      eventsPerCpuSecond: m((r) => r.eventsPerCpuSecond),
      emulatorCpuSeconds: m((r) => r.emulatorCpuSeconds),
      requests: m((r) => r.requests),
      auditRequests: m((r) => r.auditRequests),
      requestsPer10k: m((r) => r.requestsPer10k),
      auditRequestsPer10k: m((r) => r.auditRequestsPer10k),
      peakMb: m((r) => r.peakMb),
      quartilesMb: [0, 1, 2, 3].map((i) => m((r) => r.quartilesMb[i] ?? 0)),
      flat: results.every((r) => r.flat),
    };
    console.log(row("median", med));
    const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
    console.log(
      `targets: >= ${fmt(TARGET.eventsPerSecond)} events/s ${verdict(med.eventsPerSecond >= TARGET.eventsPerSecond)}; ` +
        `<= ${TARGET.requestsPer10k} requests per 10k events ${verdict(med.requestsPer10k <= TARGET.requestsPer10k)} ` +
        `(audit log alone: ${fmt(med.auditRequestsPer10k, 1)}; GitHub's floor is 100 at 100 per page); ` +
        `RSS < ${TARGET.rssMb} MB ${verdict(med.peakMb < TARGET.rssMb)} and flat ${verdict(med.flat)}`,
    );
  } finally {
    emulator.child.kill("SIGTERM");
  }
}

await main();
