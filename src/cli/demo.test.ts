// The demo's config file is written by the YAML library: any data folder name reads back as written.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../config/index.js";
import { demoConfigYaml } from "./demo.js";

test("the demo config keeps a data path with '#', ': ' and quotes, and loads as written", () => {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-demo-"));
  try {
    const db = join(dir, `demo #1: "quoted" 'x'`, "ghaudit.db");
    const file = join(dir, "ghaudit.yaml");
    writeFileSync(file, demoConfigYaml({ apiUrl: "http://127.0.0.1:4010", token: "ghp_demodemodemodemodemodemodemo000000", orgs: ["acme", "beta"], enterprise: "ent", db, port: 0 }));
    const config = loadConfig({ flags: { config: file }, env: {} });
    assert.deepEqual(config.store, { dialect: "sqlite", path: db });
    assert.deepEqual(config.orgs.map((o) => o.name), ["acme", "beta"]);
    assert.equal(config.enterprises[0]?.slug, "ent");
    assert.equal(config.poll.interval, 10_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
