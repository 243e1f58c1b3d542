// Tests for the activity simulator: every kind does the right thing to the state, the audit log and the webhooks.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { AuditRecord } from "../state/types.js";
import { validateWebhook } from "../testing/openapi.js";
import { NOISE_ACTIONS, ORG_FEATURE_ACTIONS, REPO_FEATURE_ACTIONS } from "./org-activity.js";
import { ACTIVITY_KINDS, ActivitySimulator, type ActivityKind, type ActivityResult } from "./simulator.js";
import { addCodeScanningAlert, addDependabotAlert, addSecretAlert, buildWorld, startReceiver, type Receiver } from "./test-world.js";
import { addRepo } from "../testing/fixture.js";

let rx: Receiver;
before(async () => {
  rx = await startReceiver();
});
after(() => rx.close());

/** Alerts in every state a kind could start from, announced before the baseline is taken. */
function world(seed = 5, factories = true) {
  const w = buildWorld({ enterprise: true, hooks: [{ url: rx.url, secret: "k" }] });
  addRepo(w.state, "acme", "web", { visibility: "internal" });
  const sim = new ActivitySimulator(w.state, { seed, faults: w.faults, ...(factories ? {} : { factories: null }) });
  for (let i = 0; i < 3; i++) addCodeScanningAlert(w.state, w.repo);
  for (let i = 0; i < 4; i++) addDependabotAlert(w.state, w.repo);
  const npmDev = { package: { ecosystem: "npm", name: "mocha" }, manifest_path: "package.json", scope: "development" as const, relationship: "direct" as const };
  addDependabotAlert(w.state, w.repo, { dependency: npmDev });
  for (let i = 0; i < 2; i++) addSecretAlert(w.state, w.repo);
  sim.dismissCodeScanning(w.repo, 2, { by: "dev1" });
  sim.dismissDependabot(w.repo, 3, { by: "dev1" });
  sim.fixDependabot(w.repo, 4);
  sim.resolveSecret(w.repo, 2, { by: "owner1" });
  return { ...w, sim };
}

type World = ReturnType<typeof world>;

/** Runs `fn` and returns the audit records and (schema-checked) webhooks it caused. */
async function effects(w: World, fn: () => ActivityResult[]) {
  await w.webhooks.idle();
  const auditBefore = new Set(w.state.audit);
  const rxBefore = rx.received.length;
  const results = fn();
  await w.webhooks.idle();
  const audit = w.state.audit.filter((r) => !auditBefore.has(r));
  const hooks = rx.received.slice(rxBefore).map((r) => {
    const event = String(r.headers["x-github-event"]);
    const body = JSON.parse(r.raw.toString("utf8")) as { action: string };
    const check = validateWebhook(event, body.action, body);
    assert.ok(check.ok, `${event}.${body.action}: ${check.errors.join("\n")}`);
    return `${event}.${body.action}`;
  });
  return { results, audit, actions: audit.map((r: AuditRecord) => r.event.action), hooks };
}

const dep = (op: string) => [`repository_vulnerability_alert.${op}`];
const sec = (op: string) => [`secret_scanning_alert.${op}`];

/** Expected audit actions and webhooks per kind (null = checked separately). */
const EXPECT: Record<ActivityKind, { audit: string[] | null; hooks: string[] | null }> = {
  code_scanning_alert_created: { audit: [], hooks: ["code_scanning_alert.created"] },
  dependabot_alert_created: { audit: dep("create"), hooks: ["dependabot_alert.created"] },
  secret_scanning_alert_created: { audit: sec("create"), hooks: null },
  push_protection_bypassed: { audit: ["secret_scanning_push_protection.bypass", "secret_scanning_alert.create"], hooks: null },
  code_scanning_dismissed: { audit: [], hooks: ["code_scanning_alert.closed_by_user"] },
  code_scanning_fixed: { audit: [], hooks: ["code_scanning_alert.fixed"] },
  code_scanning_reopened: { audit: [], hooks: null },
  code_scanning_appeared_in_branch: { audit: [], hooks: ["code_scanning_alert.appeared_in_branch"] },
  dependabot_dismissed: { audit: dep("dismiss"), hooks: ["dependabot_alert.dismissed"] },
  dependabot_fixed: { audit: dep("resolve"), hooks: ["dependabot_alert.fixed"] },
  dependabot_auto_dismissed: { audit: dep("auto_dismiss"), hooks: ["dependabot_alert.auto_dismissed"] },
  dependabot_reopened: { audit: dep("reopen"), hooks: ["dependabot_alert.reopened"] },
  dependabot_reintroduced: { audit: dep("reintroduce"), hooks: ["dependabot_alert.reintroduced"] },
  secret_resolved: { audit: sec("resolve"), hooks: ["secret_scanning_alert.resolved"] },
  secret_reopened: { audit: sec("reopen"), hooks: ["secret_scanning_alert.reopened"] },
  secret_validated: { audit: sec("validate"), hooks: ["secret_scanning_alert.validated"] },
  feature_disabled: { audit: null, hooks: [] },
  feature_enabled: { audit: null, hooks: [] },
  member_added: { audit: null, hooks: [] },
  audit_noise: { audit: null, hooks: [] },
};

for (const kind of ACTIVITY_KINDS) {
  test(`${kind}: state change, audit events and webhooks`, async () => {
    const w = world();
    if (kind === "feature_enabled") w.sim.disableOrgFeature("acme", "secret_scanning", "owner1");
    const { results, audit, actions, hooks } = await effects(w, () => w.sim.step(1, [kind]));
    assert.equal(results.length, 1);
    const [r] = results;
    assert.equal(r!.kind, kind);
    const { audit: wantAudit, hooks: wantHooks } = EXPECT[kind];
    if (wantAudit) assert.deepEqual(actions, wantAudit);
    if (wantHooks) assert.deepEqual(hooks, wantHooks);
    const people = ["owner1", "sec1", "dev1"];
    if (r!.actor) assert.ok(people.includes(r!.actor), `actor ${r!.actor} is an org member`);
    for (const rec of audit) {
      assert.equal(rec.event.business, "acme-ent");
      assert.equal(rec.at, w.state.now());
      if (!rec.event.action!.endsWith(".create") && !rec.event.action!.startsWith("org.")) {
        assert.equal(rec.event.actor, r!.actor ?? "github");
      }
    }
    const repo = r!.repo ? w.state.repo(...(r!.repo.split("/") as [string, string])) : undefined;
    const num = r!.number;
    switch (kind) {
      case "secret_scanning_alert_created":
      case "push_protection_bypassed": {
        const { alert, locations } = repo!.secretScanning.find((x) => x.alert.number === num)!;
        assert.deepEqual(hooks, ["secret_scanning_alert.created", ...locations.map(() => "secret_scanning_alert_location.created")]);
        assert.equal(alert.push_protection_bypassed, kind === "push_protection_bypassed");
        if (kind === "push_protection_bypassed") assert.equal(alert.push_protection_bypassed_by!.login, r!.actor);
        break;
      }
      case "code_scanning_dismissed":
        assert.equal(repo!.codeScanning.find((x) => x.alert.number === num)!.alert.state, "dismissed");
        break;
      case "code_scanning_reopened":
        assert.equal(repo!.codeScanning.find((x) => x.alert.number === num)!.alert.state, "open");
        assert.deepEqual(hooks, [r!.actor ? "code_scanning_alert.reopened_by_user" : "code_scanning_alert.reopened"]);
        break;
      case "dependabot_dismissed": {
        const a = repo!.dependabot.find((x) => x.number === num)!;
        assert.equal(a.state, "dismissed");
        assert.equal(a.dismissed_by!.login, r!.actor);
        assert.equal(audit[0]!.event.alert_number, num);
        break;
      }
      case "dependabot_auto_dismissed": {
        const a = repo!.dependabot.find((x) => x.number === num)!;
        assert.equal(a.state, "auto_dismissed");
        assert.equal(a.dependency.scope, "development");
        break;
      }
      case "secret_resolved":
        assert.equal(repo!.secretScanning.find((x) => x.alert.number === num)!.alert.state, "resolved");
        break;
      case "feature_disabled":
      case "feature_enabled": {
        const enabled = kind === "feature_enabled";
        assert.equal(actions.length, 1);
        const repoHit = Object.entries(REPO_FEATURE_ACTIONS).find(([, a]) => a[enabled ? 1 : 0] === actions[0]);
        const orgHit = Object.entries(ORG_FEATURE_ACTIONS).find(([, a]) => a?.[enabled ? 1 : 0] === actions[0]);
        assert.ok(repoHit || orgHit, `${actions[0]} is a feature ${enabled ? "enable" : "disable"} action`);
        const feature = (repoHit ?? orgHit)![0] as keyof typeof w.repo.features;
        const targets = repoHit && audit[0]!.event.repo ? [repo!] : w.state.reposOf("acme");
        for (const t of targets) assert.equal(t.features[feature], enabled, `${t.fullName} ${feature}`);
        assert.ok(["owner1", "sec1"].includes(String(audit[0]!.event.actor)));
        break;
      }
      case "member_added": {
        assert.equal(actions[0], "org.add_member");
        const login = String(audit[0]!.event.user);
        const org = w.state.org("acme")!;
        assert.ok(org.members.includes(login) || org.owners.includes(login));
        if (actions.length > 1) {
          assert.deepEqual(actions, ["org.add_member", "org.update_member"]);
          assert.equal(audit[1]!.event.permission, "admin");
          assert.ok(org.owners.includes(login));
        }
        break;
      }
      case "audit_noise":
        assert.equal(actions.length, 1);
        assert.ok((NOISE_ACTIONS as readonly string[]).includes(actions[0]!));
        assert.equal(audit[0]!.git, actions[0]!.startsWith("git."));
        break;
    }
  });
}

test("the same seed gives the same activity; another seed does not", () => {
  const run = (seed: number) => world(seed).sim.step(80).map((r) => r.description);
  assert.deepEqual(run(11), run(11));
  assert.notDeepEqual(run(11), run(12));
});

test("a long random run: every webhook matches its official schema, every audit actor is a member or GitHub", async () => {
  const w = world(3);
  const { results, audit } = await effects(w, () => {
    const out: ActivityResult[] = [];
    for (let i = 0; i < 40; i++) {
      w.clock.advance(30_000);
      out.push(...w.sim.step(5));
    }
    return out;
  });
  assert.equal(results.length, 200);
  assert.ok(new Set(results.map((r) => r.kind)).size >= 12, "a realistic mix of kinds");
  const org = w.state.org("acme")!;
  const people = new Set([...org.members, ...org.owners, ...org.securityManagers, "github"]);
  for (const rec of audit) assert.ok(people.has(String(rec.event.actor)), `actor ${rec.event.actor}`);
  const git = w.state.audit.filter((r) => r.event.action!.startsWith("git."));
  assert.ok(git.length > 0 && git.every((r) => r.git));
});

test("late audit arrival applies to simulated events too", () => {
  const w = world();
  w.faults.configure({ lateAuditRate: 1, lateAuditMs: 120_000 });
  const before = w.state.audit.length;
  w.sim.step(10, ["audit_noise", "member_added", "dependabot_dismissed"]);
  const added = w.state.audit.slice(before);
  assert.ok(added.length >= 10);
  for (const rec of added) assert.equal(rec.visibleAt, rec.at + 120_000);
});

test("unknown kinds are rejected; kinds with nothing to act on yield nothing", () => {
  const w = world();
  assert.throws(() => w.sim.step(1, ["bogus"]), /unknown activity kind/);
  assert.throws(() => w.sim.step(1, ["toString"]), /unknown activity kind/);
  const empty = buildWorld();
  const sim = new ActivitySimulator(empty.state, { seed: 1, faults: empty.faults });
  assert.deepEqual(sim.step(3, ["dependabot_fixed", "secret_reopened"]), []);
});

test("with factories: null the alert-created kinds are skipped", () => {
  const w = world(5, false);
  assert.deepEqual(w.sim.step(2, ["dependabot_alert_created", "push_protection_bypassed"]), []);
  assert.throws(() => w.sim.createDependabotAlert(w.repo), /factories are not available/);
});
