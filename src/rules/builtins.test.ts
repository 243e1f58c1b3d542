// The built-in heuristics table (docs/rules.md), row by row, on realistic audit events and code scanning alerts.
import { join } from "node:path";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { RiskLevel } from "../core/records.js";
import { normalizeCodeScanningAlert } from "../pipeline/normalize/index.js";
import { createRuleEngine } from "./engine.js";
import type { Json } from "./fields.js";
import { auditEvent, readNdjson, TESTDATA } from "./test-support.js";
import type { EvaluationResult } from "./types.js";

const engine = createRuleEngine({
  builtins: { allowedApps: ["Datadog CI", 4242], defaultBranch: (repo) => (repo === "octo-org/legacy" ? "develop" : undefined) },
});
const run = (action: string, fields: Json = {}) => engine.evaluate(auditEvent(action, fields));
const ids = (r: EvaluationResult) => r.detections.map((d) => d.ruleId);

function expectRow(r: EvaluationResult, severity: RiskLevel, ruleId: string | null, drop = false): void {
  assert.equal(r.severity, severity);
  assert.deepEqual(ids(r), ruleId === null ? [] : [ruleId]);
  assert.equal(r.drop, drop);
  for (const d of r.detections) assert.deepEqual([d.source, d.severity, d.level], ["builtin", severity, severity.toLowerCase()]);
}

describe("built-in heuristics", () => {
  it("org.add_member granting admin is HIGH; a plain member is not", () => {
    expectRow(run("org.add_member", { user: "hubot", permission: "admin" }), "HIGH", "ghaudit.org-admin-granted");
    expectRow(run("org.add_member", { user: "hubot", data: { permission: "admin" } }), "HIGH", "ghaudit.org-admin-granted");
    expectRow(run("org.add_member", { user: "hubot", permission: "read" }), "INFO", null);
    expectRow(run("org.add_member", { user: "hubot" }), "INFO", null);
    expectRow(run("org.update_member", { user: "hubot", permission: "admin", old_permission: "read" }), "HIGH", "ghaudit.org-admin-granted");
    expectRow(run("org.update_member", { user: "hubot", permission: "read", old_permission: "admin" }), "INFO", null);
    expectRow(run("business.add_admin", { user: "hubot" }), "HIGH", "ghaudit.org-admin-granted");
  });

  it("org.disable_two_factor_requirement is HIGH; enabling it is not", () => {
    const r = run("org.disable_two_factor_requirement");
    expectRow(r, "HIGH", "ghaudit.feature-off.two-factor-requirement");
    assert.equal(r.detections[0]!.ruleTitle, "Two-factor authentication requirement turned off for octo-org");
    expectRow(run("org.enable_two_factor_requirement"), "INFO", null);
    expectRow(run("business.disable_two_factor_requirement"), "HIGH", "ghaudit.feature-off.two-factor-requirement");
  });

  it("repo.access from private or internal to public is HIGH; other visibility changes are kept at INFO", () => {
    const repo = { repo: "octo-org/api", repo_id: 99 };
    expectRow(run("repo.access", { ...repo, visibility: "public", previous_visibility: "private" }), "HIGH", "ghaudit.repo-made-public");
    expectRow(run("repo.access", { ...repo, visibility: "public", previous_visibility: "internal" }), "HIGH", "ghaudit.repo-made-public");
    expectRow(run("repo.access", { ...repo, visibility: "public" }), "HIGH", "ghaudit.repo-made-public");
    const down = run("repo.access", { ...repo, visibility: "private", previous_visibility: "public" });
    expectRow(down, "INFO", null);
    assert.deepEqual(down.tags, ["visibility-change"]);
    expectRow(run("repo.access", { ...repo, previous_visibility: "private" }), "INFO", null);
  });

  it("a public repository created is LOW, a private one INFO", () => {
    expectRow(run("repo.create", { repo: "octo-org/site", visibility: "public" }), "LOW", "ghaudit.public-repo-created");
    expectRow(run("repo.create", { repo: "octo-org/site", visibility: "private" }), "INFO", null);
  });

  it("org.update_actions_secret is MEDIUM (repository secrets are not)", () => {
    expectRow(run("org.update_actions_secret", { name: "NPM_TOKEN" }), "MEDIUM", "ghaudit.org-actions-secret-updated");
    expectRow(run("repo.update_actions_secret", { name: "NPM_TOKEN", repo: "octo-org/api" }), "INFO", null);
  });

  it("protected_branch.destroy on the default branch is MEDIUM, on another branch LOW", () => {
    const destroy = (repo: string, name?: string) => run("protected_branch.destroy", { repo, ...(name === undefined ? {} : { name }) });
    expectRow(destroy("octo-org/api", "main"), "MEDIUM", "ghaudit.branch-protection-deleted");
    expectRow(destroy("octo-org/api", "master"), "MEDIUM", "ghaudit.branch-protection-deleted");
    expectRow(destroy("octo-org/api", "release/*"), "LOW", "ghaudit.branch-protection-deleted");
    expectRow(destroy("octo-org/legacy", "develop"), "MEDIUM", "ghaudit.branch-protection-deleted");
    expectRow(destroy("octo-org/legacy", "main"), "LOW", "ghaudit.branch-protection-deleted");
    const unknown = destroy("octo-org/api");
    expectRow(unknown, "MEDIUM", "ghaudit.branch-protection-deleted");
    assert.ok(unknown.tags.includes("branch-unknown"));
    expectRow(run("protected_branch.destroy", { repo: "octo-org/api", branch: "refs/heads/main" }), "MEDIUM", "ghaudit.branch-protection-deleted");
  });

  it("an OAuth app or GitHub App not on the allow-list is MEDIUM", () => {
    expectRow(run("oauth_application.create", { name: "Totally Legit Sync", oauth_application_id: 1234567 }), "MEDIUM", "ghaudit.app-not-allowed");
    expectRow(run("integration_installation.create", { name: "Microsoft Teams for GitHub" }), "MEDIUM", "ghaudit.app-not-allowed");
    const allowed = run("integration_installation.create", { name: "datadog ci" });
    expectRow(allowed, "INFO", null);
    assert.ok(allowed.tags.includes("allowed-app"));
    expectRow(run("oauth_application.create", { name: "Renamed", oauth_application_id: 4242 }), "INFO", null);
    expectRow(run("integration_installation.destroy", { name: "Microsoft Teams for GitHub" }), "INFO", null);
  });

  it("turning off secret scanning, push protection, Dependabot alerts or Advanced Security is HIGH at every scope", () => {
    const cases: [string, string, string][] = [
      ["secret_scanning.disable", "secret-scanning", "scope:org"],
      ["secret_scanning_new_repos.disable", "secret-scanning", "scope:org"],
      ["repository_secret_scanning.disable", "secret-scanning", "scope:repository"],
      ["business_secret_scanning.disabled_for_new_repos", "secret-scanning", "scope:enterprise"],
      ["org.secret_scanning_push_protection_disable", "push-protection", "scope:org"],
      ["org.secret_scanning_push_protection_new_repos_disable", "push-protection", "scope:org"],
      ["repository_secret_scanning_push_protection.disable", "push-protection", "scope:repository"],
      ["business_secret_scanning_push_protection.disable", "push-protection", "scope:enterprise"],
      ["dependabot_alerts.disable", "dependabot-alerts", "scope:org"],
      ["dependabot_alerts_new_repos.disable", "dependabot-alerts", "scope:org"],
      ["repository_vulnerability_alerts.disable", "dependabot-alerts", "scope:repository"],
      ["business_dependabot_alerts_new_repos.disable", "dependabot-alerts", "scope:enterprise"],
      ["org.advanced_security_disabled_on_all_repos", "advanced-security", "scope:org"],
      ["org.advanced_security_disabled_for_new_repos", "advanced-security", "scope:org"],
      ["repo.advanced_security_disabled", "advanced-security", "scope:repository"],
      ["business_advanced_security.user_namespace_repos_disabled", "advanced-security", "scope:enterprise"],
    ];
    for (const [action, feature, scope] of cases) {
      const r = run(action, { repo: "octo-org/api" });
      expectRow(r, "HIGH", `ghaudit.feature-off.${feature}`);
      assert.ok(r.tags.includes(scope) && r.tags.includes("security-feature-off"), `${action}: ${r.tags.join(",")}`);
    }
    expectRow(run("repository_secret_scanning.enable", { repo: "octo-org/api" }), "INFO", null);
    expectRow(run("business_advanced_security.enabled"), "INFO", null);
  });

  it("secret_scanning_push_protection.bypass is MEDIUM", () => {
    expectRow(run("secret_scanning_push_protection.bypass", { repo: "octo-org/api" }), "MEDIUM", "ghaudit.push-protection-bypassed");
  });

  it("routine repo.access reads and git.* are dropped, unless configured otherwise", () => {
    expectRow(run("git.clone", { repository: "octo-org/api", transport_protocol_name: "http" }), "INFO", null, true);
    expectRow(run("git.push", { repository: "octo-org/api" }), "INFO", null, true);
    expectRow(run("repo.access", { repo: "octo-org/api" }), "INFO", null, true);
    expectRow(run("repo.download_zip", { repo: "octo-org/api" }), "INFO", null, false);
    const keep = createRuleEngine({ builtins: { dropNoise: false } });
    assert.equal(keep.evaluate(auditEvent("git.clone", { repository: "octo-org/api" })).drop, false);
    assert.equal(keep.evaluate(auditEvent("repo.access", { repo: "octo-org/api" })).drop, false);
    const more = createRuleEngine({ builtins: { noiseActions: ["git.*", "workflows.*"] } });
    assert.equal(more.evaluate(auditEvent("workflows.completed_workflow_run")).drop, true);
    assert.equal(more.evaluate(auditEvent("git.fetch")).drop, true);
  });

  it("can be switched off one rule, one feature or all at once", () => {
    const some = createRuleEngine({ builtins: { disabled: ["ghaudit.public-repo-created", "ghaudit.feature-off.secret-scanning"] } });
    assert.equal(some.evaluate(auditEvent("repo.create", { visibility: "public" })).severity, "INFO");
    assert.equal(some.evaluate(auditEvent("secret_scanning.disable")).severity, "INFO");
    assert.equal(some.evaluate(auditEvent("dependabot_alerts.disable")).severity, "HIGH");
    const none = createRuleEngine({ builtins: { enabled: false } });
    const r = none.evaluate(auditEvent("git.clone"));
    assert.deepEqual([r.severity, r.drop], ["INFO", false]);
    assert.equal(none.evaluate(auditEvent("org.disable_two_factor_requirement")).severity, "INFO");
    assert.equal(none.rules().length, 0);
  });
});

describe("built-in heuristics for code scanning alerts", () => {
  const base = readNdjson(join(TESTDATA, "elastic-github", "code_scanning-test-ghas-code-scanning-json.log"));
  const alert = (rule: Json, tool = "CodeQL") => {
    const raw = structuredClone(base[0]!);
    raw.rule = { ...(raw.rule as Json), ...rule };
    raw.tool = { ...(raw.tool as Json), name: tool };
    return engine.evaluateFinding(normalizeCodeScanningAlert(raw));
  };

  it("critical from CodeQL is HIGH, error is MEDIUM, the rest INFO", () => {
    const critical = alert({ severity: "error", security_severity_level: "critical" });
    assert.equal(critical.severity, "HIGH");
    assert.deepEqual(critical.detections.map((d) => d.ruleId), ["ghaudit.codeql-critical", "ghaudit.code-scanning-error"]);
    assert.equal(alert({ severity: "warning", security_severity_level: "critical" }).severity, "HIGH");
    assert.equal(alert({ severity: "error", security_severity_level: "medium" }).severity, "MEDIUM");
    assert.equal(alert({ severity: "error" }).severity, "MEDIUM");
    assert.equal(alert({ severity: "warning", security_severity_level: "high" }).severity, "INFO");
    assert.equal(alert({ severity: "note" }).severity, "INFO");
    assert.equal(alert({ severity: "warning", security_severity_level: "critical" }, "Semgrep").severity, "INFO");
    assert.equal(alert({ severity: "error", security_severity_level: "critical" }, "Semgrep").severity, "MEDIUM");
  });

  it("every alert in Elastic's code scanning data evaluates (all are CodeQL `error`: MEDIUM)", () => {
    for (const raw of base) assert.equal(engine.evaluateFinding(normalizeCodeScanningAlert(raw)).severity, "MEDIUM");
  });
});
