// Tests for the seeded world generator: determinism, sizes, uniqueness, timelines and consistency with settings.
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { describe, it } from "node:test";
import { DAY } from "./common.js";
import { SIZES } from "./sizes.js";
import { TEST_NOW, allRepos, seeded, snapshot } from "./test-support.js";

const small = seeded(42, "small");
let demoWorld: ReturnType<typeof seeded> | null = null;
/** The demo-size world (built once, on first use). */
function demo(): ReturnType<typeof seeded> {
  return (demoWorld ??= seeded(3, "demo"));
}

describe("seedWorld determinism", () => {
  it("gives the same world for the same seed and now", () => {
    const again = seeded(42, "small");
    assert.equal(snapshot(again.state), snapshot(small.state));
    assert.equal(again.world.adminToken, small.world.adminToken);
  });

  it("gives a different world for a different seed", () => {
    const other = seeded(43, "small");
    assert.notEqual(snapshot(other.state), snapshot(small.state));
    assert.notEqual(other.world.adminToken, small.world.adminToken);
  });

  it("shifts with now", () => {
    const later = seeded(42, "small", TEST_NOW + DAY);
    assert.notEqual(snapshot(later.state), snapshot(small.state));
  });
});

describe("seedWorld sizes", () => {
  for (const name of ["tiny", "small", "demo"] as const) {
    it(`${name} has the requested counts`, () => {
      const { state, world } = name === "small" ? small : name === "demo" ? demo() : seeded(7, name);
      const spec = SIZES[name];
      const repos = allRepos(state);
      assert.equal(state.orgs.size, spec.orgs);
      assert.equal(repos.length, spec.orgs * spec.reposPerOrg);
      assert.equal([...state.users.values()].filter((u) => u.type === "User").length, spec.users);
      assert.equal(repos.reduce((n, r) => n + r.codeScanning.length, 0), spec.codeScanningAlerts);
      assert.equal(repos.reduce((n, r) => n + r.dependabot.length, 0), spec.dependabotAlerts);
      assert.equal(repos.reduce((n, r) => n + r.secretScanning.length, 0), spec.secretScanningAlerts);
      assert.equal(state.audit.length, spec.auditEvents);
      assert.equal(world.enterprise !== null, spec.enterprise);
      assert.deepEqual(world.size, spec);
    });
  }

  it("layers a partial size over small", () => {
    const { state, world } = seeded(5, { orgs: 3, reposPerOrg: 2, auditEvents: 300, enterprise: true });
    assert.equal(state.orgs.size, 3);
    assert.equal(state.repos.size, 6);
    assert.equal(state.audit.length, 300);
    assert.equal(world.size.codeScanningAlerts, SIZES.small.codeScanningAlerts);
    assert.ok(world.enterprise);
    const ent = state.enterprise(world.enterprise)!;
    assert.deepEqual(state.orgsOfEnterprise(ent.slug).map((o) => o.login).sort(), [...world.orgs].sort());
    for (const r of state.audit.filter((x) => x.event.org)) assert.equal(r.event.business, ent.slug);
  });

  it("uses plan enterprise unless asked, and rejects bad sizes", () => {
    for (const org of small.state.orgs.values()) assert.equal(org.plan, "enterprise");
    const { state } = seeded(5, { orgs: 1, reposPerOrg: 1, plan: "team", auditEvents: 10 });
    assert.equal([...state.orgs.values()][0]!.plan, "team");
    assert.throws(() => seeded(1, { orgs: 0 }), RangeError);
    assert.throws(() => seeded(1, "gigantic" as "huge"), RangeError);
  });
});

describe("seedWorld people and credentials", () => {
  const { state, world } = small;

  it("has an admin owning every org with a full classic token", () => {
    for (const org of state.orgs.values()) {
      assert.ok(org.owners.includes(world.adminLogin));
      assert.ok(org.members.includes(world.adminLogin));
      for (const o of org.owners) assert.ok(org.members.includes(o));
      assert.ok(org.securityManagers.length > 0);
    }
    const token = state.tokens.get(world.adminToken)!;
    assert.match(world.adminToken, /^ghp_[A-Za-z0-9]{36}$/);
    assert.equal(token.login, world.adminLogin);
    for (const scope of ["repo", "security_events", "read:audit_log", "admin:org", "admin:enterprise", "read:org"]) assert.ok(token.scopes.includes(scope));
  });

  it("registers the app with a working key pair and an installation per org", () => {
    const app = state.apps.get(world.app.id)!;
    assert.equal(app.slug, "ghaudit-app");
    assert.match(app.clientId, /^Iv23li[A-Za-z0-9]{14}$/);
    const signature = sign("sha256", Buffer.from("x"), createPrivateKey(world.app.privateKeyPem));
    assert.ok(verify("sha256", Buffer.from("x"), createPublicKey(app.publicKeyPem), signature));
    assert.deepEqual(Object.keys(world.app.installations).sort(), [...world.orgs].sort());
    for (const [org, id] of Object.entries(world.app.installations)) {
      const inst = state.installations.get(id)!;
      assert.equal(inst.org, org);
      assert.equal(inst.permissions.security_events, "read");
      assert.equal(inst.permissions.issues, "write");
    }
  });

  it("gives users ids, names and countries, uniquely", () => {
    const users = [...state.users.values()];
    assert.equal(new Set(users.map((u) => u.id)).size, users.length);
    for (const u of users) {
      assert.match(u.login, /^[a-z0-9][a-z0-9-]*(\[bot\])?$/);
      assert.match(u.country.code, /^[A-Z]{2}$/);
      assert.ok(u.country.name.length > 2);
    }
  });
});

describe("seedWorld repos and alerts", () => {
  const { state } = small;
  const repos = allRepos(state);

  it("varies repo visibility and settings", () => {
    assert.ok(new Set(repos.map((r) => r.visibility)).size >= 2);
    const big = allRepos(demo().state);
    assert.deepEqual(new Set(big.map((r) => r.visibility)), new Set(["public", "private", "internal"]));
    assert.ok(big.some((r) => r.archived));
    assert.ok(big.some((r) => !r.features.secret_scanning));
    assert.ok(big.some((r) => !r.features.dependabot_alerts));
    assert.ok(big.some((r) => r.analyses.length === 0));
    assert.ok(big.filter((r) => Object.values(r.features).every(Boolean)).length > big.length / 3);
  });

  it("only raises alerts a repo's settings allow", () => {
    for (const r of allRepos(demo().state)) {
      if (r.analyses.length === 0) assert.equal(r.codeScanning.length, 0, r.fullName);
      if (!r.features.dependabot_alerts) assert.equal(r.dependabot.length, 0, r.fullName);
      if (!r.features.secret_scanning) assert.equal(r.secretScanning.length, 0, r.fullName);
    }
  });

  it("numbers alerts 1..n per repo and kind, in creation order", () => {
    for (const r of repos) {
      for (const list of [r.codeScanning.map((c) => c.alert), r.dependabot, r.secretScanning.map((s) => s.alert)]) {
        list.forEach((a, i) => {
          assert.equal(a.number, i + 1);
          if (i > 0) assert.ok(a.created_at! >= list[i - 1]!.created_at!);
        });
      }
      assert.equal(r.next.codeScanning, r.codeScanning.length + 1);
      assert.equal(r.next.dependabot, r.dependabot.length + 1);
      assert.equal(r.next.secretScanning, r.secretScanning.length + 1);
    }
  });

  it("keeps every closing time between creation and last update, all before now", () => {
    const nowIso = new Date(TEST_NOW).toISOString();
    const check = (created: string, closed: string | null | undefined, updated: string | null | undefined) => {
      assert.ok(created < nowIso);
      assert.ok(updated && updated >= created && updated < nowIso, `${created} ${updated}`);
      if (closed) assert.ok(closed >= created && closed <= updated, `${created} ${closed} ${updated}`);
    };
    for (const r of repos) {
      for (const { alert: a, instances } of r.codeScanning) {
        check(a.created_at, a.state === "fixed" ? a.fixed_at : a.dismissed_at, a.updated_at);
        assert.equal(a.state === "dismissed", a.dismissed_at !== null && a.dismissed_by !== null && a.dismissed_reason !== null);
        assert.equal(a.state === "fixed", a.fixed_at !== null);
        assert.equal(a.most_recent_instance.state, a.state);
        assert.equal(instances[0]!.ref, `refs/heads/${r.defaultBranch}`);
      }
      for (const a of r.dependabot) {
        const closed = { dismissed: a.dismissed_at, fixed: a.fixed_at, auto_dismissed: a.auto_dismissed_at, open: null }[a.state];
        check(a.created_at, closed, a.updated_at);
        assert.equal(a.state === "dismissed", a.dismissed_reason !== null && a.dismissed_by !== null);
        assert.ok(a.security_advisory.published_at <= a.created_at);
      }
      for (const { alert: a, locations } of r.secretScanning) {
        check(a.created_at!, a.resolved_at, a.updated_at);
        assert.equal(a.state === "resolved", a.resolution !== null && a.resolved_by !== null);
        assert.equal(locations[0]!.type, "commit");
        if (a.push_protection_bypassed) assert.equal(a.push_protection_bypassed_at, a.created_at);
      }
    }
  });

  it("covers the states and reasons GitHub uses", () => {
    const repos3 = allRepos(demo().state);
    const cs = new Set(repos3.flatMap((r) => r.codeScanning.map((c) => `${c.alert.state}:${c.alert.dismissed_reason}`)));
    for (const s of ["open:null", "fixed:null", "dismissed:false positive", "dismissed:won't fix", "dismissed:used in tests"]) assert.ok(cs.has(s), s);
    const dep = new Set(repos3.flatMap((r) => r.dependabot.map((a) => a.state)));
    assert.deepEqual(dep, new Set(["open", "fixed", "dismissed", "auto_dismissed"]));
    const ecosystems = new Set(repos3.flatMap((r) => r.dependabot.map((a) => a.dependency.package?.ecosystem)));
    assert.ok(ecosystems.size >= 6, [...ecosystems].join());
    const secrets = repos3.flatMap((r) => r.secretScanning.map((s) => s.alert));
    assert.deepEqual(new Set(secrets.map((a) => a.resolution)), new Set([null, "false_positive", "wont_fix", "revoked", "used_in_tests"]));
    assert.deepEqual(new Set(secrets.map((a) => a.validity)), new Set(["active", "inactive", "unknown"]));
    assert.ok(secrets.some((a) => a.push_protection_bypassed));
    const types = new Set(repos3.flatMap((r) => r.secretScanning.flatMap((s) => s.locations.map((l) => l.type))));
    assert.ok(types.size >= 5, [...types].join());
  });
});
