// The "turned off" matcher against every real action name in GITHUB-API.md 4.2 and 4.3, plus names seen elsewhere.
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { featureSwitchOff, type FeatureId } from "./feature-switches.js";
import { GITHUB_API_MD } from "./test-support.js";

/** `base` with its last words (after the final dot) replaced by `token`'s words, aligned from the end. */
function replaceTail(base: string, token: string, whole: boolean): string {
  const dot = base.lastIndexOf(".");
  const words = base.slice(dot + 1).split("_");
  const tw = token.split("_");
  if (whole || tw.length >= words.length) return base.slice(0, dot + 1) + token;
  return base.slice(0, dot + 1) + [...words.slice(0, words.length - tw.length), ...tw].join("_");
}

/**
 * Action names in sections 4.2 and 4.3, with the table's shorthands expanded: `a.disable`/`.enable`,
 * `a_disable`/`_enable`, `x.a/b/c`, `x.disabled_on_all_repos`/`enabled_on_all_repos`. Wildcards (`x.*`) are skipped.
 */
function documentedActions(): string[] {
  const md = readFileSync(GITHUB_API_MD, "utf8");
  const start = md.indexOf("### 4.2");
  const section = md.slice(start, md.indexOf("### 4.4", start));
  assert.ok(start > 0 && section.length > 1000, "GITHUB-API.md has sections 4.2 and 4.3");
  const names = new Set<string>();
  let prev: string | null = null;
  for (const m of section.matchAll(/`([^`]+)`/g)) {
    const token = m[1]!;
    if (/[*\s]/.test(token)) continue;
    const [first = "", ...alts] = token.split("/");
    let full: string;
    if (first.includes(".") && !first.startsWith(".")) full = first;
    else if (prev === null) continue;
    else if (first.startsWith(".")) full = prev.slice(0, prev.lastIndexOf(".")) + first;
    else full = replaceTail(prev, first.replace(/^_/, ""), false);
    names.add(full);
    if (first.includes(".") && !first.startsWith(".")) prev = full;
    const whole = alts.some((a) => a.includes("_"));
    for (const a of alts) names.add(a.startsWith(".") ? full.slice(0, full.lastIndexOf(".")) + a : replaceTail(full, a, whole));
  }
  return [...names];
}

/** Every documented name that turns a control off, and the control. Every other documented name must not match. */
const OFF: Readonly<Record<string, FeatureId>> = {
  "dependabot_alerts.disable": "dependabot_alerts",
  "repository_vulnerability_alerts.disable": "dependabot_alerts",
  "business_dependabot_alerts.disable": "dependabot_alerts",
  "business_dependabot_alerts_new_repos.disable": "dependabot_alerts",
  "dependabot_security_updates.disable": "dependabot_security_updates",
  "repository_security_updates.disable": "dependabot_security_updates",
  "dependency_graph.disable": "dependency_graph",
  "repository_dependency_graph.disable": "dependency_graph",
  "secret_scanning.disable": "secret_scanning",
  "secret_scanning_new_repos.disable": "secret_scanning",
  "repository_secret_scanning.disable": "secret_scanning",
  "business_secret_scanning.disable": "secret_scanning",
  "business_secret_scanning.disabled_for_new_repos": "secret_scanning",
  "org.secret_scanning_push_protection_disable": "push_protection",
  "org.secret_scanning_push_protection_new_repos_disable": "push_protection",
  "org.secret_scanning_custom_pattern_push_protection_disabled": "push_protection",
  "repository_secret_scanning_push_protection.disable": "push_protection",
  "repository_secret_scanning_custom_pattern_push_protection.disabled": "push_protection",
  "business_secret_scanning_push_protection.disable": "push_protection",
  "business_secret_scanning_push_protection.disabled_for_new_repos": "push_protection",
  "business_secret_scanning_custom_pattern_push_protection.disabled": "push_protection",
  "org.advanced_security_disabled_on_all_repos": "advanced_security",
  "org.advanced_security_disabled_for_new_repos": "advanced_security",
  "repo.advanced_security_disabled": "advanced_security",
  "repository_code_security.disable": "advanced_security",
  "business_advanced_security.disabled": "advanced_security",
  "business_advanced_security.disabled_for_new_repos": "advanced_security",
  "business_advanced_security.disabled_for_new_user_namespace_repos": "advanced_security",
  "business_advanced_security.user_namespace_repos_disabled": "advanced_security",
  "org.codeql_disabled": "code_scanning",
  "repo.codeql_disabled": "code_scanning",
  "org.code_scanning_autofix_disabled": "code_scanning_autofix",
  "org_secret_scanning_automatic_validity_checks.disabled": "secret_validity_checks",
  "repository_secret_scanning_automatic_validity_checks.disabled": "secret_validity_checks",
  "business_secret_scanning_automatic_validity_checks.disabled": "secret_validity_checks",
  "org_secret_scanning_non_provider_patterns.disabled": "secret_non_provider_patterns",
  "business_secret_scanning_non_provider_patterns.disabled": "secret_non_provider_patterns",
  "org_secret_scanning_generic_secrets.disabled": "secret_generic_secrets",
  "repository_malware_alerts.disable": "malware_alerts",
  "org.disable_two_factor_requirement": "two_factor_requirement",
  "business.disable_two_factor_requirement": "two_factor_requirement",
  "org.disable_saml": "sso",
  "business.disable_saml": "sso",
  "business.disable_oidc": "sso",
  "ip_allow_list.disable": "ip_allow_list",
  "ip_allow_list.disable_for_installed_apps": "ip_allow_list",
};

/** Real names from other sources: the `.*` rows of 4.2, SigmaHQ's GitHub rules and Panther's tests. */
const OFF_ELSEWHERE: Readonly<Record<string, FeatureId>> = {
  "dependabot_alerts_new_repos.disable": "dependabot_alerts",
  "dependabot_security_updates_new_repos.disable": "dependabot_security_updates",
  "dependency_graph_new_repos.disable": "dependency_graph",
  "repository_secret_scanning_non_provider_patterns.disabled": "secret_non_provider_patterns",
  "business_secret_scanning_generic_secrets.disabled": "secret_generic_secrets",
  "org.advanced_security_policy_selected_member_disabled": "advanced_security",
  "org.disable_oauth_app_restrictions": "oauth_app_restrictions",
  "org.saml_disabled": "sso",
  "ssh_certificate_requirement.disable": "ssh_certificate_requirement",
};

describe("featureSwitchOff", () => {
  const documented = documentedActions();

  it("finds the documented names (the extraction works)", () => {
    assert.ok(documented.length > 200, `only ${documented.length} names`);
    for (const name of Object.keys(OFF)) assert.ok(documented.includes(name), `${name} is in GITHUB-API.md 4.2/4.3`);
    for (const name of ["org.add_member", "business_advanced_security.enabled_for_new_user_namespace_repos", "org.advanced_security_enabled_on_all_repos", "team.create"]) {
      assert.ok(documented.includes(name), name);
    }
  });

  it("classifies every documented name: the listed ones turn a control off, all others do not", () => {
    for (const name of documented) {
      assert.equal(featureSwitchOff(name)?.feature.id ?? null, OFF[name] ?? null, name);
    }
  });

  it("recognizes names from SigmaHQ, Panther and the wildcard rows", () => {
    for (const [name, feature] of Object.entries(OFF_ELSEWHERE)) assert.equal(featureSwitchOff(name)?.feature.id, feature, name);
  });

  it("leaves look-alikes alone", () => {
    for (const name of [
      "enterprise.config.disable_anonymous_git_access", "org.config.disable_collaborators_only", "repo.disable",
      "vulnerability_alert_rule.force_disable", "vulnerability_alert_rule.disable", "secret_scanning_alert.resolve",
      "secret_scanning.enable", "org.secret_scanning_push_protection_enable", "business_advanced_security.enabled",
    ]) assert.equal(featureSwitchOff(name), null, name);
  });

  it("says where the change applies", () => {
    const s = (a: string) => {
      const x = featureSwitchOff(a)!;
      return [x.scope, x.newReposOnly, x.userNamespace];
    };
    assert.deepEqual(s("secret_scanning.disable"), ["org", false, false]);
    assert.deepEqual(s("org.secret_scanning_push_protection_new_repos_disable"), ["org", true, false]);
    assert.deepEqual(s("repository_secret_scanning.disable"), ["repository", false, false]);
    assert.deepEqual(s("repo.advanced_security_disabled"), ["repository", false, false]);
    assert.deepEqual(s("business_advanced_security.disabled_for_new_user_namespace_repos"), ["enterprise", true, true]);
    assert.deepEqual(s("business_secret_scanning_push_protection.disabled_for_new_repos"), ["enterprise", true, false]);
  });
});
