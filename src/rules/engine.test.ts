// The engine as the pipeline uses it: Elastic's audit events end to end, detections into the store, rules test, config.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it, test } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "../core/errors.js";
import { AuditEventRecord } from "../core/records.js";
import { forEachDialect } from "../store/testing.js";
import { loadRules, RulesSettings } from "./config.js";
import { toDetectionInput } from "./detections.js";
import { createRuleEngine } from "./engine.js";
import { formatRulesTest, rulesTest, rulesTestStream } from "./rules-test.js";
import { loadSigmaDirectory } from "./sigma-load.js";
import { auditEvent, normalized, readNdjson, SIGMA_DIR, TESTDATA, withTempDir, writeFile } from "./test-support.js";
import { parseUserRules } from "./user-rules.js";

const ELASTIC = join(TESTDATA, "elastic-github");
const USER_RULES = `
rules:
  - id: external-country
    match: { not: { field: country_code, in: [US, DE] } }
    tags: [outside-usual-countries]
  - id: admin-changes-to-siem
    match: { field: severity, in: [HIGH, CRITICAL] }
    routes: [splunk]
  - id: bot-user-agents
    match: { field: raw.user_agent, regex: '(?:curl|python-requests|CodePipeline)', ignore_case: true }
    severity: low
`;

function elasticEvents(): AuditEventRecord[] {
  const files = readdirSync(ELASTIC).filter((f) => f.startsWith("audit-")).sort();
  assert.equal(files.length, 5);
  return files.flatMap((f) =>
    readNdjson(join(ELASTIC, f)).map((raw) => normalized(raw, f.includes("enterprise") ? "enterprise" : "org", f.includes("enterprise") ? "enterprise-account" : "Example-Org")),
  );
}

describe("engine over Elastic's GitHub audit events", () => {
  const events = elasticEvents();
  const engine = createRuleEngine({ sigmaRules: loadSigmaDirectory(SIGMA_DIR).rules, userRules: parseUserRules(USER_RULES, "user.yml") });

  it("every event evaluates without error and the verdicts are well-formed", () => {
    assert.equal(events.length, 414);
    const report = rulesTest(engine, events);
    assert.deepEqual(report.errors, []);
    assert.equal(report.events, 414);
    for (const e of events) {
      const r = engine.evaluate(e);
      assert.ok(AuditEventRecord.shape.severity.safeParse(r.severity).success);
      assert.equal(new Set(r.tags).size, r.tags.length, "no duplicate tags");
      assert.equal(r.routes.includes("splunk"), r.severity === "HIGH" || r.severity === "CRITICAL");
      assert.equal(e.severity, "INFO", "the record itself is not changed");
    }
  });

  it("rates the events we know about", () => {
    const verdicts = events.map((e) => [e, engine.evaluate(e)] as const);
    const find = (action: string) => verdicts.filter(([e]) => e.action === action).map(([, r]) => r);
    assert.ok(find("repository_vulnerability_alerts.disable").every((r) => r.severity === "HIGH"));
    assert.ok(find("integration_installation.create").every((r) => r.severity === "MEDIUM"));
    assert.ok(find("secret_scanning_alert.create").every((r) => r.severity === "MEDIUM"));
    assert.ok(find("git.clone").every((r) => r.drop));
    assert.ok(find("repo.access").every((r) => r.drop), "repo.access without visibility fields is a routine read");
    const admins = verdicts.filter(([e]) => e.action === "org.add_member" && e.raw.permission === "admin");
    assert.equal(admins.length, 1);
    assert.equal(admins[0]![1].severity, "HIGH");
    const members = verdicts.filter(([e]) => e.action === "org.add_member" && e.raw.permission === undefined);
    assert.ok(members.length > 10 && members.every(([, r]) => r.detections.some((d) => d.source === "sigma" && d.level === "informational")));
    const pipeline = verdicts.find(([e]) => e.action === "org.update_member")![1];
    assert.deepEqual([pipeline.severity, pipeline.detections.map((d) => d.ruleId)], ["LOW", ["bot-user-agents"]]);
  });

  it("rules test over a stream of events (the CLI reads the store one event at a time) reports the same", async () => {
    async function* one() {
      for (const e of events) yield e;
    }
    const streamed = await rulesTestStream(engine, one(), { sources: ["sigma", "user"], examples: 2 });
    assert.deepEqual(streamed, rulesTest(engine, events, { sources: ["sigma", "user"], examples: 2 }));
    assert.equal(streamed.events, events.length);
  });

  it("rules test shows which events each rule matched", () => {
    const report = rulesTest(engine, events, { sources: ["sigma", "user"], examples: 2 });
    const row = (id: string) => report.rules.find((r) => r.ruleId === id)!;
    assert.equal(row("34e1c7d4-0cd5-419d-9f1b-1dad3f61018d").matches, 4);
    assert.equal(row("34e1c7d4-0cd5-419d-9f1b-1dad3f61018d").examples.length, 2);
    assert.equal(row("02cf536a-cf21-4876-8842-4159c8aee3cc").matches, 0, "no push protection bypass in this data");
    assert.equal(row("admin-changes-to-siem").matches, report.bySeverity.HIGH);
    assert.ok(report.rules.every((r) => r.source !== "builtin"));
    const text = formatRulesTest(report);
    assert.match(text, /^414 events: \d+ dropped, \d+ routed; CRITICAL 0, HIGH \d+/);
    assert.match(text, /✓ 34e1c7d4-0cd5-419d-9f1b-1dad3f61018d \(sigma\) Outdated Dependency Or Vulnerability Alert Disabled: 4 matches/);
    assert.match(text, /· 02cf536a-cf21-4876-8842-4159c8aee3cc \(sigma\)/);
    assert.match(text, /#\d+ repository_vulnerability_alerts.disable by github-actor on Example-Org\/repo-123 -> detection high/);
  });
});

describe("engine options", () => {
  it("Sigma levels raise the severity only when asked", () => {
    const sigma = loadSigmaDirectory(SIGMA_DIR).rules;
    const e = auditEvent("repo.pages_public", { repo: "octo-org/site" });
    assert.equal(createRuleEngine({ sigmaRules: sigma }).evaluate(e).severity, "INFO");
    assert.equal(createRuleEngine({ sigmaRules: sigma, sigmaRaisesSeverity: true }).evaluate(e).severity, "LOW");
  });

  it("built-in detections link GitHub's audit-log docs; rules test lists only audit-event rules", () => {
    const e = createRuleEngine();
    const hit = e.evaluate(auditEvent("secret_scanning.disable")).detections[0]!;
    assert.ok(hit.references.length === 2 && hit.references.every((r) => r.startsWith("https://docs.github.com/")));
    const ids = rulesTest(e, [auditEvent("repo.create")]).rules.map((r) => r.ruleId);
    assert.ok(ids.includes("ghaudit.repo-made-public") && !ids.includes("ghaudit.codeql-critical"));
  });

  it("explain lists every rule that matched and what it did", () => {
    const e = createRuleEngine({ userRules: parseUserRules("rules:\n  - id: tag-git\n    match: { action: 'git.*' }\n    tags: [git]\n", "u.yml") });
    const x = e.explain(auditEvent("git.clone", { repository: "octo-org/api" }));
    assert.deepEqual(x.matched, [
      { ruleId: "ghaudit.noise", source: "builtin", effect: "routine" },
      { ruleId: "tag-git", source: "user", effect: "tags git" },
    ]);
    assert.deepEqual([x.drop, x.tags], [true, ["git"]]);
  });

  it("lists its rules", () => {
    const e = createRuleEngine({ sigmaRules: loadSigmaDirectory(SIGMA_DIR).rules, builtins: { disabled: ["ghaudit.feature-off"] } });
    const ids = e.rules().map((r) => r.ruleId);
    assert.ok(ids.includes("ghaudit.repo-made-public") && ids.includes("ghaudit.codeql-critical"));
    assert.ok(!ids.some((id) => id.startsWith("ghaudit.feature-off")));
    assert.equal(e.rules().filter((r) => r.source === "sigma").length, 15);
  });
});

forEachDialect("detections from the rules engine", (dialect) => {
  test("a hit maps onto the store's DetectionInput and reads back with its attribution", () =>
    dialect.withStore(async (store) => {
      const engine = createRuleEngine({ sigmaRules: loadSigmaDirectory(SIGMA_DIR).rules });
      const record = auditEvent("secret_scanning.disable");
      const at = Date.parse(record.timestamp);
      await store.auditEvents.insert([{ scope: "org", scopeName: "octo-org", action: record.action, at, raw: record.raw, normalized: record }]);
      const hits = engine.evaluate(record).detections;
      assert.equal(hits.length, 2);
      const { inserted, ids } = await store.detections.insert(hits.map((h) => toDetectionInput(h, record)));
      assert.equal(inserted, 2);
      const sigma = (await Promise.all(ids.map((id) => store.detections.get(id)))).find((d) => d?.ruleId === "3883d9a0-fd0f-440f-afbb-445a2a799bb8")!;
      assert.deepEqual([sigma.ruleTitle, sigma.level, sigma.severity, sigma.at], ["Github Secret Scanning Feature Disabled", "high", "HIGH", at]);
      assert.deepEqual(sigma.details, {
        source: "sigma", references: ["https://docs.github.com/en/enterprise-cloud@latest/code-security/secret-scanning/about-secret-scanning"],
        tags: ["attack.defense-impairment", "attack.t1685"], author: "Muhammad Faisal (@faisalusuf)", action: "secret_scanning.disable",
      });
      const matched = await store.auditEvents.getByRefs(sigma.events);
      assert.deepEqual(matched.map((e) => e.action), ["secret_scanning.disable"]);
      assert.equal((await store.detections.insert(hits.map((h) => toDetectionInput(h, record)))).inserted, 0, "re-evaluating adds nothing");
    }));
});

describe("rules settings", () => {
  it("defaults", () => {
    const s = RulesSettings.parse({});
    assert.deepEqual(s.builtins, { enabled: true, allowed_apps: [], drop_noise: true, noise_actions: ["git.*"], default_branches: ["main", "master"], disabled: [] });
    assert.deepEqual([s.user_rules, s.sigma, s.sigma_raises_severity], [[], [], false]);
  });

  it("loads files relative to the config folder; problems of all user rule files come together", () => {
    withTempDir((dir) => {
      writeFile(dir, "a.yml", "rules:\n  - id: a\n    match: { action: repo.create }\n    severity: high\n");
      writeFile(dir, "b.yml", "rules:\n  - id: b\n    match: { action: repo.create }\n    severity: loud\n");
      writeFile(dir, "c.yml", "rules:\n  - id: c\n    match: { field: x, regex: '[' }\n    tags: [t]\n");
      const bad = RulesSettings.parse({ user_rules: ["a.yml", "b.yml", "c.yml"] });
      assert.throws(() => loadRules(bad, { baseDir: dir }), (err: unknown) => {
        assert.ok(err instanceof AppError && err.code === "config-invalid");
        assert.match(err.message, /b\.yml: rule "b" \(#1\), severity: unknown severity "loud"/);
        assert.match(err.message, /c\.yml: rule "c" \(#1\), match.regex: invalid regular expression/);
        return true;
      });
      writeFile(dir, "other.yml", "title: W\nlogsource: { product: windows }\ndetection: { sel: { EventID: 1 }, condition: sel }\n");
      const loaded = loadRules(RulesSettings.parse({ user_rules: ["a.yml"], sigma: [SIGMA_DIR, ".", join(SIGMA_DIR, "github_new_org_member.yml")], builtins: { allowed_apps: ["Slack"] } }), { baseDir: dir });
      assert.deepEqual([loaded.userRules.length, loaded.sigmaRules.length], [1, 15]);
      assert.ok(loaded.sigmaProblems.some((p) => p.file.endsWith("github_new_org_member.yml") && /duplicate id 3908d64a/.test(p.message)), "a single file can be given; a rule loaded twice is skipped");
      assert.ok(loaded.sigmaProblems.some((p) => p.file.endsWith("other.yml") && p.kind === "skipped"));
      assert.ok(loaded.sigmaProblems.some((p) => p.file.endsWith("a.yml") && p.kind === "invalid"), "a user rules file is not a Sigma rule");
      assert.equal(loaded.engine.evaluate(auditEvent("repo.create")).severity, "HIGH");
      assert.equal(loaded.engine.evaluate(auditEvent("integration_installation.create", { name: "slack" })).severity, "INFO");
    });
  });
});
