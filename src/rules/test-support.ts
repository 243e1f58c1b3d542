// Test-only helpers for the rules engine: realistic events, the shared test data (read in place), temp files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SHARED_DIR } from "../core/paths.js";
import type { AuditEventRecord } from "../core/records.js";
import { normalizeAuditEvent } from "../pipeline/normalize/index.js";
import type { Json } from "./fields.js";

export const TESTDATA = join(SHARED_DIR, "testdata");
export const SIGMA_DIR = join(TESTDATA, "sigma-github");
export const GITHUB_API_MD = join(SHARED_DIR, "GITHUB-API.md");

const T0 = Date.UTC(2025, 5, 2, 9, 30);

/** A realistic org audit event: GitHub's base fields plus `fields`, normalized the way the pipeline does. */
export function auditEvent(action: string, fields: Json = {}, org = "octo-org"): AuditEventRecord {
  const raw: Json = {
    "@timestamp": T0,
    _document_id: `doc-${action}-${Object.keys(fields).join("-")}`,
    action,
    actor: "mona",
    actor_id: 583231,
    actor_location: { country_code: "US" },
    business: "octo-enterprise",
    created_at: T0 + 2,
    operation_type: "modify",
    org,
    org_id: 9919,
    user_agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    ...fields,
  };
  return normalizeAuditEvent(raw, { scope: "org", name: org });
}

/** An already-raw event (from test data) normalized; events without any time get one (the rules do not read it). */
export function normalized(raw: Json, scope: "org" | "enterprise" = "org", name = "octo-org"): AuditEventRecord {
  const r = raw["@timestamp"] === undefined && raw.created_at === undefined ? { ...raw, created_at: T0 } : raw;
  return normalizeAuditEvent(r, { scope, name });
}

/** NDJSON lines of a shared test data file. */
export function readNdjson(path: string): Json[] {
  return readFileSync(path, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Json);
}

export interface PantherCase {
  rule: string;
  expect: boolean;
  name: string;
  log_type: string;
  /** The audit event as GitHub sent it: `p_*` fields removed, `at_sign_timestamp` back to `@timestamp`. */
  event: Json;
}

export function pantherCases(): PantherCase[] {
  return readNdjson(join(TESTDATA, "panther-github", "tests.jsonl")).map((c) => {
    const event: Json = {};
    for (const [k, v] of Object.entries(c.event as Json)) {
      if (k.startsWith("p_")) continue;
      event[k === "at_sign_timestamp" ? "@timestamp" : k] = v;
    }
    return { rule: c.rule as string, expect: c.expect as boolean, name: c.name as string, log_type: c.log_type as string, event };
  });
}

/** Runs `fn` with a fresh temp folder that is removed afterwards. */
export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-rules-"));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
