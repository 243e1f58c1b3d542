// The JSON API and the scheduler over a store filled from the emulator: endpoints, errors, leases.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../src/api/server.js";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { loadConfig, type Config } from "../../src/config/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { Scheduler } from "../../src/pipeline/scheduler.js";
import { openStore, type Store } from "../../src/store/index.js";

let emu: Emulator;
let store: Store;
let server: RunningServer;
let config: Config;
let dir: string;

before(async () => {
  emu = await startEmulator({ seed: 3, size: "tiny" });
  dir = mkdtempSync(join(tmpdir(), "ghaudit-api-"));
  const file = join(dir, "config.yml");
  writeFileSync(file, ["orgs:", ...emu.world!.orgs.map((o) => `  - { name: ${o}, streams: { audit_log: { lookback: all } } }`)].join("\n"));
  config = loadConfig({
    flags: { config: file, db: join(dir, "db.sqlite"), interval: "10s" },
    env: { GITHUB_API_URL: emu.url, GITHUB_TOKEN: emu.token },
  });
  store = await openStore(join(dir, "db.sqlite"));
  server = await startServer({ config, store, logger: silentLogger(), clock: systemClock, port: 0, poll: false });
  await server.scheduler.runDue();
});

after(async () => {
  await server.close();
  await store.close();
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string) => {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("API", () => {
  it("reports health with each stream's last run", async () => {
    const { status, body } = await get("/api/health");
    assert.equal(status, 200);
    const streams = body["streams"] as { stream: string; ok: boolean | null; last_run_at: string | null }[];
    assert.deepEqual(new Set(streams.map((s) => s.stream)), new Set(["repositories", "org-audit-log", "code-scanning", "dependabot", "secret-scanning"]));
    assert.ok(streams.every((s) => s.ok === true && s.last_run_at !== null), JSON.stringify(streams));
  });

  it("lists alerts with filters and keyset pages that cover every alert once", async () => {
    const total = (await store.alerts.list({}, { limit: 1000 })).items.length;
    assert.ok(total > 0);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const { body } = await get(`/api/alerts?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      for (const a of body["items"] as { id: string }[]) {
        assert.ok(!seen.has(a.id));
        seen.add(a.id);
      }
      cursor = body["next_cursor"] as string | null;
    } while (cursor);
    assert.equal(seen.size, total);
    const { body } = await get("/api/alerts?kind=dependabot&limit=1000");
    assert.ok((body["items"] as { kind: string }[]).every((a) => a.kind === "dependabot"));
    // Severity filters match whatever the case: GitHub writes `high`, people type HIGH.
    const lower = (await get("/api/alerts?severity=high&limit=1000")).body["items"] as unknown[];
    const upper = (await get("/api/alerts?severity=HIGH,%20Critical&limit=1000")).body["items"] as { severity: string }[];
    assert.ok(lower.length > 0, "the world has high alerts");
    assert.ok(upper.length >= lower.length);
    assert.ok(upper.every((a) => ["high", "critical"].includes(a.severity)), JSON.stringify(upper.slice(0, 2)));
  });

  it("shows one alert with its timeline from creation", async () => {
    const [first] = (await store.alerts.list({ states: ["dismissed"] }, { limit: 1 })).items;
    assert.ok(first, "the tiny world has a dismissed alert");
    const { status, body } = await get(`/api/alerts/${encodeURIComponent(first.id)}`);
    assert.equal(status, 200);
    const timeline = body["timeline"] as { from_state: string | null; to_state: string; actor: string | null }[];
    assert.equal(timeline[0]!.from_state, null);
    assert.equal(timeline[0]!.to_state, "open");
    assert.equal(timeline.at(-1)!.to_state, "dismissed");
  });

  it("searches audit events and the cross-alert timeline", async () => {
    const { body } = await get("/api/audit-events?limit=3");
    assert.ok((body["items"] as unknown[]).length > 0);
    const [category] = (await store.auditEvents.countByAction({}, 1)).map((a) => a.action.split(".")[0]!);
    const byCategory = await get(`/api/audit-events?limit=1000&action=${encodeURIComponent(`${category}, no_such_category`)}`);
    const found = byCategory.body["items"] as { action: string }[];
    assert.equal(found.length, Math.min(1000, await store.auditEvents.count({ actions: [category!] })));
    assert.ok(found.every((e) => e.action === category || e.action.startsWith(`${category}.`)));
    const many = await get(`/api/audit-events?action=${Array.from({ length: 51 }, (_, i) => `a${i}`).join(",")}`);
    assert.equal(many.status, 400);
    assert.match((many.body["error"] as { message: string }).message, /at most 50/);
    const empty = await get("/api/audit-events?action=repo,,team");
    assert.equal(empty.status, 400);
    assert.match((empty.body["error"] as { message: string }).message, /empty entry/);
    const timeline = await get("/api/timeline?to_state=dismissed&limit=1000");
    assert.ok((timeline.body["items"] as { to_state: string }[]).every((t) => t.to_state === "dismissed"));
  });

  it("lists detections raised by the built-in rules, for audit events and for alerts", async () => {
    const { status, body } = await get("/api/detections?limit=1000");
    assert.equal(status, 200);
    const items = body["items"] as { rule_id: string; events: unknown[]; details: { alert_id?: string } }[];
    assert.ok(items.length > 0);
    const stored = (await store.detections.list({}, { limit: 1000 })).items.length;
    assert.equal(items.length, stored);
    const criticalCodeql = (await store.alerts.list({ kinds: ["code_scanning"], severities: ["critical"] }, { limit: 1000 })).items.filter(
      (a) => a.tool === "CodeQL",
    );
    assert.ok(criticalCodeql.length > 0, "the seeded world (seed 3) has a critical CodeQL alert");
    const forAlerts = items.filter((d) => d.details.alert_id !== undefined);
    assert.ok(forAlerts.some((d) => d.details.alert_id === criticalCodeql[0]!.id), "a critical CodeQL alert has its detection");
  });

  it("answers bad input and unknown routes with the one error shape", async () => {
    const bad = await get("/api/alerts?limit=5000");
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(bad.body["error"] as object).sort(), ["code", "message"]);
    assert.match((bad.body["error"] as { message: string }).message, /limit must be/);
    const kind = await get("/api/alerts?kind=codeql");
    assert.equal(kind.status, 400);
    assert.equal((kind.body["error"] as { hint: string }).hint, "Use code_scanning, dependabot, secret_scanning.");
    const missing = await get("/api/alerts/nope");
    assert.equal(missing.status, 404);
    assert.equal((missing.body["error"] as { code: string }).code, "not-found");
    assert.equal((await get("/api/nothing")).status, 404);
  });
});

describe("scheduler", () => {
  it("runs each stream on one instance only while its lease is held", async () => {
    // The server's own scheduler hands its leases back when stopped.
    await server.scheduler.stop();
    const a = new Scheduler({ config, store, logger: silentLogger(), clock: systemClock, instanceId: "a" });
    const b = new Scheduler({ config, store, logger: silentLogger(), clock: systemClock, instanceId: "b" });
    const lease = await store.leases.acquire(`stream:dependabot:org:${emu.world!.orgs[0]}`, "someone-else", 60_000);
    assert.ok(lease);
    const [ra, rb] = await Promise.all([a.runDue(), b.runDue()]);
    const ran = [...ra, ...rb].map((o) => o.stream);
    assert.equal(ran.filter((s) => s === "dependabot").length, 0, "a held lease keeps everyone off the stream");
    for (const stream of ["repositories", "org-audit-log", "code-scanning", "secret-scanning"]) {
      assert.equal(ran.filter((s) => s === stream).length, emu.world!.orgs.length, `${stream} ran once per org`);
    }
    // Not due again before the interval has passed, on either instance.
    assert.deepEqual(await a.runDue(), []);
    assert.deepEqual(await b.runDue(), []);
  });
});
