// docs/schema.md stays complete and true: every field of every record kind has a row, every example validates.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { PACKAGE_ROOT } from "../../core/paths.js";
import { AuditEventRecord, FindingRecord, GhauditRecord, ScanRecord, StateChangeRecord } from "../../core/records.js";

const doc = readFileSync(join(PACKAGE_ROOT, "docs", "schema.md"), "utf8");

/** The text under `## heading` up to the next `## `. */
function section(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}`);
  assert.ok(start >= 0, `docs/schema.md has a "## ${heading}" section`);
  const end = doc.indexOf("\n## ", start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** Field names of a zod object; nested objects give their members instead (`artifact.path`). */
function fieldNames(schema: z.ZodObject): string[] {
  const out: string[] = [];
  for (const [name, type] of Object.entries(schema.shape)) {
    if (type instanceof z.ZodObject) for (const sub of Object.keys(type.shape)) out.push(`${name}.${sub}`);
    else out.push(name);
  }
  return out;
}

const COMMON = ["id", "kind", "event_type", "source", "category", "timestamp", "org", "enterprise", "repository", "actor"];

describe("docs/schema.md", () => {
  const kinds: [string, z.ZodObject][] = [
    ["AuditEventRecord", AuditEventRecord],
    ["FindingRecord", FindingRecord],
    ["ScanRecord", ScanRecord],
    ["StateChangeRecord", StateChangeRecord],
  ];
  for (const [heading, schema] of kinds) {
    it(`documents every field of ${heading}`, () => {
      const text = section(heading);
      const common = section("Common fields");
      for (const name of fieldNames(schema)) {
        const where = COMMON.includes(name) ? common : text;
        assert.ok(where.includes(`| \`${name}\` |`), `${heading}.${name} has a row`);
      }
    });
  }

  it("has one example per kind and every example validates", () => {
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!) as unknown);
    const records = blocks.map((b) => GhauditRecord.parse(b));
    assert.deepEqual(records.map((r) => r.kind).sort(), ["alert", "alert_state_change", "audit_event", "coverage"]);
  });

  it("states every risk row", () => {
    const risk = section("Risk");
    for (const row of ["`critical` | `CRITICAL` | 10.0", "`high`, `error` | `HIGH` | 8.9", "`medium`, `moderate`, `warning` | `MEDIUM` | 6.9", "`low`, `note` | `LOW` | 3.9"]) {
      assert.ok(risk.includes(row), row);
    }
  });
});
