// The 15 SigmaHQ GitHub audit rules, read in place: all load, each fires on an event it describes and not on a near miss.
import { readdirSync } from "node:fs";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRuleEngine } from "./engine.js";
import type { Json } from "./fields.js";
import { loadSigmaDirectory } from "./sigma-load.js";
import { auditEvent, SIGMA_DIR } from "./test-support.js";

const repo = { repo: "octo-org/payments", repo_id: 730112, public_repo: false };

/** Rule id -> [an event the rule describes, a near miss]: action plus the fields GitHub sends with it. */
const CASES: Record<string, { title: string; fires: [string, Json]; misses: [string, Json] }> = {
  "16a71777-0b2e-4db7-9888-9d59cb75200b": { title: "Github Delete Action Invoked", fires: ["environment.delete", { ...repo, name: "production" }], misses: ["environment.remove_actions_secret", { ...repo, name: "DEPLOY_KEY" }] },
  "8622c92d-c00e-463c-b09d-fd06166f6794": { title: "Github High Risk Configuration Disabled", fires: ["org.disable_oauth_app_restrictions", {}], misses: ["org.enable_oauth_app_restrictions", {}] },
  "34e1c7d4-0cd5-419d-9f1b-1dad3f61018d": { title: "Outdated Dependency Or Vulnerability Alert Disabled", fires: ["repository_vulnerability_alerts.disable", repo], misses: ["repository_vulnerability_alerts.enable", repo] },
  "69b3bd1e-b38a-462f-9a23-fbdbf63d2294": { title: "Github Fork Private Repositories Setting Enabled/Cleared", fires: ["private_repository_forking.enable", repo], misses: ["private_repository_forking.disable", repo] },
  "3908d64a-3c06-4091-b503-b3a94424533b": { title: "New Github Organization Member Added", fires: ["org.invite_member", { user: "new-hire", user_id: 9123 }], misses: ["org.remove_member", { user: "leaver", user_id: 9124 }] },
  "f9405037-bc97-4eb7-baba-167dad399b83": { title: "Github New Secret Created", fires: ["repo.create_actions_secret", { ...repo, name: "AWS_SECRET_ACCESS_KEY" }], misses: ["repo.update_actions_secret", { ...repo, name: "AWS_SECRET_ACCESS_KEY" }] },
  "eaa9ac35-1730-441f-9587-25767bde99d7": { title: "Github Outside Collaborator Detected", fires: ["org.remove_outside_collaborator", { user: "contractor" }], misses: ["org.add_outside_collaborator", { user: "contractor" }] },
  "0c46d4f4-a2bf-4104-9597-8d653fc2bb55": { title: "GitHub Repository Pages Site Changed to Public", fires: ["repo.pages_public", repo], misses: ["repo.pages_private", repo] },
  "02cf536a-cf21-4876-8842-4159c8aee3cc": { title: "Github Push Protection Bypass Detected", fires: ["secret_scanning_push_protection.bypass", { ...repo, reason: "false_positive" }], misses: ["secret_scanning_push_protection_request.request", repo] },
  "ccd55945-badd-4bae-936b-823a735d37dd": { title: "Github Push Protection Disabled", fires: ["org.secret_scanning_push_protection_disable", {}], misses: ["org.secret_scanning_push_protection_enable", {}] },
  "04ad83ef-1a37-4c10-b57a-81092164bf33": { title: "Github Repository/Organization Transferred", fires: ["repo.transfer_outgoing", repo], misses: ["repo.transfer_start", repo] },
  "dca8991c-cb16-4128-abf8-6b11e5cd156f": { title: "GitHub Repository Archive Status Changed", fires: ["repo.unarchived", repo], misses: ["repo.rename", { ...repo, old_name: "pay" }] },
  "3883d9a0-fd0f-440f-afbb-445a2a799bb8": { title: "Github Secret Scanning Feature Disabled", fires: ["repository_secret_scanning.disable", repo], misses: ["repository_secret_scanning_push_protection.disable", repo] },
  "f8ed0e8f-7438-4b79-85eb-f358ef2fbebd": { title: "Github Self Hosted Runner Changes Detected", fires: ["repo.register_self_hosted_runner", { ...repo, runner_name: "build-01" }], misses: ["org.register_self_hosted_runner", { runner_name: "build-01" }] },
  "2f575940-d85e-4ddc-af13-17dad6f1a0ef": { title: "Github SSH Certificate Configuration Changed", fires: ["ssh_certificate_requirement.disable", {}], misses: ["ssh_certificate_requirement.enable", {}] },
};

describe("SigmaHQ's GitHub audit rules", () => {
  const loaded = loadSigmaDirectory(SIGMA_DIR);
  const engine = createRuleEngine({ sigmaRules: loaded.rules, builtins: { enabled: false } });
  const sigmaIds = (action: string, fields: Json) => engine.evaluate(auditEvent(action, fields)).detections.map((d) => d.ruleId);

  it("all 15 load without problems", () => {
    assert.deepEqual(loaded.problems, []);
    assert.equal(readdirSync(SIGMA_DIR).filter((f) => f.endsWith(".yml")).length, 15);
    assert.deepEqual(loaded.rules.map((r) => r.ruleId).sort(), Object.keys(CASES).sort());
  });

  it("keeps each rule's title, level, references, tags and author", () => {
    for (const rule of loaded.rules) {
      assert.equal(rule.ruleTitle, CASES[rule.ruleId]!.title);
      assert.ok(rule.references.length > 0 && rule.references.every((r) => r.startsWith("https://")), rule.ruleTitle);
      assert.ok(rule.tags.some((t) => t.startsWith("attack.")), rule.ruleTitle);
      assert.ok(rule.author !== null && rule.author.length > 3, rule.ruleTitle);
    }
    const bypass = loaded.rules.find((r) => r.ruleId === "02cf536a-cf21-4876-8842-4159c8aee3cc")!;
    assert.deepEqual([bypass.level, bypass.severity, bypass.author], ["low", "LOW", "Muhammad Faisal (@faisalusuf)"]);
    const member = loaded.rules.find((r) => r.ruleId === "3908d64a-3c06-4091-b503-b3a94424533b")!;
    assert.deepEqual([member.level, member.severity], ["informational", "INFO"]);
  });

  for (const [id, c] of Object.entries(CASES)) {
    it(`${c.title}: fires on ${c.fires[0]}, not on ${c.misses[0]}`, () => {
      assert.deepEqual(sigmaIds(...c.fires), [id]);
      assert.ok(!sigmaIds(...c.misses).includes(id));
    });
  }

  it("a detection carries the rule's attribution", () => {
    const hit = engine.evaluate(auditEvent("repo.archived", repo)).detections[0]!;
    assert.deepEqual(hit, {
      ruleId: "dca8991c-cb16-4128-abf8-6b11e5cd156f",
      ruleTitle: "GitHub Repository Archive Status Changed",
      level: "low",
      severity: "LOW",
      references: [
        "https://docs.github.com/en/repositories/archiving-a-github-repository/archiving-repositories",
        "https://www.sentinelone.com/blog/exploiting-repos-6-ways-threat-actors-abuse-github-other-devops-platforms",
        "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/security-log-events",
      ],
      source: "sigma",
      tags: ["attack.persistence", "attack.impact", "attack.defense-impairment"],
      author: "Ivan Saakov",
    });
  });
});
