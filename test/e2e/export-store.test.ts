// `export` reads the database the collecting commands write, found the same way (--db, GHAUDIT_DB, the config's
// store.url from --config or GHAUDIT_CONFIG), without needing credentials; a path with no database is an error.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openStore } from "../../src/store/index.js";
import { parseNdjson, runCli, runCliOk } from "./support/cli.js";

test("export finds the database through --config and GHAUDIT_CONFIG, and refuses a path with no database", { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-export-"));
  try {
    const db = join(dir, "collected.db");
    const store = await openStore(db);
    await store.alerts.upsert([
      { kind: "dependabot", repository: "acme/api", repoId: 1, number: 7, state: "open", severity: "high", riskLevel: "HIGH", riskScore: 8.9, createdAt: Date.UTC(2026, 0, 1), raw: { number: 7 }, normalized: { number: 7 } },
    ]);
    await store.close();
    const config = join(dir, "ghaudit.yaml");
    writeFileSync(config, `store:\n  url: ${db}\norgs:\n  - name: acme\n`);
    // Another folder, with no ./data of its own, and no credentials at all.
    const elsewhere = join(dir, "elsewhere");
    mkdirSync(elsewhere);

    const byFlag = parseNdjson((await runCliOk(["export", "--kind", "alerts", "--config", config], { cwd: elsewhere })).stdout);
    assert.deepEqual(byFlag.map((r) => [r["repository"], r["number"]]), [["acme/api", 7]]);
    const byEnv = parseNdjson((await runCliOk(["export", "--kind", "alerts"], { cwd: elsewhere, env: { GHAUDIT_CONFIG: config } })).stdout);
    assert.equal(byEnv.length, 1);
    assert.equal(existsSync(join(elsewhere, "data")), false, "no database created in the working folder");

    const missing = join(dir, "nope", "x.db");
    const res = await runCli(["export", "--kind", "audit", "--db", missing], { cwd: elsewhere });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /no ghaudit database at .*nope.*x\.db/i);
    assert.equal(existsSync(join(dir, "nope")), false, "nothing created for a mistyped path");

    // A mistyped log level is reported as by every other command, from the flag or from the environment.
    const ways: { args: string[]; env: Record<string, string> }[] = [{ args: ["--log-level", "verbose"], env: {} }, { args: [], env: { GHAUDIT_LOG_LEVEL: "verbose" } }];
    for (const how of ways) {
      const bad = await runCli(["export", "--kind", "alerts", "--config", config, ...how.args], { cwd: elsewhere, env: how.env });
      assert.equal(bad.code, 78, bad.stderr);
      assert.match(bad.stderr, /Unknown log level "verbose"/);
      assert.equal(bad.stdout, "");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
