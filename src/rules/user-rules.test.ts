// User rules: the YAML format, matching, effects combined with the built-in rules, and validation errors.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "../core/errors.js";
import { createRuleEngine } from "./engine.js";
import type { Json } from "./fields.js";
import { auditEvent, withTempDir, writeFile } from "./test-support.js";
import { loadUserRules, parseUserRules, type UserRuleProblem } from "./user-rules.js";

const engineFor = (yaml: string) => createRuleEngine({ userRules: parseUserRules(yaml, "rules.yml") });
const matches = (yaml: string, action: string, fields: Json = {}) =>
  engineFor(yaml).explain(auditEvent(action, fields)).matched.some((m) => m.source === "user");
const one = (match: string) => `rules:\n  - id: r\n    tags: [hit]\n    match:\n${match.replace(/^/gm, "      ")}\n`;

describe("user rule matching", () => {
  it("action: exact, list, glob, prefix (case-insensitive)", () => {
    assert.ok(matches(one("action: org.update_actions_secret"), "org.update_actions_secret"));
    assert.ok(!matches(one("action: org.update_actions_secret"), "org.update_actions_secret_x"));
    assert.ok(matches(one("action: [repo.create, repo.destroy]"), "repo.destroy"));
    assert.ok(matches(one("action: '*.update_actions_secret'"), "environment.update_actions_secret"));
    assert.ok(!matches(one("action: '*.update_actions_secret'"), "org.create_actions_secret"));
    assert.ok(matches(one("action: { prefix: protected_branch. }"), "protected_branch.destroy"));
    assert.ok(matches(one("action: { glob: 'repo.?reate' }"), "REPO.CREATE"));
    assert.ok(!matches(one("action: { prefix: [org., team.] }"), "repo.create"));
  });

  it("field: record fields, raw paths and bare raw names", () => {
    const fields = { repo: "octo-org/api", visibility: "public", actor_location: { country_code: "RU" }, data: { team: "octo-org/admins" } };
    assert.ok(matches(one("field: repository\nequals: octo-org/api"), "repo.create", fields));
    assert.ok(matches(one("field: raw.visibility\nequals: public"), "repo.create", fields));
    assert.ok(matches(one("field: visibility\nequals: public"), "repo.create", fields));
    assert.ok(matches(one("field: country_code\nin: [RU, KP]"), "repo.create", fields));
    assert.ok(matches(one("field: raw.actor_location.country_code\nequals: RU"), "repo.create", fields));
    assert.ok(matches(one("field: data.team\ncontains: admins"), "repo.create", fields));
    assert.ok(!matches(one("field: visibility\nequals: private"), "repo.create", fields));
  });

  it("operators: equals, in, contains, regex, exists, ignore_case", () => {
    const f = { user_agent: "python-requests/2.31", permission: "admin", alert_number: 7 };
    assert.ok(matches(one("field: permission\nequals: admin"), "repo.add_member", f));
    assert.ok(!matches(one("field: permission\nequals: ADMIN"), "repo.add_member", f));
    assert.ok(matches(one("field: permission\nequals: ADMIN\nignore_case: true"), "repo.add_member", f));
    assert.ok(matches(one("field: alert_number\nequals: 7"), "repo.add_member", f));
    assert.ok(matches(one("field: alert_number\nin: [1, 7]"), "repo.add_member", f));
    assert.ok(matches(one("field: user_agent\ncontains: requests"), "repo.add_member", f));
    assert.ok(matches(one("field: user_agent\nregex: '^python-(requests|urllib)/'"), "repo.add_member", f));
    assert.ok(!matches(one("field: user_agent\nregex: '^curl/'"), "repo.add_member", f));
    assert.ok(matches(one("field: actor_ip\nexists: false"), "repo.add_member", f));
    assert.ok(!matches(one("field: user_agent\nexists: false"), "repo.add_member", f));
    assert.ok(matches(one("field: hashed_token\nequals: null"), "repo.add_member", f));
  });

  it("all, any, not (and a list meaning all)", () => {
    const cond = "all:\n  - action: { prefix: repo. }\n  - any:\n      - field: actor\n        equals: hubot\n      - field: actor\n        equals: mona\n  - not:\n      field: repository\n      equals: octo-org/sandbox";
    assert.ok(matches(one(cond), "repo.destroy", { repo: "octo-org/api" }));
    assert.ok(!matches(one(cond), "repo.destroy", { repo: "octo-org/sandbox" }));
    assert.ok(!matches(one(cond), "org.add_member", { repo: "octo-org/api" }));
    assert.ok(!matches(one(cond), "repo.destroy", { repo: "octo-org/api", actor: "eve" }));
    assert.ok(matches(one("- action: repo.destroy\n- field: repository\n  equals: octo-org/api"), "repo.destroy", { repo: "octo-org/api" }));
  });

  it("severity and tags decided by the built-in rules are visible to user rules", () => {
    const e = engineFor("rules:\n  - id: page-high\n    match: { field: severity, in: [high, CRITICAL] }\n    routes: [pagerduty]\n");
    assert.deepEqual(e.evaluate(auditEvent("secret_scanning.disable")).routes, ["pagerduty"]);
    assert.deepEqual(e.evaluate(auditEvent("repo.create")).routes, []);
  });
});

describe("user rule effects", () => {
  const e = engineFor(`
rules:
  - id: secrets-prod
    title: Production secrets changed
    match:
      all:
        - action: '*.update_actions_secret'
        - field: repository
          equals: octo-org/prod
    severity: high
    tags: [prod]
    routes: [splunk, slack-security]
  - id: low-noise-secrets
    match: { action: org.update_actions_secret }
    severity: low
    routes: [splunk]
  - id: trusted-bot
    match:
      all:
        - field: actor
          equals: deploy-bot
        - action: { prefix: org. }
    set_severity: info
  - id: keep-prod-clones
    match:
      all:
        - action: git.clone
        - field: repository
          equals: octo-org/prod
    drop: false
    routes: [s3-archive]
  - id: drop-dependabot-pushes
    match:
      all:
        - action: git.push
        - field: actor
          equals: dependabot[bot]
    drop: true
    severity: low
`);

  it("severity raises to the highest of built-in and user rules; hits are detections", () => {
    const r = e.evaluate(auditEvent("repo.update_actions_secret", { repo: "octo-org/prod" }));
    assert.equal(r.severity, "HIGH");
    assert.deepEqual(r.tags, ["prod"]);
    assert.deepEqual(r.routes, ["splunk", "slack-security"]);
    assert.deepEqual(r.detections.map((d) => [d.ruleId, d.ruleTitle, d.level, d.severity, d.source]), [["secrets-prod", "Production secrets changed", "high", "HIGH", "user"]]);
    const org = e.evaluate(auditEvent("org.update_actions_secret"));
    assert.equal(org.severity, "MEDIUM", "built-in MEDIUM beats the user rule's LOW");
    assert.deepEqual(org.detections.map((d) => d.ruleId), ["ghaudit.org-actions-secret-updated", "low-noise-secrets"]);
  });

  it("set_severity wins over everything, even lower", () => {
    const r = e.evaluate(auditEvent("org.disable_two_factor_requirement", { actor: "deploy-bot" }));
    assert.equal(r.severity, "INFO");
    assert.ok(r.detections.some((d) => d.ruleId === "ghaudit.feature-off.two-factor-requirement"), "the built-in detection is still reported");
    assert.equal(e.evaluate(auditEvent("org.disable_two_factor_requirement")).severity, "HIGH");
  });

  it("drop: false keeps routine events, drop: true drops (without a detection)", () => {
    const kept = e.evaluate(auditEvent("git.clone", { repository: "octo-org/prod" }));
    assert.deepEqual([kept.drop, kept.routes], [false, ["s3-archive"]]);
    assert.equal(e.evaluate(auditEvent("git.clone", { repository: "octo-org/api" })).drop, true);
    const dropped = e.evaluate(auditEvent("git.push", { repository: "octo-org/api", actor: "dependabot[bot]" }));
    assert.deepEqual([dropped.drop, dropped.detections.length], [true, 0]);
  });

  it("a detection keeps a routine event from being dropped", () => {
    const watch = engineFor("rules:\n  - id: prod-clone\n    match: { all: [{ action: git.clone }, { field: repository, equals: octo-org/prod }] }\n    severity: medium\n");
    assert.equal(watch.evaluate(auditEvent("git.clone", { repository: "octo-org/prod" })).drop, false);
  });

  it("the last matching set_severity wins; disabled rules are ignored", () => {
    const x = engineFor("rules:\n  - match: { action: repo.create }\n    set_severity: high\n  - match: { action: repo.create }\n    set_severity: low\n  - match: { action: repo.create }\n    enabled: false\n    set_severity: critical\n");
    const r = x.evaluate(auditEvent("repo.create"));
    assert.equal(r.severity, "LOW");
    assert.deepEqual(r.detections.map((d) => d.ruleId), ["rules.yml#1", "rules.yml#2"]);
  });
});

describe("user rule validation", () => {
  const problemsOf = (yaml: string, sinks?: string[]): UserRuleProblem[] => {
    try {
      parseUserRules(yaml, "team-rules.yml", sinks ? { sinks } : {});
    } catch (err) {
      assert.ok(err instanceof AppError && err.code === "config-invalid");
      return (err.details as { problems: UserRuleProblem[] }).problems;
    }
    return assert.fail("expected config-invalid");
  };

  it("reports every problem at once, naming the file, the rule (id or position) and the field", () => {
    const yaml = `
rules:
  - id: bad-regex
    match: { field: user_agent, regex: '(unclosed' }
    severity: high
  - match: { action: repo.create }
    severity: urgent
    colour: red
  - id: nothing
    match: { action: repo.create }
  - id: two-kinds
    match: { action: repo.create, field: actor, equals: x }
    tags: [a]
  - id: both
    match: { all: [] }
    severity: high
    set_severity: low
  - id: no-op
    match: { field: actor, equals: a, contains: b }
    routes: [splunk, nowhere]
  - id: bad-regex
    tags: [dup]
`;
    const problems = problemsOf(yaml, ["splunk"]);
    const lines = problems.map((p) => `${p.file} | ${p.rule} | ${p.field} | ${p.message}`);
    const expect = [
      /^team-rules.yml \| rule "bad-regex" \(#1\) \| match.regex \| invalid regular expression/,
      /^team-rules.yml \| rule #2 \| severity \| unknown severity "urgent"/,
      /^team-rules.yml \| rule #2 \| colour \| unknown key/,
      /^team-rules.yml \| rule "nothing" \(#3\) \| \(rule\) \| the rule does nothing/,
      /^team-rules.yml \| rule "two-kinds" \(#4\) \| match \| a condition needs exactly one of .* \(got action, field\)/,
      /^team-rules.yml \| rule "both" \(#5\) \| match.all \| all needs at least one condition/,
      /^team-rules.yml \| rule "both" \(#5\) \| set_severity \| give severity \(raise\) or set_severity/,
      /^team-rules.yml \| rule "no-op" \(#6\) \| match \| give exactly one of equals, in, contains, regex, exists \(got equals, contains\)/,
      /^team-rules.yml \| rule "no-op" \(#6\) \| routes\[1\] \| unknown sink "nowhere"/,
      /^team-rules.yml \| rule "bad-regex" \(#7\) \| match \| required/,
      /^team-rules.yml \| rule "bad-regex" \(#7\) \| id \| duplicate id \(rule #1 has it too\)/,
    ];
    for (const re of expect) assert.ok(lines.some((l) => re.test(l)), `${re} in\n${lines.join("\n")}`);
    assert.equal(problems.length, expect.length, lines.join("\n"));
  });

  it("duplicate ids and unknown sinks are reported with the rule", () => {
    const yaml = "rules:\n  - id: a\n    match: { action: x.y }\n    routes: [splunk, nowhere]\n  - id: a\n    match: { action: x.z }\n    tags: [t]\n";
    const lines = problemsOf(yaml, ["splunk"]).map((p) => `${p.rule} | ${p.field} | ${p.message}`);
    assert.deepEqual(lines, [
      'rule "a" (#1) | routes[1] | unknown sink "nowhere" (configured: splunk)',
      'rule "a" (#2) | id | duplicate id (rule #1 has it too)',
    ]);
  });

  it("YAML syntax errors name the line", () => {
    const [p] = problemsOf("rules:\n  - id: a\n    match: { action: x\n");
    assert.equal(p!.rule, null);
    assert.match(`${p!.field}: ${p!.message}`, /^line \d+, column \d+: YAML: /);
  });

  it("the error message lists every problem with its file and rule", () => {
    assert.throws(
      () => parseUserRules("rules:\n  - id: x\n    match: { action: a.b }\n    severity: loud\n  - match: 3\n    tags: [t]\n", "ops.yml"),
      (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, "config-invalid");
        assert.match(err.message, /^Invalid user rules in ops.yml \(2 problems\):/);
        assert.match(err.message, /ops.yml: rule "x" \(#1\), severity: unknown severity "loud"/);
        assert.match(err.message, /ops.yml: rule #2, match: a condition is a mapping/);
        return true;
      },
    );
  });

  it("loads from a file (and says so when the file is missing)", () => {
    withTempDir((dir) => {
      const file = writeFile(dir, "rules.yml", "rules:\n  - id: a\n    match: { action: repo.destroy }\n    severity: high\n");
      const rules = loadUserRules(file);
      assert.deepEqual(rules.map((r) => [r.ruleId, r.file, r.index, r.severity]), [["a", file, 1, "HIGH"]]);
      assert.throws(() => loadUserRules(`${dir}/missing.yml`), (err: unknown) => err instanceof AppError && err.code === "config-invalid" && err.message.includes("missing.yml"));
      assert.deepEqual(loadUserRules(writeFile(dir, "empty.yml", "")), []);
    });
  });
});
