// Tests for the seeded audit log: ids, time window, Git events, field set, and agreement with the alerts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DAY } from "./common.js";
import { TEST_NOW, allRepos, seeded } from "./test-support.js";

const { state, world } = seeded(42, "small");
const events = state.audit.map((r) => r.event);

describe("seeded audit log", () => {
  it("has unique 22-character document ids", () => {
    const ids = new Set<string>();
    for (const e of events) {
      assert.match(e._document_id!, /^[A-Za-z0-9_-]{22}$/);
      ids.add(e._document_id!);
    }
    assert.equal(ids.size, events.length);
  });

  it("is sorted, lies before now, within retention, mostly within 90 days", () => {
    let prev = -Infinity;
    for (const r of state.audit) {
      assert.equal(r.at, r.event["@timestamp"]);
      assert.ok(r.at >= prev);
      prev = r.at;
      assert.ok(r.at < TEST_NOW && r.at >= TEST_NOW - 180 * DAY);
      assert.ok(r.event.created_at! >= r.at && r.event.created_at! < TEST_NOW);
      assert.ok(r.visibleAt <= TEST_NOW);
    }
    const recent = events.filter((e) => e["@timestamp"]! >= TEST_NOW - 90 * DAY).length;
    assert.ok(recent / events.length > 0.85, String(recent));
  });

  it("keeps Git events to the last 7 days and flags them", () => {
    const git = state.audit.filter((r) => r.event.action!.startsWith("git."));
    assert.ok(git.length > 50);
    for (const r of git) {
      assert.ok(r.git);
      assert.ok(r.at >= TEST_NOW - 7 * DAY);
      assert.match(r.event.repository!, /^[^/]+\/[^/]+$/);
      assert.equal(typeof r.event.repository_public, "boolean");
      assert.ok(["http", "ssh"].includes(r.event.transport_protocol_name!));
    }
    for (const r of state.audit.filter((x) => !x.event.action!.startsWith("git."))) assert.equal(r.git, false);
  });

  it("fills the base fields GitHub sends", () => {
    const orgIds = new Map([...state.orgs.values()].map((o) => [o.login, o.id]));
    for (const e of events) {
      assert.equal(typeof e.action, "string");
      assert.equal(typeof e.actor, "string");
      assert.equal(state.user(e.actor!)?.id, e.actor_id);
      assert.ok(["create", "modify", "remove", "access", "authentication"].includes(e.operation_type!), e.operation_type);
      if (e.org) assert.equal(orgIds.get(e.org), e.org_id);
      if (!e.actor!.endsWith("[bot]")) assert.match(String((e.actor_location as { country_code?: string }).country_code), /^[A-Z]{2}$/);
      if (typeof e.repo === "string" && !e.action!.startsWith("repo.destroy")) assert.equal(state.repo(...(e.repo.split("/") as [string, string]))?.id, e.repo_id, e.repo);
      if (!e.action!.startsWith("git.") && !e.actor!.endsWith("[bot]")) assert.match(String(e.request_id), /^[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{6}:[0-9A-F]{7}:[0-9A-F]{8}$/);
    }
  });

  it("mixes the actions the auditor cares about", () => {
    const big = seeded(11, "demo").state.audit.map((r) => r.event.action!);
    const actions = new Set(big);
    for (const a of [
      "org.add_member", "org.update_member", "team.add_member", "repo.create", "repo.access", "protected_branch.create",
      "protected_branch.destroy", "hook.create", "org.update_actions_secret", "oauth_application.create",
      "integration_installation.create", "repository_secret_scanning.disable", "secret_scanning_alert.create",
      "secret_scanning_alert.resolve", "secret_scanning_alert.reopen", "secret_scanning_push_protection.bypass",
      "repository_vulnerability_alert.create", "repository_vulnerability_alert.dismiss", "repository_vulnerability_alert.resolve",
      "git.clone", "git.push", "git.fetch", "workflows.completed_workflow_run",
    ]) assert.ok(actions.has(a), a);
    assert.ok(!big.some((a) => a.startsWith("code_scanning.")), "GitHub writes no audit events for code scanning alerts");
    for (const e of events.filter((x) => x.action === "repo.access")) assert.notEqual(e.visibility, e.previous_visibility);
  });

  it("agrees with the alerts it describes", () => {
    const find = (action: string, repo: string, n: number) => events.find((e) => e.action === action && e.repo === repo && e.alert_number === n);
    const since = new Date(TEST_NOW - 170 * DAY).toISOString();
    let checked = 0;
    for (const r of allRepos(state)) {
      for (const { alert } of r.secretScanning) {
        if (alert.state === "resolved" && alert.resolved_at! >= since) {
          const e = find("secret_scanning_alert.resolve", r.fullName, alert.number!);
          assert.ok(e, `${r.fullName} secret #${alert.number}`);
          assert.equal(e.actor, alert.resolved_by!.login);
          assert.equal(e["@timestamp"], Math.floor(Date.parse(alert.resolved_at!) / 1000) * 1000 + (e["@timestamp"]! % 1000));
          checked++;
        }
        if (alert.push_protection_bypassed && alert.created_at! >= since) {
          assert.equal(find("secret_scanning_push_protection.bypass", r.fullName, alert.number!)?.actor, alert.push_protection_bypassed_by!.login);
        }
      }
      for (const alert of r.dependabot) {
        if (alert.state === "dismissed" && alert.dismissed_at! >= since) {
          assert.equal(find("repository_vulnerability_alert.dismiss", r.fullName, alert.number)?.actor, alert.dismissed_by!.login);
          checked++;
        }
      }
    }
    assert.ok(checked > 10, String(checked));
    for (const login of world.orgs) {
      const org = state.org(login)!;
      const disabled = events.some((e) => e.action === "org.disable_two_factor_requirement" && e.org === login);
      assert.equal(disabled, !org.twoFactorRequirementEnabled);
    }
  });
});
