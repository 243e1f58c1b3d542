// Dependabot alerts: REST example, EPSS/CVSS quirks, moderate vs medium, closed states, GraphQL nodes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FindingRecord } from "../../core/records.js";
import { normalizeDependabotAlert } from "./dependabot.js";
import { restDismissReason } from "./dependabot-graphql.js";
import type { AlertContext } from "./finding.js";
import type { JsonObject } from "./read.js";
import { ghecExample, normalizeChecked, readNdjson } from "./test-helpers.js";

function check(raw: JsonObject, ctx: AlertContext = { repository: "octocat/hello-world" }): FindingRecord {
  return normalizeChecked(FindingRecord, raw, (r) => normalizeDependabotAlert(r, ctx));
}

function example(): JsonObject {
  return ghecExample("dependabot-alert-open") as JsonObject;
}

function withAdvisory(patch: JsonObject, drop: string[] = []): JsonObject {
  const ex = example();
  const advisory = { ...(ex.security_advisory as JsonObject), ...patch };
  for (const k of drop) delete advisory[k];
  return { ...ex, security_advisory: advisory };
}

describe("normalizeDependabotAlert: GitHub's example (dependabot-alert-open)", () => {
  it("maps the finding, artifact and github details", () => {
    const rec = check(example());
    assert.equal(rec.id, "dependabot:octocat/hello-world#1");
    assert.deepEqual([rec.state, rec.open, rec.risk_level, rec.risk_score, rec.severity_raw], ["open", true, "MEDIUM", 6.9, "medium"]);
    assert.equal(rec.title, "Insertion of Sensitive Information into Log File in ansible");
    assert.equal(rec.html_url, "https://github.com/octocat/hello-world/security/dependabot/1");
    assert.deepEqual([rec.created_at, rec.updated_at, rec.timestamp], ["2022-06-14T15:21:52.000Z", "2022-06-14T15:21:52.000Z", "2022-06-14T15:21:52.000Z"]);
    assert.deepEqual(rec.artifact, {
      repository: "octocat/hello-world",
      path: "path/to/requirements.txt",
      package_name: "ansible",
      vulnerable_version_range: "< 2.8.19",
      first_patched_version: "2.8.19",
    });
    assert.deepEqual(rec.github, {
      tool: null, rule_id: null, rule_name: null, cwe: ["CWE-532"], ecosystem: "pip", dependency_scope: "runtime",
      dependency_relationship: "direct", ghsa_id: "GHSA-8f4m-hccc-8qph", cve_id: "CVE-2021-20191",
      epss_percentage: 0.00045, epss_percentile: 0.16001, secret_type: null, secret_type_display_name: null, validity: null,
      publicly_leaked: null, push_protection_bypassed: null, push_protection_bypassed_by: null, push_protection_bypassed_at: null,
      cvss_score: 8.5, cvss_vector: "CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    });
  });
});

describe("normalizeDependabotAlert: quirks", () => {
  it("parses the EPSS percentile string \"0.16001e0\" and plain numbers", () => {
    assert.equal(check(example()).github.epss_percentile, 0.16001);
    assert.equal(check(withAdvisory({ epss: { percentage: "0.5", percentile: 0.9 } })).github.epss_percentage, 0.5);
    assert.equal(check(withAdvisory({ epss: [{ percentage: 0.1, percentile: "0.2" }] })).github.epss_percentile, 0.2);
    const absent = check(withAdvisory({ epss: null })).github;
    assert.deepEqual([absent.epss_percentage, absent.epss_percentile], [null, null]);
  });

  it("survives the 2026-03-10 removal of cvss and falls back v4 -> v3 -> cvss", () => {
    const noLegacy = check(withAdvisory({}, ["cvss"]));
    assert.equal(noLegacy.github.cvss_score, 8.5);
    const v3Only = check(withAdvisory({ cvss_severities: { cvss_v3: { vector_string: "CVSS:3.1/AV:N", score: 5.5 }, cvss_v4: null } }, ["cvss"]));
    assert.deepEqual([v3Only.github.cvss_score, v3Only.github.cvss_vector], [5.5, "CVSS:3.1/AV:N"]);
    const legacy = check(withAdvisory({ cvss: { score: 7.5, vector_string: "CVSS:3.1/X" } }, ["cvss_severities"]));
    assert.equal(legacy.github.cvss_score, 7.5);
    const none = check(withAdvisory({ cvss: { score: 0, vector_string: null } }, ["cvss_severities"]));
    assert.deepEqual([none.github.cvss_score, none.github.cvss_vector], [null, null]);
    assert.equal(check(withAdvisory({}, ["cvss", "cvss_severities"])).github.cvss_score, null);
  });

  it("reads moderate (old webhook/GraphQL word) as MEDIUM and keeps GitHub's word", () => {
    const rec = check(withAdvisory({ severity: "moderate" }));
    assert.deepEqual([rec.risk_level, rec.risk_score, rec.severity_raw], ["MEDIUM", 6.9, "moderate"]);
    assert.equal(check(withAdvisory({ severity: "critical" })).risk_score, 10);
  });

  it("falls back to security_vulnerability.severity and identifiers for the CVE", () => {
    const rec = check(withAdvisory({ severity: null, cve_id: null }));
    assert.deepEqual([rec.risk_level, rec.github.cve_id], ["MEDIUM", "CVE-2021-20191"]);
  });

  it("closes dismissed, fixed and auto_dismissed alerts from the matching fields", () => {
    const user = { login: "mona", id: 2, type: "User" };
    const dismissed = check({ ...example(), state: "dismissed", dismissed_at: "2022-07-01T00:00:00Z", dismissed_by: user, dismissed_reason: "tolerable_risk", dismissed_comment: "flagged off" });
    assert.deepEqual([dismissed.closed_at, dismissed.closed_by, dismissed.close_reason, dismissed.close_comment, dismissed.actor], ["2022-07-01T00:00:00.000Z", "mona", "tolerable_risk", "flagged off", "mona"]);
    const fixed = check({ ...example(), state: "fixed", fixed_at: "2022-07-02T00:00:00Z" });
    assert.deepEqual([fixed.open, fixed.closed_at, fixed.closed_by, fixed.timestamp], [false, "2022-07-02T00:00:00.000Z", null, "2022-07-02T00:00:00.000Z"]);
    const auto = check({ ...example(), state: "auto_dismissed", auto_dismissed_at: "2022-07-03T00:00:00Z" });
    assert.deepEqual([auto.open, auto.closed_at], [false, "2022-07-03T00:00:00.000Z"]);
  });

  it("takes repository and org from org-list rows (dependabot-alert-with-repository)", () => {
    const row = { ...example(), repository: { full_name: "acme/api", owner: { login: "acme", type: "Organization" } } };
    const rec = normalizeChecked(FindingRecord, row, (r) => normalizeDependabotAlert(r, { enterprise: "acme-ent" }));
    assert.deepEqual([rec.repository, rec.org, rec.enterprise, rec.id], ["acme/api", "acme", "acme-ent", "dependabot:acme/api#1"]);
  });
});

describe("normalizeDependabotAlert: GraphQL RepositoryVulnerabilityAlert nodes", () => {
  const nodes = readNdjson("dependabot-test-ghas-dependabot-json.log");

  it("maps camelCase fields and upper-case enums to the REST meaning", () => {
    const rec = check(nodes[7]!, {});
    assert.equal(rec.id, "dependabot:kcreddy/juice-shop#8");
    assert.deepEqual([rec.state, rec.open, rec.risk_level, rec.severity_raw, rec.html_url, rec.updated_at], ["open", true, "HIGH", "high", null, null]);
    assert.deepEqual(rec.artifact, { repository: "kcreddy/juice-shop", path: "package.json", package_name: "sqlite3", vulnerable_version_range: ">= 5.0.0, < 5.0.3", first_patched_version: "5.0.3" });
    assert.deepEqual([rec.github.ecosystem, rec.github.dependency_scope, rec.github.ghsa_id, rec.github.cve_id, rec.github.cwe], ["npm", "runtime", "GHSA-9qrh-qjmc-5w2p", "CVE-2022-21227", ["CWE-248"]]);
    assert.deepEqual([rec.github.cvss_score, rec.github.cvss_vector], [7.5, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"]);
  });

  it("reads MODERATE as MEDIUM and a dismissal with the UI's sentence as REST's reason", () => {
    const dismissed = nodes.find((n) => n.state === "DISMISSED")!;
    const rec = check(dismissed, {});
    assert.deepEqual([rec.state, rec.risk_level, rec.severity_raw, rec.closed_by, rec.close_reason, rec.closed_at], ["dismissed", "MEDIUM", "moderate", "kcreddy", "no_bandwidth", "2022-07-12T03:02:16.000Z"]);
    assert.equal(restDismissReason("Some future reason"), "Some future reason");
  });

  it("uses the context's org, else the owner when the repository is in an organization", () => {
    const node = nodes[0]!;
    assert.equal(check(node, {}).org, null, "kcreddy/juice-shop is a user's repository");
    const inOrg = { ...node, repository: { ...(node.repository as JsonObject), isInOrganization: true } };
    assert.equal(check(inOrg, {}).org, "kcreddy");
    assert.equal(check(node, { org: "acme" }).org, "acme");
  });
});
