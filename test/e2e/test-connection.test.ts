// `ghaudit test-connection` end to end (real CLI, real emulator): the owner token passes every check; a fine-grained
// token without Dependabot alerts fails that check naming the permission; a non-member's token and a token for
// another org say so; a bad token gets the bad-credentials message.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { isMember } from "../../src/emulator/http/auth.js";
import { addApp } from "../../src/emulator/testing/fixture.js";
import { runCli, type CliResult } from "./support/cli.js";
import { cliEnv, control, startWorld, type SeededEmulator } from "./support/world.js";

const OUTSIDER = /visible only as an outsider \(the token's user is not a member, or the token is for another org\)/;

describe("e2e test-connection", () => {
  let emulator: SeededEmulator;
  let org: string;
  let other: string;

  before(async () => {
    emulator = await startWorld({ seed: 21, size: "small" });
    [org, other] = emulator.world.orgs as [string, string];
  });
  after(() => emulator.close());

  const mint = async (body: Record<string, unknown>): Promise<string> => (await control<{ token: string }>(emulator, "tokens", "POST", body)).token;
  const check = (token: string): Promise<CliResult> => runCli(["test-connection", "--org", org], { env: cliEnv(emulator, token) });
  /** The output line of one check (`✓ Dependabot alerts: ...`). */
  const line = (out: CliResult, what: string): string => {
    const found = out.stdout.split("\n").find((l) => l.includes(what));
    assert.ok(found, `a line about ${what} in:\n${out.stdout}`);
    return found.trim();
  };

  test("the owner's token: every check ✓, exit 0", async () => {
    const out = await check(emulator.token);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    const checks = out.stdout.split("\n").filter((l) => /^\s+[✓✗]/.test(l));
    assert.equal(checks.length, 6, `organization + 5 streams:\n${out.stdout}`);
    assert.ok(checks.every((l) => l.trim().startsWith("✓")), out.stdout);
    assert.match(line(out, "Dependabot alerts"), /^✓/);
  });

  test("fine-grained token without vulnerability_alerts: ✗ for Dependabot naming the permission", async () => {
    const token = await mint({
      kind: "fine-grained",
      login: emulator.world.adminLogin,
      orgs: [org],
      permissions: { organization_administration: "read", administration: "read", metadata: "read", security_events: "read", secret_scanning_alerts: "read" },
    });
    const out = await check(token);
    assert.equal(out.code, 1);
    const dependabot = line(out, "Dependabot alerts:");
    assert.match(dependabot, /^✗/);
    assert.match(dependabot, /Dependabot alerts: read \(vulnerability_alerts\)/);
    assert.match(out.stdout, /Fine-grained tokens: set Repository permissions → Dependabot alerts: Read-only/);
    for (const ok of ["organization", "code scanning alerts", "secret scanning alerts", "organization audit log"]) assert.match(line(out, ok), /^✓/, ok);
    // `sync --once` with the same token says the same, naming the kind of token.
    const dir = mkdtempSync(join(tmpdir(), "ghaudit-tc-"));
    try {
      const sync = await runCli(["sync", "--once", "--org", org, "--db", join(dir, "g.db")], { env: cliEnv(emulator, token) });
      assert.equal(sync.code, 1);
      assert.match(sync.stdout, /✗ .*dependabot.*fine-grained personal access token lacks/i);
      assert.doesNotMatch(sync.stderr, /lacks/, "the failure is shown once, not logged as well (the log level is error)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an owner's token with only the scopes ghaudit needs (no admin:org, so GitHub shows no plan): every check ✓", async () => {
    const token = await mint({ kind: "classic", login: emulator.world.adminLogin, scopes: ["repo", "read:audit_log", "security_events"] });
    const org0 = await fetch(`${emulator.url}/orgs/${org}`, { headers: { authorization: `token ${token}` } }).then((r) => r.json() as Promise<Record<string, unknown>>);
    assert.equal(org0["plan"], undefined, "GitHub's public view of the org");
    const out = await check(token);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.match(line(out, "organization"), /^✓ organization /);
  });

  test("a user who is not a member: the outsider message", async () => {
    const outsider = [...emulator.state.users.values()].find((u) => u.type === "User" && !isMember(emulator.state.org(org)!, u.login));
    assert.ok(outsider, "a user outside the org");
    const token = await mint({ kind: "classic", login: outsider.login, scopes: ["repo", "read:org", "read:audit_log", "security_events"] });
    const out = await check(token);
    assert.equal(out.code, 1);
    assert.match(line(out, "organization"), OUTSIDER);
  });

  test("members and owners whose token lacks a scope, role or permission are not called outsiders (403 is not 404)", async () => {
    const state = emulator.state.org(org)!;
    const member = state.members.find((m) => !state.owners.includes(m) && !state.securityManagers.includes(m));
    assert.ok(member, "a plain member");
    const tokens: [string, Record<string, unknown>][] = [
      ["an owner's classic token without scopes", { kind: "classic", login: emulator.world.adminLogin, scopes: [] }],
      ["a plain member's classic token with every scope", { kind: "classic", login: member, scopes: ["repo", "security_events", "read:audit_log"] }],
      ["an owner's fine-grained token with Metadata only", { kind: "fine-grained", login: emulator.world.adminLogin, orgs: [org], permissions: { metadata: "read" } }],
    ];
    for (const [what, body] of tokens) {
      const out = await check(await mint(body));
      assert.equal(out.code, 1, what);
      assert.match(line(out, "organization "), /^✓ organization /, `${what}:\n${out.stdout}`);
      assert.doesNotMatch(out.stdout, OUTSIDER, what);
      assert.match(line(out, "Dependabot alerts:"), /^✗ .*(lacks|role)/, what);
    }
  });

  test("the missing role named per stream: a security manager is told the audit log needs an org owner", async () => {
    const manager = emulator.state.org(org)!.securityManagers.find((m) => !emulator.state.org(org)!.owners.includes(m));
    assert.ok(manager, "a security manager");
    const out = await check(await mint({ kind: "classic", login: manager, scopes: ["repo", "security_events", "read:audit_log"] }));
    assert.equal(out.code, 1);
    assert.match(line(out, "organization audit log:"), /^✗ .*must be an organization owner to access/);
    const lines = out.stdout.split("\n");
    const hint = lines[lines.findIndex((l) => l.includes("organization audit log:")) + 1]!;
    assert.match(hint, /Use a token whose user is an organization owner \(a security manager is not enough\), or a GitHub App with Organization permissions → Administration: Read-only/);
    for (const ok of ["code scanning alerts", "Dependabot alerts", "secret scanning alerts"]) assert.match(line(out, ok), /^✓/, ok);
  });

  test("repository inventory without security features: ✗ naming the missing scope or permission for the token kind", async () => {
    const classic = await check(await mint({ kind: "classic", login: emulator.world.adminLogin, scopes: ["security_events"] }));
    assert.equal(classic.code, 1);
    assert.match(line(classic, "repository inventory"), /^✗ .*hides their security features.*lacks the scope `repo`; it has: security_events/);
    assert.match(classic.stdout, /tick repo/);
    const fine = await check(await mint({ kind: "fine-grained", login: emulator.world.adminLogin, orgs: [org], permissions: { metadata: "read", security_events: "read" } }));
    assert.match(line(fine, "repository inventory"), /^✗ .*fine-grained token needs Repository permissions → Administration: Read-only/);
    const app = addApp(emulator.state, org, { security_events: "read", vulnerability_alerts: "read", secret_scanning_alerts: "read", metadata: "read" });
    const dir = mkdtempSync(join(tmpdir(), "ghaudit-tc-app-"));
    try {
      const key = join(dir, "app.pem");
      writeFileSync(key, app.privateKeyPem);
      const file = join(dir, "ghaudit.yaml");
      writeFileSync(file, `orgs:\n  - name: ${org}\n    auth: { app_id: ${app.id}, private_key_path: ${key} }\n    streams:\n      audit_log: { enabled: false }\n`);
      const out = await runCli(["test-connection", "--config", file], { env: { GITHUB_API_URL: emulator.url, GHAUDIT_LOG_LEVEL: "error" } });
      assert.equal(out.code, 1, out.stdout + out.stderr);
      assert.match(line(out, "repository inventory"), /^✗ .*GitHub App lacks Repository permissions → Administration: Read-only/);
      assert.match(line(out, "code scanning alerts"), /^✓/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a used-up or low rate limit: ✗ with the reset time at once, no waiting", { timeout: 30_000 }, async () => {
    const used = await mint({ kind: "classic", login: emulator.world.adminLogin, scopes: ["repo", "security_events", "read:audit_log"] });
    try {
      await control(emulator, "rate-limit", "POST", { token: used, resource: "core", remaining: 0 });
      const out = await check(used);
      assert.equal(out.code, 1);
      assert.match(line(out, "organization"), /^✗ organization: GitHub's rate limit for "core" is used up for org "[^"]+"; it resets at \S+Z \(in \d+ min\)/);
      assert.doesNotMatch(out.stderr, /waiting/);

      await control(emulator, "rate-limit", "POST", { token: used, resource: "core", remaining: 50 });
      const low = await check(used);
      assert.equal(low.code, 1);
      assert.match(line(low, "organization "), /^✓ organization /);
      assert.match(line(low, "Dependabot alerts:"), /^✗ .*"core" is below ghaudit's back-off threshold .*resets at/);
      assert.match(line(low, "organization audit log:"), /^✓/, "the audit_log budget is another resource");
    } finally {
      // The budget is the user's, shared by all the admin's tokens: give it back for the tests after this one.
      await control(emulator, "rate-limit", "POST", { token: used, resource: "core", remaining: 5000 });
    }
  });

  test("an empty alert list explained: feature off on every repository, or code scanning without analyses", { timeout: 60_000 }, async () => {
    const world = await startWorld({ seed: 7, size: "small" });
    try {
      const [withGhas, withNothing] = world.world.orgs as [string, string];
      for (const r of world.state.reposOf(withNothing)) {
        for (const k of Object.keys(r.features) as (keyof typeof r.features)[]) r.features[k] = false;
        Object.assign(r, { visibility: "private", analyses: [], codeScanning: [], dependabot: [], secretScanning: [] });
      }
      for (const r of world.state.reposOf(withGhas)) Object.assign(r, { analyses: [], codeScanning: [] });
      const run = (o: string) => runCli(["test-connection", "--org", o], { env: cliEnv(world) });

      const off = await run(withNothing);
      assert.equal(off.code, 1);
      assert.match(line(off, "code scanning alerts:"), /^✗ [^:]+: no code scanning alerts: code scanning \(GitHub Code Security.*\) is not enabled on any of the \d+ active repositories/);
      assert.match(off.stdout, /Enable GitHub Code Security/);
      // One repository speaks for itself only: readable, with what it says and the fix.
      assert.match(line(off, "Dependabot alerts:"), /^✓ [^:]+: readable, no Dependabot alerts listed; but .*the most recently pushed of \d+ active repositories: .*Dependabot alerts are disabled/);
      assert.match(off.stdout, /Turn on Dependabot alerts/);
      assert.match(line(off, "secret scanning alerts:"), /^✗ [^:]+: no secret scanning alerts: secret scanning is not enabled on any/);

      const none = await run(withGhas);
      assert.match(line(none, "code scanning alerts:"), /^✓ [^:]+: readable, no code scanning alerts listed; but .*code scanning has never run \(no analysis found\)/);
      assert.match(none.stdout, /Set up code scanning/);
    } finally {
      await world.close();
    }
  });

  test("a fine-grained token made for another org: the other-org message", async () => {
    const token = await mint({ kind: "fine-grained", login: emulator.world.adminLogin, orgs: [other], permissions: { organization_administration: "read", vulnerability_alerts: "read" } });
    const out = await check(token);
    assert.equal(out.code, 1);
    assert.match(line(out, "organization"), /outsider|another org/);
  });

  test("a bad token: the bad-credentials message", async () => {
    const out = await check(`ghp_${"x".repeat(36)}`);
    assert.equal(out.code, 1);
    assert.match(out.stdout, /✗ organization: GitHub rejected the classic personal access token for org "[^"]+".*bad or expired token \(401 Bad credentials\)/);
    assert.match(out.stdout, /Create a new token/);
  });
  test(
    "a non-member's stream checks name the org once and do not blame the plan of a GHEC org",
    async () => {
      const outsider = [...emulator.state.users.values()].find((u) => u.type === "User" && !isMember(emulator.state.org(org)!, u.login));
      assert.ok(outsider, "a user outside the org");
      const token = await mint({ kind: "classic", login: outsider.login, scopes: ["repo", "read:org", "read:audit_log", "security_events"] });
      const out = await check(token);
      assert.equal(emulator.state.org(org)!.plan, "enterprise", "the org is on Enterprise Cloud");
      const dependabot = line(out, "Dependabot alerts:");
      assert.match(dependabot, /^✗/);
      assert.ok(!dependabot.includes(`(org "${org}" (`), `the org is named once: ${dependabot}`);
      const audit = line(out, "organization audit log:");
      assert.match(audit, /^✗.*(not a member|owner)/, "the message itself says the token's user may not be an owner");
    },
  );
});
