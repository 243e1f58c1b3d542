// Rules in the pipeline: audit events get severities and detections while they are collected, and are evaluated
// again when the rules change.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { SHARED_DIR } from "../../src/core/paths.js";
import { loadConfig, type Config } from "../../src/config/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { rulesFor, syncOnce } from "../../src/pipeline/sync.js";
import { exportRows } from "../../src/cli/export.js";
import { engineForFile, storedAuditRecords } from "../../src/cli/rules.js";
import { rulesTest } from "../../src/rules/index.js";
import { forEachDialect } from "../../src/store/testing.js";

let emu: Emulator;
let dir: string;

before(async () => {
  emu = await startEmulator({ seed: 11, size: "small" });
  dir = mkdtempSync(join(tmpdir(), "ghaudit-rules-"));
});

after(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

function configWith(rulesYaml: string): Config {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(
    file,
    ["orgs:", `  - { name: ${emu.world!.orgs[0]}, streams: { audit_log: { lookback: all } } }`, "rules:", rulesYaml].join("\n"),
  );
  return loadConfig({ flags: { config: file }, env: { GITHUB_API_URL: emu.url, GITHUB_TOKEN: emu.token } });
}

forEachDialect("rules in the pipeline", ({ withStore }) => {
  it("stores severities and Sigma detections while collecting, and re-evaluates when the rules change", () =>
    withStore(async (store) => {
      const sigma = join(SHARED_DIR, "testdata", "sigma-github");
      const config = configWith(`  sigma: [${sigma}]`);
      const logger = silentLogger();
      const outcomes = await syncOnce({ config, store, logger, clock: systemClock, rules: rulesFor(config, logger) });
      const audit = outcomes.find((o) => o.stream === "org-audit-log")!;
      assert.ok(audit.ok && audit.stats!.added > 0);
      assert.ok(audit.stats!.detections > 0, "the seeded audit log triggers Sigma and built-in rules");
      const stored = [];
      for await (const d of exportRows(store, "detections")) stored.push(d);
      // Audit events and alerts (critical / error CodeQL findings) both raise detections.
      assert.equal(stored.length, outcomes.reduce((n, o) => n + (o.stats?.detections ?? 0), 0));
      assert.ok(outcomes.find((o) => o.stream === "code-scanning")!.stats!.detections > 0);
      assert.ok(stored.some((d) => String(d["rule_title"]).startsWith("New Github Organization Member Added") || String(d["rule_title"]).includes("Secret")));

      // A user rule that makes every workflow run HIGH: the next sync evaluates the stored events again.
      const rulesFile = join(dir, "user.yml");
      writeFileSync(rulesFile, ["rules:", "  - id: all-workflows", "    match:", "      action: workflows.*", "    severity: high", ""].join("\n"));
      const before = (await store.auditEvents.list({ actions: ["workflows"] }, { limit: 1000 })).items;
      assert.ok(before.length > 0 && before.every((e) => e.severity !== "HIGH"));
      const changed = configWith(`  sigma: [${sigma}]\n  user_rules: [${rulesFile}]`);
      await syncOnce({ config: changed, store, logger, clock: systemClock, rules: rulesFor(changed, logger) });
      const after = (await store.auditEvents.list({ actions: ["workflows"] }, { limit: 1000 })).items;
      assert.ok(after.every((e) => e.severity === "HIGH"), "stored workflow events were reclassified");
      const detections = (await store.detections.list({ ruleId: "all-workflows" }, { limit: 1000 })).items;
      assert.ok(detections.length >= before.length);
    }));
});

describe("ghaudit rules test", () => {
  it("reports which stored events a rule file matches", async () => {
    const file = join(dir, "test-rule.yml");
    writeFileSync(file, ["rules:", "  - id: clones", "    match:", "      action: repo.create", "    severity: low", ""].join("\n"));
    const { engine, source } = engineForFile(file);
    assert.equal(source, "user");
    const { openStore } = await import("../../src/store/index.js");
    const store = await openStore(join(dir, "rules-test.db"));
    try {
      const config = configWith("  builtins: { enabled: true }");
      await syncOnce({ config, store, logger: silentLogger(), clock: systemClock });
      const records = [];
      for await (const r of storedAuditRecords(store)) records.push(r);
      const report = rulesTest(engine, records, { sources: ["user"] });
      const creates = records.filter((r) => r.action === "repo.create").length;
      assert.equal(report.rules.find((r) => r.ruleId === "clones")?.matches, creates);
      assert.equal(engineForFile(join(SHARED_DIR, "testdata", "sigma-github")).source, "sigma");
    } finally {
      await store.close();
    }
  });
});
