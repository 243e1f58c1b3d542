// The README's first command: `ghaudit demo` starts the emulator with live activity, collects it and serves the API;
// within seconds the API shows alerts, audit events and timeline entries from polls, the audit log and webhooks,
// and Ctrl-C stops it cleanly.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { spawnCli } from "./support/cli.js";

interface Health {
  ok: boolean;
  streams: { stream: string; last_run_at: string | null; ok: boolean | null; error: unknown }[];
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url}: ${res.status}`);
  return (await res.json()) as T;
}

test("ghaudit demo collects the emulator's world and live activity, serves it, and stops on Ctrl-C", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-demo-"));
  const { child, done } = spawnCli(["demo", "--port", "0", "--data", dir, "--activity-interval", "300"]);
  try {
    let out = "";
    child.stdout!.on("data", (chunk: string) => (out += chunk));
    let api: string | undefined;
    for (let i = 0; i < 600 && !api; i++) {
      api = /ghaudit API:\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/health/.exec(out)?.[1];
      if (!api) await delay(100);
    }
    assert.ok(api, `the demo printed its API address:\n${out}`);

    // Every stream has run once and succeeded; then the API holds what was collected, from all three sources.
    let health: Health | undefined;
    let sources: Record<string, number> = {};
    for (let i = 0; i < 120; i++) {
      health = await getJson<Health>(`${api}/api/health`);
      const timeline = await getJson<{ items: { source: string }[] }>(`${api}/api/timeline?limit=1000`);
      sources = {};
      for (const t of timeline.items) sources[t.source] = (sources[t.source] ?? 0) + 1;
      if (health.streams.length > 0 && health.streams.every((s) => s.last_run_at !== null) && sources["webhook"] && sources["poll"] && sources["audit_log"]) break;
      await delay(500);
    }
    assert.ok(health?.ok, JSON.stringify(health));
    assert.ok(health.streams.length >= 4, "audit log, alerts and repositories streams");
    for (const s of health.streams) assert.equal(s.ok, true, `${s.stream}: ${JSON.stringify(s.error)}`);
    assert.ok(sources["poll"] && sources["audit_log"] && sources["webhook"], `timeline entries by source: ${JSON.stringify(sources)}`);
    const alerts = await getJson<{ items: unknown[] }>(`${api}/api/alerts?limit=10`);
    assert.ok(alerts.items.length > 0, "alerts");
    const events = await getJson<{ items: unknown[] }>(`${api}/api/audit-events?limit=10`);
    assert.ok(events.items.length > 0, "audit events");
    assert.ok(statSync(join(dir, "demo.db")).size > 0);
    assert.equal(statSync(join(dir, "demo-config.yml")).mode & 0o077, 0, "the config (it holds a token) is private");

    child.kill("SIGINT");
    const result = await done;
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /Error|at .*\.js:\d+/);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});
