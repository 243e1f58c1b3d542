// Rules evaluation rate: 1M audit events (the emulator's seeded world, or store/synthetic.ts) through the engine with
// the built-in rules and the 15 SigmaHQ GitHub rules loaded (plus, in a second line, a few user rules); median of 3.
// Normalization is done beforehand and not timed: the rate is for `engine.evaluate` alone.
// Usage: node .build/NAME/bench/rules-eval.js [--events N] [--runs N] [--source seed|synthetic]
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ManualClock } from "../src/core/clock.js";
import { SHARED_DIR } from "../src/core/paths.js";
import type { AuditEventRecord } from "../src/core/records.js";
import { EmulatorState } from "../src/emulator/state/state.js";
import { seedWorld } from "../src/emulator/seed/generator.js";
import { normalizeAuditEvent } from "../src/pipeline/normalize/index.js";
import { createRuleEngine, loadSigmaDirectory, parseUserRules, type RuleEngine } from "../src/rules/index.js";
import { syntheticRawEvent } from "../src/store/synthetic.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    runs: { type: "string", default: "3" },
    source: { type: "string", default: "seed" },
  },
});
const total = Number(values.events);
const runs = Number(values.runs);

const USER_RULES = `
rules:
  - id: prod-secrets
    match: { all: [{ action: '*.update_actions_secret' }, { field: repository, regex: '/(prod|payments)' }] }
    severity: high
    routes: [splunk]
  - id: page-on-high
    match: { field: severity, in: [HIGH, CRITICAL] }
    routes: [pagerduty]
  - id: scripted-access
    match: { field: raw.user_agent, regex: '^(curl|python-requests)/', ignore_case: true }
    tags: [scripted]
  - id: keep-clones-of-payments
    match: { all: [{ action: git.clone }, { field: repository, contains: payments }] }
    drop: false
`;

function rawEvents(): Record<string, unknown>[] {
  if (values.source === "synthetic") return Array.from({ length: total }, (_, i) => syntheticRawEvent(i));
  const now = Date.UTC(2026, 0, 15, 12);
  const state = new EmulatorState(new ManualClock({ start: now, frozen: true }));
  seedWorld(state, {
    seed: 7,
    now,
    size: { orgs: 4, reposPerOrg: 40, users: 400, auditEvents: total, codeScanningAlerts: 0, dependabotAlerts: 0, secretScanningAlerts: 0, enterprise: true },
  });
  return state.audit.map((a) => a.event as Record<string, unknown>);
}

function once(engine: RuleEngine, records: readonly AuditEventRecord[]): { rate: number; checksum: number } {
  let checksum = 0;
  const started = performance.now();
  for (const r of records) {
    const v = engine.evaluate(r);
    checksum += v.detections.length + (v.drop ? 1 : 0) + v.routes.length;
  }
  return { rate: records.length / ((performance.now() - started) / 1000), checksum };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");

let t = performance.now();
const raws = rawEvents();
const genMs = performance.now() - t;
t = performance.now();
const records = raws.map((raw) => normalizeAuditEvent(raw, { scope: "org", name: String(raw.org ?? "octo-org") }));
const normMs = performance.now() - t;
const sigma = loadSigmaDirectory(join(SHARED_DIR, "testdata", "sigma-github"));
if (sigma.rules.length !== 15 || sigma.problems.length > 0) throw new Error(`expected the 15 Sigma rules, got ${sigma.rules.length}`);

console.log(
  `rules eval bench: ${fmt(records.length)} audit events (${values.source}, ${new Set(records.map((r) => r.action)).size} distinct actions; ` +
    `generated in ${(genMs / 1000).toFixed(1)}s, normalized in ${(normMs / 1000).toFixed(1)}s), median of ${runs} runs, node ${process.version}, ` +
    `${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`,
);
const setups: [string, RuleEngine][] = [
  ["built-in + 15 Sigma", createRuleEngine({ builtins: { allowedApps: ["Dependabot", "Slack"] }, sigmaRules: sigma.rules })],
  ["built-in + 15 Sigma + 4 user", createRuleEngine({ builtins: { allowedApps: ["Dependabot", "Slack"] }, sigmaRules: sigma.rules, userRules: parseUserRules(USER_RULES, "bench.yml") })],
];
console.log("rules                              events/s (median)  runs");
for (const [name, engine] of setups) {
  const results = Array.from({ length: runs }, () => once(engine, records));
  if (new Set(results.map((r) => r.checksum)).size !== 1) throw new Error("runs disagree: the engine is not deterministic");
  const rates = results.map((r) => r.rate);
  console.log(`${name.padEnd(32)} ${fmt(median(rates)).padStart(18)}  ${rates.map(fmt).join(" / ")}`);
}
const sample = setups[0]![1];
const summary = { dropped: 0, detections: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
for (const r of records) {
  const v = sample.evaluate(r);
  if (v.drop) summary.dropped++;
  summary.detections += v.detections.length;
  if (v.severity === "HIGH" || v.severity === "MEDIUM" || v.severity === "LOW") summary[v.severity]++;
}
console.log(`verdicts (built-in + Sigma): ${Object.entries(summary).map(([k, v]) => `${k} ${fmt(v)}`).join(", ")}`);
