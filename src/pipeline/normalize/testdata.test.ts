// Every line of Elastic's raw GitHub test data goes through normalization without loss; each null is explained.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { z } from "zod";
import { AuditEventRecord, FindingRecord } from "../../core/records.js";
import { normalizeAuditEvent } from "./audit-event.js";
import { normalizeCodeScanningAlert } from "./code-scanning.js";
import { normalizeDependabotAlert } from "./dependabot.js";
import type { JsonObject } from "./read.js";
import { normalizeSecretScanningAlert } from "./secret-scanning.js";
import { normalizeChecked, nullFields, readNdjson } from "./test-helpers.js";

type Rec = AuditEventRecord | FindingRecord;

interface FileCase {
  file: string;
  lines: number;
  schema: z.ZodType<Rec>;
  normalize: (raw: JsonObject) => Rec;
  /** Fields that are null in every record because the alert kind has no such thing. */
  notApplicable: string[];
  /** Fields null in at least one record, and why. Exactly these (plus notApplicable) may be null. */
  nullWhen: Record<string, string>;
  extra?: (recs: Rec[], raws: JsonObject[]) => void;
}

const g = (...names: string[]): string[] => names.map((n) => `github.${n}`);
const a = (...names: string[]): string[] => names.map((n) => `artifact.${n}`);

const NOT_CODE_SCANNING = [
  ...a("package_name", "vulnerable_version_range", "first_patched_version"),
  ...g("ecosystem", "dependency_scope", "dependency_relationship", "ghsa_id", "cve_id", "epss_percentage", "epss_percentile"),
  ...g("secret_type", "secret_type_display_name", "validity", "publicly_leaked", "push_protection_bypassed"),
  ...g("push_protection_bypassed_by", "push_protection_bypassed_at", "cvss_score", "cvss_vector"),
];
const NOT_DEPENDABOT = g("tool", "rule_id", "rule_name", "secret_type", "secret_type_display_name", "validity", "publicly_leaked", "push_protection_bypassed", "push_protection_bypassed_by", "push_protection_bypassed_at");
const NOT_SECRET_SCANNING = [
  "severity_raw",
  ...a("package_name", "vulnerable_version_range", "first_patched_version"),
  ...g("tool", "rule_id", "rule_name", "ecosystem", "dependency_scope", "dependency_relationship", "ghsa_id", "cve_id"),
  ...g("epss_percentage", "epss_percentile", "cvss_score", "cvss_vector"),
];

const OPEN_ALERTS = "open alerts have no closure";
const ORG_EXPORT = {
  enterprise: "events exported before GitHub added `business` to org events",
  repository: "org, team and membership actions concern no repository",
  user: "only membership and team actions name an affected user",
  country_code: "some events carry no actor_location",
  operation_type: "older exports predate `operation_type`",
};

const audit = (scope: "org" | "enterprise", name: string) => (raw: JsonObject) => normalizeAuditEvent(raw, { scope, name });

const CASES: FileCase[] = [
  {
    file: "audit-test-api-request-events.log", lines: 2, schema: AuditEventRecord, normalize: audit("enterprise", "enterprise-account"), notApplicable: [],
    nullWhen: { repository: "api.request names a route, not a repo", user: "no affected user in api.request / repo.create", operation_type: "api.request has no operation_type" },
  },
  {
    file: "audit-test-audit-json.log", lines: 189, schema: AuditEventRecord, normalize: audit("org", "Example-Org"), notApplicable: [], nullWhen: ORG_EXPORT,
    extra: (recs) => {
      assert.ok(recs.every((r) => r.id.startsWith("sha256:")), "none of these old events has a _document_id");
      const git = recs.find((r) => r.kind === "audit_event" && r.action === "git.clone")!;
      assert.deepEqual([git.repository, git.org, git.actor], ["redacted/redacted", "redacted", "github-actions[bot]"]);
      assert.ok(recs.every((r) => r.org !== null), "events without `org` belong to the org being read");
    },
  },
  {
    file: "audit-test-enterprise-audit-eventhub.log", lines: 3, schema: AuditEventRecord, normalize: audit("enterprise", "user-enterprise"), notApplicable: [],
    nullWhen: {
      user: "no affected user in these actions",
      org: "audit_log_streaming.update is an enterprise-level event",
      repository: "audit_log_streaming.update concerns no repository",
    },
  },
  {
    file: "audit-test-enterprise-audit-json.log", lines: 21, schema: AuditEventRecord, normalize: audit("enterprise", "tech-enterprise"), notApplicable: [],
    nullWhen: {
      repository: "user, team and org actions concern no repository",
      user: "these records name affected users only by user_id",
      country_code: "actor_location has country_name and ip only",
      operation_type: "not present in these records",
    },
    extra: (recs) => {
      const repos = recs.map((r) => r.repository).filter((x) => x !== null);
      assert.ok(repos.includes("dev-group/project-alpha"), "bare `repository` qualified with the event's org");
      assert.ok(repos.every((x) => x.includes("/")));
    },
  },
  {
    file: "audit-test-organisation-audit-json.log", lines: 199, schema: AuditEventRecord, normalize: audit("org", "Example-Org"), notApplicable: [],
    nullWhen: { ...ORG_EXPORT, actor: "an anonymous git.clone (user_id 0) has no actor" },
    extra: (recs) => {
      const kept = recs.filter((r) => !r.id.startsWith("sha256:")).map((r) => r.id);
      assert.equal(kept.length, 8, "the 8 events with a _document_id keep it");
      assert.ok(kept.includes("vZYwluB4DhnHDp0RMY-eWA=="));
    },
  },
  {
    file: "code_scanning-test-ghas-code-scan-json.log", lines: 2, schema: FindingRecord, normalize: (r) => normalizeCodeScanningAlert(r), notApplicable: NOT_CODE_SCANNING,
    nullWhen: {
      org: "no org in the context and the owner octocat is a User", enterprise: "no enterprise in the context",
      actor: OPEN_ALERTS, updated_at: "2020-era rows have no updated_at",
      closed_at: OPEN_ALERTS, closed_by: OPEN_ALERTS, close_reason: OPEN_ALERTS, close_comment: OPEN_ALERTS,
    },
    extra: (recs) => assert.deepEqual(recs.map((r) => [r.repository, (r as FindingRecord).risk_level]), [["octocat/Hello-World", "HIGH"], ["octocat/Hello-World", "HIGH"]]),
  },
  {
    file: "code_scanning-test-ghas-code-scanning-json.log", lines: 6, schema: FindingRecord, normalize: (r) => normalizeCodeScanningAlert(r), notApplicable: NOT_CODE_SCANNING,
    nullWhen: {
      org: "no org in the context; rows without `repository` or with a User owner", enterprise: "no enterprise in the context",
      actor: OPEN_ALERTS, updated_at: "2020-era rows have no updated_at",
      closed_at: OPEN_ALERTS, closed_by: OPEN_ALERTS, close_reason: OPEN_ALERTS, close_comment: "open alerts, and #189 was dismissed without a comment",
    },
    extra: (recs) => {
      assert.deepEqual(recs.map((r) => r.repository), ["octocat/Hello-World", "octocat/Hello-World", ...Array(4).fill("sample_owner-org/sample_repo")]);
      const f = recs as FindingRecord[];
      assert.deepEqual(f.map((r) => r.risk_level), ["HIGH", "HIGH", "MEDIUM", "MEDIUM", "MEDIUM", "MEDIUM"], "security_severity_level wins over rule.severity error");
      assert.deepEqual(f[2]!.github.cwe, ["CWE-79"]);
    },
  },
  {
    file: "dependabot-test-ghas-dependabot-json.log", lines: 8, schema: FindingRecord, normalize: (r) => normalizeDependabotAlert(r), notApplicable: NOT_DEPENDABOT,
    nullWhen: {
      org: "kcreddy/juice-shop is a user's repository (isInOrganization false)", enterprise: "no enterprise in the context",
      actor: OPEN_ALERTS, html_url: "GraphQL nodes carry no alert URL", updated_at: "GraphQL nodes have no updatedAt",
      closed_at: OPEN_ALERTS, closed_by: OPEN_ALERTS, close_reason: OPEN_ALERTS, close_comment: "open alerts; the dismissal has no comment",
      "github.dependency_relationship": "these nodes predate dependencyRelationship", "github.epss_percentage": "these nodes predate EPSS",
      "github.epss_percentile": "these nodes predate EPSS", "github.cvss_score": "score 0 with a null vector means no CVSS",
      "github.cvss_vector": "score 0 with a null vector means no CVSS", "artifact.first_patched_version": "marsdb has no fixed version",
      "github.cve_id": "GHSA-5mrr-rgp6-x4gr has no CVE",
    },
    extra: (recs) => {
      const f = recs as FindingRecord[];
      assert.deepEqual(f.map((r) => `${r.number}:${r.state}:${r.severity_raw}:${r.risk_level}`), [
        "1:open:critical:CRITICAL", "2:open:moderate:MEDIUM", "3:open:moderate:MEDIUM", "4:open:high:HIGH",
        "5:open:critical:CRITICAL", "6:open:moderate:MEDIUM", "7:dismissed:moderate:MEDIUM", "8:open:high:HIGH",
      ]);
      assert.ok(f.every((r) => r.github.ecosystem === "npm" && r.github.dependency_scope === "runtime"));
    },
  },
  {
    file: "secret_scanning-test-ghas-secret-scanning-json.log", lines: 9, schema: FindingRecord,
    normalize: (r) => normalizeSecretScanningAlert(r), notApplicable: NOT_SECRET_SCANNING,
    nullWhen: {
      org: "repo-level rows: no repository object and no org in the context", enterprise: "no enterprise in the context",
      updated_at: "2020-era rows have no updated_at", close_comment: "rows predate resolution_comment",
      "artifact.path": "repo-level rows carry no first_location_detected", "github.validity": "rows predate validity checks",
      "github.publicly_leaked": "rows predate public-leak detection", actor: "open alerts nobody bypassed push protection for",
      closed_at: OPEN_ALERTS, closed_by: OPEN_ALERTS, close_reason: OPEN_ALERTS,
      "github.push_protection_bypassed_by": "push protection was not bypassed", "github.push_protection_bypassed_at": "push protection was not bypassed",
    },
    extra: (recs) => {
      const f = recs as FindingRecord[];
      assert.ok(f.every((r) => r.risk_level === "HIGH" && r.risk_score === 8.9));
      assert.deepEqual(f.filter((r) => r.github.push_protection_bypassed).map((r) => r.github.push_protection_bypassed_by), ["monalisa", "kcreddy"]);
    },
  },
];

describe("elastic-github test data", () => {
  for (const c of CASES) {
    it(`${c.file}: every line normalizes, validates, keeps raw, and nulls only where explained`, () => {
      const raws = readNdjson(c.file);
      assert.equal(raws.length, c.lines);
      const recs = raws.map((raw) => normalizeChecked(c.schema, raw, c.normalize));
      assert.equal(new Set(recs.map((r) => r.id)).size, recs.length, "ids are unique within the file");
      const seen = new Set<string>();
      for (const r of recs) for (const f of nullFields(r)) seen.add(f);
      for (const f of c.notApplicable) assert.ok(recs.every((r) => nullFields(r).includes(f)), `${f} is null in every record`);
      assert.deepEqual([...seen].sort(), [...new Set([...c.notApplicable, ...Object.keys(c.nullWhen)])].sort());
      c.extra?.(recs, raws);
    });
  }

  it("covers every audit, code scanning, Dependabot and secret scanning file", async () => {
    const { readdirSync } = await import("node:fs");
    const { ELASTIC_DIR } = await import("./test-helpers.js");
    const wanted = readdirSync(ELASTIC_DIR).filter((f) => /^(audit|code_scanning|dependabot|secret_scanning)-.*\.log$/.test(f)).sort();
    assert.deepEqual(CASES.map((c) => c.file).sort(), wanted);
  });
});
