// History: each observation of an alert becomes the transitions GitHub's timeline would show.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { FindingRecord } from "../core/records.js";
import { auditTransition, diffAlert, type Observation } from "./history.js";

const poll: Observation = { source: "poll", sourceRef: "run-1", observedAt: "2026-06-02T00:00:00Z" };

function finding(partial: Partial<FindingRecord>): FindingRecord {
  return {
    id: "dependabot:acme/api#7",
    kind: "alert",
    event_type: "VULNERABILITY_FINDING",
    source: "github",
    category: "vcs",
    timestamp: "2026-05-01T10:00:00Z",
    org: "acme",
    enterprise: null,
    repository: "acme/api",
    actor: null,
    alert_kind: "dependabot",
    number: 7,
    state: "open",
    open: true,
    risk_level: "HIGH",
    risk_score: 8.9,
    severity_raw: "high",
    title: "lodash prototype pollution",
    html_url: null,
    created_at: "2026-05-01T10:00:00Z",
    updated_at: "2026-05-01T10:00:00Z",
    closed_at: null,
    closed_by: null,
    close_reason: null,
    close_comment: null,
    artifact: { repository: "acme/api", path: "package-lock.json", package_name: "lodash", vulnerable_version_range: "< 4.17.21", first_patched_version: "4.17.21" },
    github: {
      tool: null, rule_id: null, rule_name: null, cwe: [], ecosystem: "npm", dependency_scope: "runtime", dependency_relationship: "direct",
      ghsa_id: "GHSA-aaaa-bbbb-cccc", cve_id: null, epss_percentage: null, epss_percentile: null, secret_type: null,
      secret_type_display_name: null, validity: null, publicly_leaked: null, push_protection_bypassed: null,
      push_protection_bypassed_by: null, push_protection_bypassed_at: null,
    },
    raw: {},
    ...partial,
  };
}

const dismissed = finding({
  state: "dismissed",
  open: false,
  updated_at: "2026-05-03T09:00:00Z",
  closed_at: "2026-05-03T09:00:00Z",
  closed_by: "alice",
  close_reason: "tolerable_risk",
  close_comment: "behind a feature flag",
});

describe("diffAlert", () => {
  it("records the creation of a new open alert, once", () => {
    const changes = diffAlert(null, finding({}), poll);
    assert.equal(changes.length, 1);
    assert.deepEqual([changes[0]!.from_state, changes[0]!.to_state, changes[0]!.timestamp], [null, "open", "2026-05-01T10:00:00Z"]);
    assert.deepEqual(diffAlert(finding({}), finding({}), poll), []);
  });

  it("uses the alert's own closing time, actor, reason and comment", () => {
    const [change] = diffAlert(finding({}), dismissed, poll);
    assert.deepEqual(
      [change!.from_state, change!.to_state, change!.timestamp, change!.actor, change!.reason, change!.comment, change!.change_source],
      ["open", "dismissed", "2026-05-03T09:00:00Z", "alice", "tolerable_risk", "behind a feature flag", "poll"],
    );
  });

  it("gives an alert first seen closed both its creation and its closing", () => {
    const changes = diffAlert(null, dismissed, poll);
    assert.deepEqual(changes.map((c) => [c.from_state, c.to_state]), [[null, "open"], ["open", "dismissed"]]);
  });

  it("infers the reopen between two different closings", () => {
    const fixed = finding({ state: "fixed", open: false, closed_at: "2026-05-05T00:00:00Z", updated_at: "2026-05-05T00:00:00Z" });
    const changes = diffAlert(dismissed, fixed, poll);
    assert.deepEqual(changes.map((c) => [c.from_state, c.to_state]), [["dismissed", "open"], ["open", "fixed"]]);
    const again = finding({ ...dismissed, closed_at: "2026-05-09T00:00:00Z", updated_at: "2026-05-09T00:00:00Z" });
    assert.deepEqual(diffAlert(dismissed, again, poll).map((c) => [c.from_state, c.to_state]), [["dismissed", "open"], ["open", "dismissed"]]);
    // The inferred reopen comes 1 ms before the close that follows it, so the two never share an instant.
    assert.deepEqual(changes.map((c) => c.timestamp), ["2026-05-04T23:59:59.999Z", "2026-05-05T00:00:00Z"]);
    assert.deepEqual(diffAlert(dismissed, again, poll).map((c) => c.timestamp), ["2026-05-08T23:59:59.999Z", "2026-05-09T00:00:00Z"]);
  });

  it("gives the same transition the same id whichever source saw it", () => {
    const a = diffAlert(finding({}), dismissed, poll)[0]!;
    const b = diffAlert(finding({}), dismissed, { source: "webhook", sourceRef: "guid", observedAt: "2026-06-09T00:00:00Z" })[0]!;
    assert.equal(a.id, b.id);
    assert.notEqual(a.id, diffAlert(null, finding({}), poll)[0]!.id);
  });

  it("records a push-protection bypass as the creation, by the user who bypassed", () => {
    const secret = finding({
      alert_kind: "secret_scanning",
      github: { ...finding({}).github, push_protection_bypassed: true, push_protection_bypassed_by: "mallory", push_protection_bypassed_at: "2026-05-01T10:00:00Z" },
    });
    const [created] = diffAlert(null, secret, poll);
    assert.deepEqual([created!.actor, created!.reason], ["mallory", "push_protection_bypassed"]);
  });
});

describe("auditTransition", () => {
  it("reads Dependabot and secret scanning lifecycle events", () => {
    const t = auditTransition({ action: "repository_vulnerability_alert.dismiss", repo: "acme/api", alert_number: 7, actor: "alice" }, "doc1", "2026-05-03T09:00:01.000Z");
    assert.deepEqual([t?.alertId, t?.to, t?.actor], ["dependabot:acme/api#7", "dismissed", "alice"]);
    const s = auditTransition({ action: "secret_scanning_push_protection.bypass", repo: "acme/api", alert_number: 2, actor: "m" }, "doc2", "2026-05-03T09:00:01.000Z");
    assert.deepEqual([s?.kind, s?.to, s?.reason], ["secret_scanning", "open", "push_protection_bypassed"]);
  });

  it("says which state each action leaves: null for a creation (a create or a bypass is never a reopen)", () => {
    const from = (action: string) => auditTransition({ action, repo: "acme/api", alert_number: 7 }, "d", "2026-05-03T09:00:01.000Z")?.from;
    assert.equal(from("repository_vulnerability_alert.create"), null);
    assert.equal(from("secret_scanning_push_protection.bypass"), null);
    assert.equal(from("repository_vulnerability_alert.dismiss"), "open");
    assert.equal(from("repository_vulnerability_alert.auto_reopen"), "auto_dismissed");
    assert.equal(from("secret_scanning_alert.reopen"), "resolved");
  });

  it("ignores events that are not about one alert", () => {
    assert.equal(auditTransition({ action: "repo.create", repo: "acme/api" }, "d", "2026-05-03T09:00:01Z"), null);
    assert.equal(auditTransition({ action: "secret_scanning_alert.resolve", repo: "acme/api" }, "d", "2026-05-03T09:00:01Z"), null);
  });
});
