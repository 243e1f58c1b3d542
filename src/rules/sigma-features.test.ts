// Each supported Sigma feature in isolation: values, modifiers, wildcards, null, lists and maps, conditions.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Json } from "./fields.js";
import { parseSigmaRules, type SigmaRule } from "./sigma-load.js";

/** A GitHub audit rule with the given `detection:` body (YAML, indented by 4). */
function rule(detection: string): SigmaRule {
  const text = `title: Feature test\nid: 00000000-0000-4000-8000-000000000001\nlevel: medium\nlogsource:\n  product: github\n  service: audit\ndetection:\n${detection.replace(/^/gm, "    ")}\n`;
  const { rules, problems } = parseSigmaRules(text, "feature.yml");
  assert.deepEqual(problems, []);
  return rules[0]!;
}

const ev = (fields: Json): Json => ({ action: "repo.create", actor: "Mona", org: "octo-org", repo: "octo-org/api", ...fields });

/** Asserts the rule matches exactly the `yes` events and none of the `no` events (and its action index agrees). */
function check(r: SigmaRule, yes: Json[], no: Json[]): void {
  for (const e of yes) {
    assert.equal(r.test(ev(e)), true, `should match ${JSON.stringify(e)}`);
    assert.notEqual(r.action?.(String(ev(e).action)), false, `action index must not exclude ${JSON.stringify(e)}`);
  }
  for (const e of no) assert.equal(r.test(ev(e)), false, `should not match ${JSON.stringify(e)}`);
}

describe("Sigma values", () => {
  it("plain values match whole and case-insensitively", () => {
    check(rule("sel:\n  actor: mona\ncondition: sel"), [{}, { actor: "MONA" }], [{ actor: "mona2" }, { actor: "x-mona" }]);
  });
  it("a list of values is OR", () => {
    check(rule("sel:\n  action:\n    - repo.create\n    - repo.destroy\ncondition: sel"), [{}, { action: "repo.destroy" }], [{ action: "repo.rename" }]);
  });
  it("a map is AND", () => {
    check(rule("sel:\n  action: repo.create\n  actor: hubot\ncondition: sel"), [{ actor: "hubot" }], [{}, { action: "repo.destroy", actor: "hubot" }]);
  });
  it("a list of maps is OR of ANDs", () => {
    const r = rule("sel:\n  - action: repo.create\n    actor: hubot\n  - action: repo.destroy\ncondition: sel");
    check(r, [{ actor: "hubot" }, { action: "repo.destroy" }], [{}, { action: "repo.rename", actor: "hubot" }]);
    assert.equal(r.action!("repo.rename"), false);
  });
  it("* and ? are wildcards; \\* is a literal star", () => {
    check(rule("sel:\n  action: 'repo.*'\ncondition: sel"), [{}, { action: "REPO.DESTROY" }], [{ action: "org.repo.x" }]);
    check(rule("sel:\n  actor: 'mon?'\ncondition: sel"), [{}, { actor: "mone" }], [{ actor: "monaa" }, { actor: "mon" }]);
    check(rule("sel:\n  name: 'a\\*b'\ncondition: sel"), [{ name: "a*b" }], [{ name: "axb" }, { name: "a\\*b" }]);
    check(rule("sel:\n  name: 'C:\\temp'\ncondition: sel"), [{ name: "c:\\TEMP" }], [{ name: "c:temp" }]);
  });
  it("null matches a missing or null field", () => {
    check(rule("sel:\n  user: null\ncondition: sel"), [{}, { user: null }], [{ user: "hubot" }]);
    check(rule("sel:\n  user:\n    - null\n    - hubot\ncondition: sel"), [{}, { user: "hubot" }], [{ user: "mona" }]);
  });
  it("numbers and booleans compare with the event's numbers, booleans and their text", () => {
    check(rule("sel:\n  transport_protocol: 1\n  repository_public: false\ncondition: sel"),
      [{ transport_protocol: 1, repository_public: false }, { transport_protocol: "1", repository_public: "False" }],
      [{ transport_protocol: 2, repository_public: false }, { transport_protocol: 1, repository_public: true }, { transport_protocol: 1 }]);
  });
  it("dotted field names read nested objects; arrays match on any element", () => {
    check(rule("sel:\n  actor_location.country_code: RU\ncondition: sel"), [{ actor_location: { country_code: "ru" } }], [{ actor_location: { country_code: "US" } }, {}]);
    check(rule("sel:\n  org: octo-corp\ncondition: sel"), [{ org: ["octo-org", "octo-corp"] }], [{ org: ["octo-org"] }]);
  });
  it("keywords search every value of the event", () => {
    check(rule("keywords:\n  - 'curl/'\n  - hubot\ncondition: keywords"), [{ user_agent: "curl/8.1" }, { data: { by: "HUBOT" } }], [{ user_agent: "git/2.4" }]);
  });
});

describe("Sigma modifiers", () => {
  it("|contains, |startswith, |endswith (case-insensitive, wildcards inside)", () => {
    check(rule("sel:\n  action|contains: scanning\ncondition: sel"), [{ action: "secret_SCANNING.disable" }], [{ action: "repo.create" }]);
    check(rule("sel:\n  action|startswith: 'org.'\ncondition: sel"), [{ action: "org.add_member" }], [{ action: "xorg.add" }]);
    check(rule("sel:\n  action|endswith: '.disable'\ncondition: sel"), [{ action: "secret_scanning.disable" }], [{ action: "secret_scanning.disabled" }]);
    check(rule("sel:\n  action|endswith: 'dis*ble'\ncondition: sel"), [{ action: "x.disable" }, { action: "x.disXXble" }], [{ action: "x.disabled" }]);
  });
  it("|re is a regular expression (case-sensitive unless |i or (?i))", () => {
    check(rule("sel:\n  action|re: '^repo\\.(create|destroy)$'\ncondition: sel"), [{}, { action: "repo.destroy" }], [{ action: "REPO.create" }, { action: "repo.created" }]);
    check(rule("sel:\n  action|re|i: '^repo\\.create$'\ncondition: sel"), [{ action: "REPO.Create" }], [{ action: "org.create" }]);
    check(rule("sel:\n  action|re: '(?i)^repo\\.create$'\ncondition: sel"), [{ action: "REPO.CREATE" }], [{ action: "repo.destroy" }]);
  });
  it("|all needs every value", () => {
    check(rule("sel:\n  user_agent|contains|all:\n    - python\n    - requests\ncondition: sel"), [{ user_agent: "python-requests/2.31" }], [{ user_agent: "python-urllib/3" }]);
  });
  it("|cased compares exactly", () => {
    check(rule("sel:\n  actor|cased: Mona\ncondition: sel"), [{}], [{ actor: "mona" }]);
  });
  it("|exists, |gt, |lt", () => {
    check(rule("sel:\n  actor_ip|exists: true\ncondition: sel"), [{ actor_ip: "1.2.3.4" }], [{}]);
    check(rule("sel:\n  actor_ip|exists: false\ncondition: sel"), [{}], [{ actor_ip: "1.2.3.4" }]);
    check(rule("sel:\n  alert_number|gt: 10\ncondition: sel"), [{ alert_number: 11 }, { alert_number: "12" }], [{ alert_number: 10 }, {}]);
    check(rule("sel:\n  alert_number|lte: 10\ncondition: sel"), [{ alert_number: 10 }], [{ alert_number: 11 }, {}]);
  });
});

describe("Sigma conditions", () => {
  const two = "sel_a:\n  action: repo.create\nsel_b:\n  actor: hubot\n_filter:\n  org: octo-org\n";
  it("and, or, not", () => {
    check(rule(`${two}condition: sel_a and sel_b`), [{ actor: "hubot" }], [{}, { action: "repo.destroy", actor: "hubot" }]);
    check(rule(`${two}condition: sel_a or sel_b`), [{}, { action: "repo.destroy", actor: "hubot" }], [{ action: "repo.destroy" }]);
    check(rule(`${two}condition: sel_a and not sel_b`), [{}], [{ actor: "hubot" }, { action: "repo.destroy" }]);
    check(rule(`${two}condition: not sel_a`), [{ action: "repo.destroy" }], [{}]);
  });
  it("precedence: not binds tighter than and, and tighter than or; parentheses override", () => {
    const loose = rule(`${two}condition: sel_a or sel_b and _filter`);
    check(loose, [{ org: "other" }, { action: "x.y", actor: "hubot" }], [{ action: "x.y", actor: "hubot", org: "other" }]);
    const grouped = rule(`${two}condition: (sel_a or sel_b) and _filter`);
    check(grouped, [{}, { action: "x.y", actor: "hubot" }], [{ org: "other" }]);
    check(rule(`${two}condition: not (sel_a and sel_b)`), [{}], [{ actor: "hubot" }]);
    check(rule(`${two}condition: NOT sel_a AND sel_b`), [{ action: "x.y", actor: "hubot" }], [{ actor: "hubot" }]);
  });
  it("1 of / all of a pattern", () => {
    const det = "selection_create:\n  action: repo.create\nselection_bot:\n  actor: hubot\nother:\n  org: none\n";
    check(rule(`${det}condition: 1 of selection*`), [{}, { action: "x.y", actor: "hubot" }], [{ action: "x.y", org: "none" }]);
    check(rule(`${det}condition: all of selection*`), [{ actor: "hubot" }], [{}, { action: "x.y", actor: "hubot" }]);
    check(rule(`${det}condition: any of selection_*`), [{}], [{ action: "x.y" }]);
  });
  it("1 of them / all of them (names starting with _ are left out)", () => {
    check(rule(`${two}condition: 1 of them`), [{}, { action: "x.y", actor: "hubot" }], [{ action: "x.y" }]);
    check(rule(`${two}condition: all of them`), [{ actor: "hubot", org: "elsewhere" }], [{}]);
  });
  it("a list of conditions means any of them", () => {
    check(rule(`${two}condition:\n  - sel_a\n  - sel_b`), [{}, { action: "x.y", actor: "hubot" }], [{ action: "x.y" }]);
  });
  it("the action index never hides a rule that can match another action", () => {
    const r = rule("sel:\n  action|startswith: 'repo.'\nbot:\n  actor: hubot\ncondition: sel or bot");
    assert.equal(r.action, null);
    const a = rule("sel:\n  action|startswith: 'repo.'\nbot:\n  actor: hubot\ncondition: sel and not bot");
    assert.equal(a.action!("repo.create"), true);
    assert.equal(a.action!("org.create"), false);
  });
});

describe("Sigma rules that cannot be used", () => {
  const header = "title: T\nlogsource:\n  product: github\n  service: audit\n";
  const problem = (text: string) => {
    const { rules, problems } = parseSigmaRules(text, "x.yml");
    assert.equal(rules.length, 0);
    assert.equal(problems.length, 1);
    return problems[0]!;
  };
  it("other logsources are skipped with the reason", () => {
    const p = problem("title: Win\nlogsource:\n  product: windows\n  service: security\ndetection:\n  sel:\n    EventID: 4624\n  condition: sel\n");
    assert.deepEqual([p.kind, p.rule], ["skipped", "Win"]);
    assert.match(p.message, /product windows, service security is not GitHub's audit log/);
  });
  it("unsupported or broken parts are invalid with the reason", () => {
    const cases: [string, RegExp][] = [
      ["detection:\n  sel:\n    action: a\n  condition: sel | count() by actor > 5\n", /aggregations/],
      ["detection:\n  sel:\n    action|base64: a\n  condition: sel\n", /modifier \|base64 is not supported/],
      ["detection:\n  sel:\n    action: a\n  condition: sel and missing\n", /names "missing"/],
      ["detection:\n  sel:\n    action: a\n  condition: 1 of nothing*\n", /no search matches "nothing\*"/],
      ["detection:\n  sel:\n    action: a\n  timeframe: 5m\n  condition: sel\n", /timeframe/],
      ["detection:\n  sel:\n    action|re: '(unclosed'\n  condition: sel\n", /invalid regular expression/],
      ["detection:\n  sel:\n    action: a\n  condition: (sel\n", /missing \)/],
      ["detection:\n  sel:\n    action: a\n", /detection\.condition/],
      ["level: urgent\ndetection:\n  sel:\n    action: a\n  condition: sel\n", /level/],
    ];
    for (const [body, reason] of cases) {
      const p = problem(header + body);
      assert.equal(p.kind, "invalid", body);
      assert.match(p.message, reason, body);
    }
    assert.match(problem("title: [unclosed\n").message, /^YAML/);
  });
});
