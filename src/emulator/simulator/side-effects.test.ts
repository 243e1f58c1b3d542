// Tests that every alert transition changes the alert as GitHub does and writes the right audit events and webhooks.
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import type { AuditRecord } from "../state/types.js";
import { validateWebhook } from "../testing/openapi.js";
import { ActivitySimulator } from "./simulator.js";
import {
  addCodeScanningAlert,
  addDependabotAlert,
  addSecretAlert,
  buildWorld,
  startReceiver,
  type Receiver,
  type WorldOptions,
} from "./test-world.js";

type Body = { action: string; alert: Record<string, unknown>; sender: { login: string; type: string }; [k: string]: unknown };

let rx: Receiver;
before(async () => {
  rx = await startReceiver();
});
after(() => rx.close());
const senders: { idle(): Promise<void> }[] = [];
beforeEach(() => {
  rx.received.length = 0;
});
// Deliveries a test did not wait for must not land in the next test's receiver log.
afterEach(async () => {
  await Promise.all(senders.splice(0).map((s) => s.idle()));
});

function world(options: WorldOptions = {}) {
  const w = buildWorld({ hooks: [{ url: rx.url, secret: "s3cret" }], ...options });
  senders.push(w.webhooks);
  const sim = new ActivitySimulator(w.state, { seed: 1, faults: w.faults });
  return { ...w, sim };
}

/** Webhooks received so far, each checked against the official schema for its event and action. */
async function hooks(w: ReturnType<typeof world>): Promise<{ event: string; body: Body }[]> {
  await w.webhooks.idle();
  return rx.received.map((r) => {
    const event = String(r.headers["x-github-event"]);
    const body = JSON.parse(r.raw.toString("utf8")) as Body;
    const result = validateWebhook(event, body.action, body);
    assert.ok(result.ok, `${event}.${body.action}: ${result.errors.join("\n")}`);
    return { event, body };
  });
}

const actions = (records: AuditRecord[]) => records.map((r) => r.event.action);

describe("Dependabot", () => {
  test("dismiss: fields set, repository_vulnerability_alert.dismiss, dependabot_alert.dismissed", async () => {
    const w = world();
    const alert = addDependabotAlert(w.state, w.repo);
    w.sim.dismissDependabot(w.repo, alert.number, { by: "dev1", reason: "not_used", comment: "dev only" });
    assert.equal(alert.state, "dismissed");
    assert.equal(alert.dismissed_by?.login, "dev1");
    assert.equal(alert.dismissed_reason, "not_used");
    assert.equal(alert.dismissed_comment, "dev only");
    assert.equal(alert.dismissed_at, "2026-06-01T12:00:00Z");
    assert.equal(alert.updated_at, "2026-06-01T12:00:00Z");
    assert.deepEqual(actions(w.state.audit), ["repository_vulnerability_alert.dismiss"]);
    const ev = w.state.audit[0]!.event;
    assert.equal(ev.actor, "dev1");
    assert.equal(ev.actor_id, w.state.user("dev1")!.id);
    assert.equal(ev.org, "acme");
    assert.equal(ev.org_id, w.org.id);
    assert.equal(ev.repo, "acme/api");
    assert.equal(ev.repo_id, w.repo.id);
    assert.equal(ev.alert_number, alert.number);
    assert.equal(ev["@timestamp"], w.state.now());
    assert.equal(ev.business, undefined);
    const [hook] = await hooks(w);
    assert.equal(hook!.event, "dependabot_alert");
    assert.equal(hook!.body.action, "dismissed");
    assert.equal(hook!.body.sender.login, "dev1");
    assert.equal((hook!.body.alert as { state: string }).state, "dismissed");
  });

  test("reopen clears dismissal; fixed / auto-dismiss / auto-reopen / reintroduce are GitHub's own", async () => {
    const w = world();
    const a = addDependabotAlert(w.state, w.repo);
    w.sim.dismissDependabot(w.repo, a.number, { by: "dev1" });
    w.clock.advance(60_000);
    w.sim.reopenDependabot(w.repo, a.number, { by: "owner1" });
    assert.equal(a.state, "open");
    assert.equal(a.dismissed_by, null);
    assert.equal(a.dismissed_at, null);
    assert.equal(a.dismissed_reason, null);
    assert.equal(a.dismissed_comment, null);
    assert.equal(a.updated_at, "2026-06-01T12:01:00Z");
    w.sim.fixDependabot(w.repo, a.number);
    assert.equal(a.state, "fixed");
    assert.equal(a.fixed_at, "2026-06-01T12:01:00Z");
    w.sim.reintroduceDependabot(w.repo, a.number);
    assert.equal(a.state, "open");
    assert.equal(a.fixed_at, null);
    w.sim.autoDismissDependabot(w.repo, a.number);
    assert.equal(a.state, "auto_dismissed");
    assert.equal(a.auto_dismissed_at, "2026-06-01T12:01:00Z");
    assert.equal(a.dismissed_by, null);
    w.sim.autoReopenDependabot(w.repo, a.number);
    assert.equal(a.state, "open");
    assert.equal(a.auto_dismissed_at, null);
    const ops = ["dismiss", "reopen", "resolve", "reintroduce", "auto_dismiss", "auto_reopen"];
    assert.deepEqual(actions(w.state.audit), ops.map((o) => `repository_vulnerability_alert.${o}`));
    assert.deepEqual(w.state.audit.map((r) => r.event.actor), ["dev1", "owner1", "github", "github", "github", "github"]);
    const got = await hooks(w);
    assert.deepEqual(got.map((h) => h.body.action), ["dismissed", "reopened", "fixed", "reintroduced", "auto_dismissed", "auto_reopened"]);
    assert.equal(got[2]!.body.sender.login, "github");
    assert.equal(got[2]!.body.sender.type, "Organization");
  });

  test("a transition from the wrong state is refused and announces nothing", () => {
    const w = world();
    const a = addDependabotAlert(w.state, w.repo);
    assert.throws(() => w.sim.reopenDependabot(w.repo, a.number, { by: "dev1" }), /is open, not dismissed/);
    assert.throws(() => w.sim.fixDependabot("acme/api", 99), /no Dependabot alert #99/);
    assert.equal(w.state.audit.length, 0);
  });
});

describe("code scanning", () => {
  test("dismiss, reopen, fix, reappear, other branch: webhooks only, no audit events", async () => {
    const w = world();
    const a = addCodeScanningAlert(w.state, w.repo);
    w.sim.dismissCodeScanning(w.repo, a.number, { by: "sec1", reason: "won't fix", comment: "legacy" });
    assert.equal(a.state, "dismissed");
    assert.equal(a.dismissed_by?.login, "sec1");
    assert.equal(a.dismissed_reason, "won't fix");
    assert.equal(a.most_recent_instance.state, "dismissed");
    w.sim.reopenCodeScanning(w.repo, a.number, { by: "sec1" });
    assert.equal(a.state, "open");
    assert.equal(a.dismissed_at, null);
    w.sim.fixCodeScanning(w.repo, a.number, { commitSha: "a".repeat(40) });
    assert.equal(a.state, "fixed");
    assert.equal(a.fixed_at, "2026-06-01T12:00:00Z");
    assert.equal(a.most_recent_instance.commit_sha, "a".repeat(40));
    w.sim.reopenCodeScanning(w.repo, a.number);
    assert.equal(a.state, "open");
    assert.equal(a.fixed_at, null);
    w.sim.codeScanningAppearedInBranch(w.repo, a.number, { ref: "refs/heads/feature/x", commitSha: "b".repeat(40) });
    assert.equal(w.repo.codeScanning[0]!.instances.at(-1)!.ref, "refs/heads/feature/x");
    assert.equal(w.state.audit.length, 0);
    const got = await hooks(w);
    assert.deepEqual(got.map((h) => h.body.action), ["closed_by_user", "reopened_by_user", "fixed", "reopened", "appeared_in_branch"]);
    const [closed, , fixed, , branch] = got;
    assert.equal(closed!.body.ref, "");
    assert.equal(closed!.body.commit_oid, "");
    assert.equal((closed!.body.alert.dismissed_by as { login: string }).login, "sec1");
    assert.equal((closed!.body.alert.rule as Record<string, unknown>).security_severity_level, undefined);
    assert.equal(fixed!.body.commit_oid, "a".repeat(40));
    assert.equal(fixed!.body.sender.login, "github");
    assert.equal(branch!.body.ref, "refs/heads/feature/x");
    assert.deepEqual(Object.keys(branch!.body.alert.rule as object).sort(), ["description", "id", "severity"]);
  });

  test("an alert found outside the default branch has a null state in its webhook", async () => {
    const w = world();
    const a = addCodeScanningAlert(w.state, w.repo);
    a.most_recent_instance.ref = "refs/pull/7/merge";
    w.state.alertChanged({ kind: "code_scanning", repo: w.repo, alert: a, action: "created", actor: null });
    const [hook] = await hooks(w);
    assert.equal(hook!.body.alert.state, null);
    assert.equal(hook!.body.ref, "refs/pull/7/merge");
    assert.equal(a.state, "open");
  });

  test("with codeScanningAudit the code_scanning.alert_* events are written", () => {
    const w = world({ sideEffects: { codeScanningAudit: true } });
    const a = addCodeScanningAlert(w.state, w.repo);
    w.sim.dismissCodeScanning(w.repo, a.number, { by: "sec1" });
    assert.deepEqual(actions(w.state.audit), ["code_scanning.alert_closed_by_user"]);
  });
});

describe("secret scanning", () => {
  test("resolve, reopen, validate, public leak", async () => {
    const w = world();
    const a = addSecretAlert(w.state, w.repo);
    w.sim.resolveSecret(w.repo, a.number!, { by: "owner1", resolution: "revoked", comment: "rotated" });
    assert.equal(a.state, "resolved");
    assert.equal(a.resolution, "revoked");
    assert.equal(a.resolved_by?.login, "owner1");
    assert.equal(a.resolved_at, "2026-06-01T12:00:00Z");
    assert.equal(a.resolution_comment, "rotated");
    w.sim.reopenSecret(w.repo, a.number!, { by: "dev1" });
    assert.equal(a.state, "open");
    assert.equal(a.resolution, null);
    assert.equal(a.resolved_by, null);
    assert.equal(a.resolved_at, null);
    w.sim.validateSecret(w.repo, a.number!, "active");
    w.sim.leakSecretPublicly(w.repo, a.number!);
    assert.equal(a.publicly_leaked, true);
    const ops = ["resolve", "reopen", "validate", "public_leak"];
    assert.deepEqual(actions(w.state.audit), ops.map((o) => `secret_scanning_alert.${o}`));
    assert.equal(w.state.audit[0]!.event.secret_type, a.secret_type);
    assert.equal(w.state.audit[2]!.event.current_validity, "active");
    const got = await hooks(w);
    assert.deepEqual(got.map((h) => h.body.action), ["resolved", "reopened", "validated", "publicly_leaked"]);
    for (const h of got) assert.equal(h.body.alert.secret, undefined);
  });

  test("an alert created by a push-protection bypass: bypass + create audit events, alert + location webhooks", async () => {
    const w = world();
    const a = w.sim.createSecretScanningAlert(w.repo, { bypassedBy: "dev1" });
    assert.deepEqual(actions(w.state.audit), ["secret_scanning_push_protection.bypass", "secret_scanning_alert.create"]);
    assert.equal(w.state.audit[0]!.event.actor, "dev1");
    assert.equal(w.state.audit[1]!.event.actor, "github");
    assert.equal(w.state.audit[1]!.event.number, a.number);
    const { locations } = w.repo.secretScanning.find((r) => r.alert.number === a.number)!;
    const got = await hooks(w);
    assert.deepEqual(
      got.map((h) => `${h.event}.${h.body.action}`),
      ["secret_scanning_alert.created", ...locations.map(() => "secret_scanning_alert_location.created")],
    );
    assert.equal((got[0]!.body.alert.push_protection_bypassed_by as { login: string }).login, "dev1");
    assert.deepEqual(got.slice(1).map((h) => h.body.location), locations);
  });
});

test("new alerts of every kind: created webhooks (schema-valid) and create audit events except code scanning", async () => {
  const w = world();
  w.sim.createCodeScanningAlert(w.repo);
  w.sim.createDependabotAlert(w.repo);
  const secret = w.sim.createSecretScanningAlert(w.repo);
  assert.deepEqual(actions(w.state.audit), ["repository_vulnerability_alert.create", "secret_scanning_alert.create"]);
  const { locations } = w.repo.secretScanning.find((r) => r.alert.number === secret.number)!;
  const got = await hooks(w);
  assert.deepEqual(
    got.map((h) => h.event),
    ["code_scanning_alert", "dependabot_alert", "secret_scanning_alert", ...locations.map(() => "secret_scanning_alert_location")],
  );
  assert.ok(got.every((h) => h.body.action === "created"));
});

test("enterprise and installation: business fields in audit events, enterprise and installation in webhooks", async () => {
  const w = world({ enterprise: true, installation: true });
  const a = addDependabotAlert(w.state, w.repo);
  w.sim.dismissDependabot(w.repo, a.number, { by: "dev1" });
  assert.equal(w.state.audit[0]!.event.business, "acme-ent");
  assert.equal(w.state.audit[0]!.event.business_id, 4242);
  assert.equal(w.state.audit[0]!.enterprise, "acme-ent");
  const [hook] = await hooks(w);
  assert.equal((hook!.body.enterprise as { slug: string }).slug, "acme-ent");
  assert.equal(typeof (hook!.body.installation as { id: number }).id, "number");
  assert.equal((hook!.body.organization as { login: string }).login, "acme");
});

test("late audit events: visibleAt lies lateAuditMs after @timestamp", () => {
  const w = world();
  w.faults.configure({ lateAuditRate: 1, lateAuditMs: 90_000 });
  const a = addDependabotAlert(w.state, w.repo);
  w.sim.dismissDependabot(w.repo, a.number, { by: "dev1" });
  const [record] = w.state.audit;
  assert.equal(record!.at, w.state.now());
  assert.equal(record!.visibleAt, record!.at + 90_000);
  assert.equal(record!.event.created_at, record!.at + 90_000);
});

test("changes announced by others (API PATCH handlers) get the same side effects", async () => {
  const w = world();
  const a = addDependabotAlert(w.state, w.repo);
  Object.assign(a, { state: "dismissed", dismissed_reason: "inaccurate", dismissed_by: null, dismissed_at: "2026-06-01T12:00:00Z" });
  w.state.alertChanged({ kind: "dependabot", repo: w.repo, alert: a, action: "dismissed", actor: "owner1" });
  assert.deepEqual(actions(w.state.audit), ["repository_vulnerability_alert.dismiss"]);
  const [hook] = await hooks(w);
  assert.equal(hook!.body.sender.login, "owner1");
});
