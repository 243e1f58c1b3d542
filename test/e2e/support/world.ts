// End-to-end fixtures: an emulator with a seeded world, ghaudit configs pointing at it, the control API, and the
// truth (what GitHub's API would return) computed from the emulator's own state to compare the store against.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock } from "../../../src/core/clock.js";
import { loadConfig, type Config } from "../../../src/config/index.js";
import { RETENTION_MS } from "../../../src/emulator/audit/view.js";
import { onRef } from "../../../src/emulator/routes/code-scanning.js";
import { featureOn } from "../../../src/emulator/routes/alerts/scope.js";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../../src/emulator/server.js";
import type { AlertKind } from "../../../src/store/index.js";

export type SeededEmulator = Emulator & { world: NonNullable<Emulator["world"]> };

export async function startWorld(options: EmulatorOptions): Promise<SeededEmulator> {
  const emulator = await startEmulator(options);
  if (!emulator.world) throw new Error("the emulator was started without a seeded world");
  return emulator as SeededEmulator;
}

/** ghaudit's clock in tests: the emulator's (frozen or not), so both sides agree on "now". */
export const emulatorClock = (emulator: Emulator): Clock => ({ now: () => emulator.state.now() });

export interface AuditStreamOptions {
  lookback?: string;
  include?: "web" | "git" | "all";
  overlap?: string;
}

/** A temporary folder with a config file for the orgs; `cleanup()` removes it. */
export function tempConfig(orgs: readonly string[], audit: AuditStreamOptions = {}): { dir: string; file: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-e2e-"));
  const file = join(dir, "ghaudit.yaml");
  const auditLine = Object.entries(audit)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(", ");
  const lines = ["orgs:"];
  for (const org of orgs) {
    lines.push(`  - name: ${org}`);
    if (auditLine) lines.push("    streams:", `      audit_log: { ${auditLine} }`);
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
  return { dir, file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The loaded config for `orgs` against the emulator (as `ghaudit --config file --org ...` would build it). */
export function configFor(emulator: Emulator, file: string, orgs: readonly string[], db = ":memory:", token = emulator.token): Config {
  return loadConfig({ flags: { config: file, org: [...orgs], db }, env: { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: token } });
}

/** Environment for CLI child processes talking to the emulator. */
export function cliEnv(emulator: Emulator, token = emulator.token): Record<string, string> {
  return { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: token, GHAUDIT_LOG_LEVEL: "error" };
}

/** Calls the control API (`/_emulator/...`) and returns the JSON answer. */
export async function control<T = unknown>(emulator: Emulator, path: string, method = "GET", body?: unknown): Promise<T> {
  const res = await fetch(`${emulator.url}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} /_emulator/${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * Lifts the token's hourly budgets (audit_log 1,750, core 5,000) for tests that sync one world many times: past the
 * budget ghaudit waits for the hourly reset, as it should against GitHub.
 */
export async function liftRateLimits(emulator: Emulator, token = emulator.token): Promise<void> {
  for (const resource of ["audit_log", "core"]) await control(emulator, "rate-limit", "POST", { token, resource, limit: 1_000_000 });
}

export interface RequestCounts {
  total: number;
  charged: number;
  byRoute: Record<string, { count: number; statuses: Record<string, number> }>;
}

/** Audit-log requests (org and enterprise) the emulator has answered since its request log was last cleared. */
export async function auditRequests(emulator: Emulator): Promise<number> {
  const counts = await control<RequestCounts>(emulator, "requests");
  return Object.entries(counts.byRoute).reduce((n, [route, v]) => n + (route.includes("audit-log") ? v.count : 0), 0);
}

/**
 * `_document_id`s of the audit events the org audit-log API returns right now for `orgs` with include=web: visible
 * (late events only once they arrived), not Git, inside the 180-day retention.
 */
export function auditTruth(emulator: Emulator, orgs: readonly string[]): Set<string> {
  const wanted = new Set(orgs.map((o) => o.toLowerCase()));
  const now = emulator.state.now();
  const ids = new Set<string>();
  for (const r of emulator.state.audit) {
    if (r.git || r.visibleAt > now || r.at < now - RETENTION_MS) continue;
    if (!r.orgs.some((o) => wanted.has(o.toLowerCase()))) continue;
    ids.add(String(r.event._document_id));
  }
  return ids;
}

/**
 * Per kind, `repo#number` of the alerts the org list endpoints return: repos of the orgs with the feature on;
 * code scanning lists the default branch only; secret scanning includes generic types (ghaudit asks for them).
 */
export function alertTruth(emulator: Emulator, orgs: readonly string[]): Record<AlertKind, Map<string, string>> {
  const wanted = new Set(orgs.map((o) => o.toLowerCase()));
  const out: Record<AlertKind, Map<string, string>> = { code_scanning: new Map(), dependabot: new Map(), secret_scanning: new Map() };
  for (const repo of emulator.state.repos.values()) {
    if (!wanted.has(repo.owner.toLowerCase())) continue;
    if (featureOn("code_scanning", repo)) {
      for (const rec of repo.codeScanning) {
        if (onRef(rec, `refs/heads/${repo.defaultBranch}`)) out.code_scanning.set(`${repo.fullName}#${rec.alert.number}`, rec.alert.state ?? "open");
      }
    }
    if (featureOn("dependabot", repo)) for (const a of repo.dependabot) out.dependabot.set(`${repo.fullName}#${a.number}`, a.state);
    if (featureOn("secret_scanning", repo)) {
      for (const rec of repo.secretScanning) out.secret_scanning.set(`${repo.fullName}#${rec.alert.number}`, rec.alert.state ?? "open");
    }
  }
  return out;
}

export const ALERT_KINDS: readonly AlertKind[] = ["code_scanning", "dependabot", "secret_scanning"];
