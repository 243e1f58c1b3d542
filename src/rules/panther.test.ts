// Panther's GitHub rule tests, where their meaning and ours coincide: our severities on their audit events.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { RiskLevel } from "../core/records.js";
import { createRuleEngine } from "./engine.js";
import { loadSigmaDirectory } from "./sigma-load.js";
import { normalized, pantherCases, SIGMA_DIR } from "./test-support.js";

const RULES = [
  "GitHub.Advanced.Security.Change", "GitHub.Org.AuthChange", "Standard.MFADisabled", "GitHub.Branch.ProtectionDisabled",
  "GitHub.Secret.Scanning.Alert.Created", "Github.Organization.App.Integration.Installed", "Github.Public.Repository.Created",
  "Github.Repo.VisibilityChange", "Standard.AdminRoleAssigned", "GitHub.Org.Modified",
];

/** `rule / case name` -> our verdict: severity, the built-in rule that fires (null: none), dropped. */
const OURS: Record<string, [RiskLevel, string | null, boolean?]> = {
  "GitHub.Advanced.Security.Change / Secret Scanning Disabled on a Repo": ["HIGH", "ghaudit.feature-off.push-protection"],
  "GitHub.Advanced.Security.Change / Secret Scanning Disabled Org Wide": ["HIGH", "ghaudit.feature-off.secret-scanning"],
  "GitHub.Advanced.Security.Change / Secret Scanning Disabled for New Repos": ["HIGH", "ghaudit.feature-off.secret-scanning"],
  "GitHub.Advanced.Security.Change / Dependabot Alerts Disabled Org Wide": ["HIGH", "ghaudit.feature-off.dependabot-alerts"],
  "GitHub.Advanced.Security.Change / Dependabot Alerts Disabled on New Repos": ["HIGH", "ghaudit.feature-off.dependabot-alerts"],
  "GitHub.Advanced.Security.Change / Dependabot Disabled Org Wide": ["HIGH", "ghaudit.feature-off.dependabot-security-updates"],
  "GitHub.Advanced.Security.Change / Dependabot Disabled on New Repos": ["HIGH", "ghaudit.feature-off.dependabot-security-updates"],
  "GitHub.Advanced.Security.Change / Non-GitHub Adv Sec Action": ["INFO", null],
  "GitHub.Advanced.Security.Change / Enterprise Log - business_advanced_security.enabled": ["INFO", null],
  "GitHub.Advanced.Security.Change / Enterprise Log - business_advanced_security.disabled": ["HIGH", "ghaudit.feature-off.advanced-security"],
  "GitHub.Org.AuthChange / GitHub - SAML Disabled": ["HIGH", "ghaudit.feature-off.sso"],
  "GitHub.Org.AuthChange / GitHub - Two Factor Requirement Disabled": ["HIGH", "ghaudit.feature-off.two-factor-requirement"],
  "GitHub.Org.AuthChange / GitHub - OAuth App Restrictions Disabled": ["MEDIUM", "ghaudit.feature-off.oauth-app-restrictions"],
  "GitHub.Org.AuthChange / GitHub - Non Auth Related Org Change": ["INFO", null],
  "GitHub.Org.AuthChange / GitHub - Non Org Action": ["INFO", null],
  "Standard.MFADisabled / GitHub - Org MFA Disabled": ["HIGH", "ghaudit.feature-off.two-factor-requirement"],
  "Standard.MFADisabled / GitHub - Org MFA Enabled": ["INFO", null],
  "GitHub.Branch.ProtectionDisabled / GitHub - Branch Protection Disabled": ["MEDIUM", "ghaudit.branch-protection-deleted"],
  "GitHub.Branch.ProtectionDisabled / GitHub - Protected Branch Name Updated": ["INFO", null],
  "GitHub.Secret.Scanning.Alert.Created / secret_scanning_alert.create-true": ["MEDIUM", "ghaudit.secret-alert-created"],
  "GitHub.Secret.Scanning.Alert.Created / git.clone-false": ["INFO", null, true],
  "Github.Organization.App.Integration.Installed / App Integration Installation": ["MEDIUM", "ghaudit.app-not-allowed"],
  "Github.Organization.App.Integration.Installed / App Integration Installation-2": ["INFO", null],
  "Github.Organization.App.Integration.Installed / Repository Archived": ["INFO", null],
  "Github.Public.Repository.Created / Public Repo Created": ["LOW", "ghaudit.public-repo-created"],
  "Github.Public.Repository.Created / Private Repo Created": ["INFO", null],
  "Github.Repo.VisibilityChange / GitHub - Repo disabled": ["INFO", null],
  "Standard.AdminRoleAssigned / Github - Admin Added": ["HIGH", "ghaudit.org-admin-granted"],
  "Standard.AdminRoleAssigned / Github - Unknown Admin Role": ["INFO", null],
};

/** Cases where Panther's rule means something else than ours, and why. */
const DIFFERENT: Record<string, string> = {
  "GitHub.Org.AuthChange / GitHub - Two Factor Requirement Enabled": "Panther reports every auth change; we rate only weakening ones",
  "GitHub.Org.AuthChange / GitHub - OAuth App Restrictions Enabled": "same: enabling a control is not a risk",
  "GitHub.Org.AuthChange / GitHub - SAML Provider Settings Updated": "same",
  "GitHub.Org.AuthChange / GitHub - SAML Enabled": "same",
  "Github.Repo.VisibilityChange / GitHub - Repo Visibility Change": "a repo.access without visibility fields is a routine read for us",
  "Standard.AdminRoleAssigned / Github - User Promoted": "team maintainer is not an org admin",
  "Standard.AdminRoleAssigned / Github - Admin Invited": "an invitation grants nothing until accepted (business.add_admin follows)",
  "GitHub.Org.Modified / GitHub - Team Deleted": "Panther's own negative; not rated by us either",
  "GitHub.Org.Modified / GitHub - Org - User Added": "a member without admin permission is INFO for us",
  "GitHub.Org.Modified / GitHub - Org - User Removed": "removals are INFO for us",
};

describe("Panther's GitHub rule tests", () => {
  const cases = pantherCases();
  const engine = createRuleEngine({ builtins: { allowedApps: ["Datadog CI"] } });

  it("every relevant case is either compared or explained", () => {
    const relevant = cases.filter((c) => RULES.includes(c.rule)).map((c) => `${c.rule} / ${c.name}`);
    assert.equal(relevant.length, 39);
    for (const key of relevant) assert.ok(key in OURS !== key in DIFFERENT, `${key}: exactly one of OURS and DIFFERENT`);
    for (const key of [...Object.keys(OURS), ...Object.keys(DIFFERENT)]) assert.ok(relevant.includes(key), `${key} is a Panther case`);
  });

  it("our severity where the meanings coincide", () => {
    for (const c of cases) {
      const want = OURS[`${c.rule} / ${c.name}`];
      if (want === undefined) continue;
      const r = engine.evaluate(normalized(c.event, c.event.business && !c.event.org ? "enterprise" : "org", "my-org"));
      const builtin = r.detections.filter((d) => d.source === "builtin").map((d) => d.ruleId);
      assert.deepEqual([r.severity, builtin, r.drop], [want[0], want[1] === null ? [] : [want[1]], want[2] ?? false], `${c.rule} / ${c.name}`);
      if (c.expect && want[1] !== null) assert.notEqual(r.severity, "INFO", "Panther alerts and so do we");
    }
  });

  it("all of Panther's GitHub audit events evaluate with the built-in and Sigma rules", () => {
    const sigma = loadSigmaDirectory(SIGMA_DIR).rules;
    const full = createRuleEngine({ sigmaRules: sigma });
    const audit = cases.filter((c) => c.log_type === "GitHub.Audit" && typeof c.event.action === "string");
    assert.ok(audit.length >= 100);
    for (const c of audit) assert.doesNotThrow(() => full.evaluate(normalized(c.event)), c.name);
  });
});
