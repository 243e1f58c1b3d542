// Code scanning alerts: risk from security_severity_level then rule.severity, CWE tags, states, GitHub's example.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FindingRecord } from "../../core/records.js";
import { cweFromTags, normalizeCodeScanningAlert } from "./code-scanning.js";
import type { AlertContext } from "./finding.js";
import type { JsonObject } from "./read.js";
import { ghecExample, normalizeChecked } from "./test-helpers.js";

function check(raw: JsonObject, ctx: AlertContext = { repository: "octocat/hello-world", org: "octocat" }): FindingRecord {
  return normalizeChecked(FindingRecord, raw, (r) => normalizeCodeScanningAlert(r, ctx));
}

function example(): JsonObject {
  return ghecExample("code-scanning-alert") as JsonObject;
}

function withRule(rule: JsonObject): JsonObject {
  const ex = example();
  return { ...ex, rule: { ...(ex.rule as JsonObject), ...rule } };
}

describe("normalizeCodeScanningAlert: GitHub's example (code-scanning-alert)", () => {
  it("maps every field", () => {
    const rec = check(example());
    assert.deepEqual({ ...rec, raw: null }, {
      id: "code_scanning:octocat/hello-world#42",
      kind: "alert",
      event_type: "VULNERABILITY_FINDING",
      source: "github",
      category: "vcs",
      timestamp: "2020-06-19T11:21:34.000Z",
      org: "octocat",
      enterprise: null,
      repository: "octocat/hello-world",
      actor: "octocat",
      alert_kind: "code_scanning",
      number: 42,
      state: "dismissed",
      open: false,
      risk_level: "HIGH",
      risk_score: 8.9,
      severity_raw: "high",
      title: 'Arbitrary file write during zip extraction ("Zip Slip")',
      html_url: "https://github.com/octocat/hello-world/code-scanning/42",
      created_at: "2020-06-19T11:21:34.000Z",
      updated_at: null,
      closed_at: "2020-02-14T12:29:18.000Z",
      closed_by: "octocat",
      close_reason: "false positive",
      close_comment: "This alert is not actually correct, because there's a sanitizer included in the library.",
      artifact: { repository: "octocat/hello-world", path: "spec-main/api-session-spec.ts", package_name: null, vulnerable_version_range: null, first_patched_version: null },
      github: {
        tool: "CodeQL", rule_id: "js/zipslip", rule_name: "js/zipslip", cwe: ["CWE-22"], ecosystem: null, dependency_scope: null,
        dependency_relationship: null, ghsa_id: null, cve_id: null, epss_percentage: null, epss_percentile: null, secret_type: null,
        secret_type_display_name: null, validity: null, publicly_leaked: null, push_protection_bypassed: null,
        push_protection_bypassed_by: null, push_protection_bypassed_at: null, cvss_score: null, cvss_vector: null,
      },
      raw: null,
    });
  });
});

describe("normalizeCodeScanningAlert: risk", () => {
  it("uses rule.security_severity_level when present", () => {
    for (const [level, want, score] of [["critical", "CRITICAL", 10], ["high", "HIGH", 8.9], ["medium", "MEDIUM", 6.9], ["low", "LOW", 3.9]] as const) {
      const rec = check(withRule({ severity: "note", security_severity_level: level }));
      assert.deepEqual([rec.risk_level, rec.risk_score, rec.severity_raw], [want, score, level]);
    }
  });

  it("falls back to rule.severity (error/warning/note/none) when security_severity_level is null or absent", () => {
    const cases = [["error", "HIGH", 8.9], ["warning", "MEDIUM", 6.9], ["note", "LOW", 3.9], ["none", "INFO", 0]] as const;
    for (const [severity, want, score] of cases) {
      const rec = check(withRule({ severity, security_severity_level: null }));
      assert.deepEqual([rec.risk_level, rec.risk_score, rec.severity_raw], [want, score, severity]);
    }
    const { security_severity_level: _drop, ...rule } = example().rule as JsonObject;
    assert.equal(check({ ...example(), rule: { ...rule, severity: "warning" } }).risk_level, "MEDIUM");
  });

  it("gives INFO with a null severity_raw when the rule has no severity at all", () => {
    const rec = check(withRule({ severity: null, security_severity_level: null }));
    assert.deepEqual([rec.risk_level, rec.risk_score, rec.severity_raw], ["INFO", 0, null]);
  });
});

describe("normalizeCodeScanningAlert: quirks", () => {
  it("turns CWE tags into CWE ids without leading zeros", () => {
    assert.deepEqual(cweFromTags(["security", "external/cwe/cwe-079", "external/cwe/cwe-116", "external/cwe/CWE-079"]), ["CWE-79", "CWE-116"]);
    assert.deepEqual(cweFromTags(null), []);
    assert.deepEqual(check(withRule({ tags: null })).github.cwe, []);
  });

  it("reports a null state (alert outside the default branch) as open", () => {
    const rec = check({ ...example(), state: null, dismissed_by: null, dismissed_at: null, dismissed_reason: null });
    assert.deepEqual([rec.state, rec.open, rec.closed_at, rec.closed_by, rec.actor], ["open", true, null, null, null]);
  });

  it("closes a fixed alert at fixed_at with no closer", () => {
    const rec = check({ ...example(), state: "fixed", fixed_at: "2020-07-01T00:00:00Z", updated_at: "2020-07-01T00:00:00Z" });
    assert.deepEqual([rec.open, rec.closed_at, rec.closed_by, rec.close_reason, rec.timestamp], [false, "2020-07-01T00:00:00.000Z", null, null, "2020-07-01T00:00:00.000Z"]);
  });

  it("ignores stale dismissal fields on an open alert", () => {
    const rec = check({ ...example(), state: "open" });
    assert.deepEqual([rec.open, rec.closed_at, rec.closed_by, rec.close_reason], [true, null, null, null]);
  });

  it("finds the repository in repository.full_name, the context, then the alert URL", () => {
    const org = { ...example(), repository: { full_name: "acme/api", owner: { login: "acme", type: "Organization" } } };
    const fromRow = normalizeChecked(FindingRecord, org, (r) => normalizeCodeScanningAlert(r));
    assert.deepEqual([fromRow.repository, fromRow.org, fromRow.id], ["acme/api", "acme", "code_scanning:acme/api#42"]);
    assert.equal(check(example(), { repository: "Acme/Web" }).id, "code_scanning:acme/web#42");
    const fromUrl = normalizeChecked(FindingRecord, example(), (r) => normalizeCodeScanningAlert(r));
    assert.deepEqual([fromUrl.repository, fromUrl.org], ["octocat/hello-world", null]);
  });

  it("rejects an alert whose repository cannot be found", () => {
    const { url: _u, html_url: _h, ...bare } = example();
    assert.throws(() => normalizeCodeScanningAlert(bare), /without a repository/);
  });
});
