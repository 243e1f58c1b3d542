// Secret scanning alerts: configurable default risk, push-protection bypass users, resolution, GitHub's examples.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FindingRecord } from "../../core/records.js";
import type { AlertContext } from "./finding.js";
import type { JsonObject } from "./read.js";
import { normalizeSecretScanningAlert, type SecretScanningOptions } from "./secret-scanning.js";
import { ghecExample, normalizeChecked } from "./test-helpers.js";

function check(raw: JsonObject, ctx: AlertContext = {}, options: SecretScanningOptions = {}): FindingRecord {
  return normalizeChecked(FindingRecord, raw, (r) => normalizeSecretScanningAlert(r, ctx, options));
}

const open = (): JsonObject => ghecExample("secret-scanning-alert-open") as JsonObject;
const orgRow = (): JsonObject => (ghecExample("organization-secret-scanning-alert-list") as JsonObject[])[0]!;

describe("normalizeSecretScanningAlert: GitHub's examples", () => {
  it("maps an open repo-level alert (secret-scanning-alert-open)", () => {
    const rec = check(open(), { repository: "owner/private-repo", org: "owner" });
    assert.equal(rec.id, "secret_scanning:owner/private-repo#42");
    assert.deepEqual([rec.state, rec.open, rec.risk_level, rec.risk_score, rec.severity_raw, rec.title, rec.actor], ["open", true, "HIGH", 8.9, null, "Mailchimp API Key", null]);
    assert.deepEqual([rec.closed_at, rec.closed_by, rec.close_reason, rec.close_comment, rec.updated_at], [null, null, null, null, null]);
    assert.deepEqual(
      [rec.github.secret_type, rec.github.secret_type_display_name, rec.github.validity, rec.github.publicly_leaked, rec.github.push_protection_bypassed, rec.github.push_protection_bypassed_by],
      ["mailchimp_api_key", "Mailchimp API Key", "unknown", false, false, null],
    );
    assert.equal(rec.artifact.path, null, "repo-level rows have no first_location_detected");
  });

  it("maps an org-list row (organization-secret-scanning-alert-list) with its repository and bypass user", () => {
    const rec = check(orgRow());
    assert.deepEqual([rec.id, rec.repository, rec.org], ["secret_scanning:octocat/hello-world#2", "octocat/Hello-World", null]);
    assert.deepEqual([rec.state, rec.open, rec.closed_at, rec.closed_by, rec.close_reason, rec.close_comment, rec.actor], [
      "resolved", false, "2020-11-07T02:47:13.000Z", "monalisa", "false_positive", "Example comment", "monalisa",
    ]);
    assert.deepEqual([rec.github.push_protection_bypassed, rec.github.push_protection_bypassed_by, rec.github.push_protection_bypassed_at], [true, "monalisa", "2020-11-06T21:48:51.000Z"]);
    assert.deepEqual([rec.github.validity, rec.github.publicly_leaked, rec.artifact.path], ["active", false, "/example/secrets.txt"]);
    assert.equal(rec.timestamp, "2020-11-07T02:47:13.000Z", "the resolution is the latest change");
  });
});

describe("normalizeSecretScanningAlert: risk and quirks", () => {
  it("defaults to HIGH 8.9 and takes a configured level", () => {
    assert.deepEqual([check(open()).risk_level, check(open()).risk_score], ["HIGH", 8.9]);
    const critical = check(open(), {}, { risk: "CRITICAL" });
    assert.deepEqual([critical.risk_level, critical.risk_score], ["CRITICAL", 10]);
    const low = check(open(), {}, { risk: "LOW" });
    assert.deepEqual([low.risk_level, low.risk_score], ["LOW", 3.9]);
  });

  it("names the push-protection bypasser as the actor of an open alert", () => {
    const rec = check({ ...open(), push_protection_bypassed: true, push_protection_bypassed_by: { login: "kcreddy", id: 1, type: "User" }, push_protection_bypassed_at: "2022-07-07T12:55:53Z" });
    assert.deepEqual([rec.actor, rec.github.push_protection_bypassed_by, rec.github.push_protection_bypassed_at], ["kcreddy", "kcreddy", "2022-07-07T12:55:53.000Z"]);
  });

  it("derives the state from resolution when a webhook alert has no state", () => {
    const { state: _s, ...hook } = orgRow();
    assert.equal(check(hook).state, "resolved");
    const { state: _t, ...openHook } = open();
    assert.equal(check(openHook).state, "open");
  });

  it("never copies the literal secret outside raw", () => {
    const rec = check(open());
    const { raw: _raw, ...rest } = rec;
    assert.ok(!JSON.stringify(rest).includes("XXXXXXXXXXXXXXXX"));
  });
});
