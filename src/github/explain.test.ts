// explainGitHubError on real error responses from the emulator: each one names the cause and the fix,
// and never the token.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { after, before, describe, it } from "node:test";
import { Secret } from "../core/secret.js";
import { addApp, addOrg, addRepo, addToken, ALL_FEATURES } from "../emulator/testing/fixture.js";
import { createGitHubClient } from "./client.js";
import { explainGitHubError, type ExplainContext } from "./explain.js";
import { startTestWorld, type TestWorld } from "./test-world.js";

describe("explainGitHubError", () => {
  let world: TestWorld;
  const withToken = (token: string) => world.client({ auth: { kind: "token", token: new Secret(token) }, retries: 0 });
  const failure = async (promise: Promise<unknown>, ctx: ExplainContext) => {
    const err = await promise.then(
      () => assert.fail("expected the request to fail"),
      (e: unknown) => e,
    );
    return explainGitHubError(err, ctx);
  };

  before(async () => {
    world = await startTestWorld();
    const { state } = world.emulator;
    addOrg(state, "smallco", { plan: "team" });
    addRepo(state, "acme", "no-dependabot", { features: { ...ALL_FEATURES, dependabot_alerts: false } });
    addRepo(state, "acme", "no-ghas", { features: { ...ALL_FEATURES, advanced_security: false, code_security: false } });
    addRepo(state, "acme", "no-secrets", { features: { ...ALL_FEATURES, secret_scanning: false } });
    state.addEnterprise({ slug: "acme-ent", id: 4242, name: "Acme Enterprise", owners: ["owner1"] });
    state.org("acme")!.enterprise = "acme-ent";
  });
  after(() => world.close());

  it("401: bad or expired token, without repeating the token", async () => {
    const token = "ghp_" + "Z".repeat(36);
    const err = await failure(withToken(token).request("GET /orgs/{org}", { org: "acme" }), { org: "acme", tokenKind: "classic" });
    assert.equal(err.code, "github-bad-credentials");
    assert.match(err.message, /classic personal access token .* bad or expired token/);
    assert.match(err.hint ?? "", /GITHUB_TOKEN/);
    assert.equal(err.exitCode, 77);
    for (const text of [err.message, err.hint ?? "", JSON.stringify(err), JSON.stringify(err.details), inspect(err, { depth: 8 })]) {
      assert.ok(!text.includes(token), "the token must not appear");
    }
  });

  it("403 for a fine-grained token: names the missing permission", async () => {
    const token = addToken(world.emulator.state, { login: "owner1", kind: "fine-grained", permissions: { security_events: "read" } });
    const err = await failure(withToken(token).request("GET /repos/{owner}/{repo}/dependabot/alerts", { owner: "acme", repo: "api" }), {
      org: "acme",
      stream: "dependabot",
      tokenKind: "fine-grained",
    });
    assert.equal(err.code, "github-missing-permission");
    assert.match(err.message, /fine-grained personal access token lacks "Dependabot alerts: read \(vulnerability_alerts\)"/);
    assert.match(err.hint ?? "", /Repository permissions → Dependabot alerts: Read-only/);
  });

  it("403 for a classic token: names the missing scope and the ones it has", async () => {
    const token = addToken(world.emulator.state, { login: "owner1", kind: "classic", scopes: ["repo"] });
    const err = await failure(withToken(token).request("GET /orgs/{org}/audit-log", { org: "acme" }), {
      org: "acme",
      stream: "audit_log",
      tokenKind: "classic",
    });
    assert.equal(err.code, "github-missing-permission");
    assert.match(err.message, /lacks the scope `read:audit_log` \(any of: read:audit_log, admin:org\) needed for org "acme" \(org-audit-log stream\); it has: repo/);
  });

  it("403 for a GitHub App: names the App permission to add", async () => {
    const app = addApp(world.emulator.state, "acme", { security_events: "read" });
    const client = createGitHubClient({
      apiUrl: world.emulator.url,
      auth: { kind: "app", appId: app.id, privateKey: new Secret(app.privateKeyPem), org: "acme" },
      clock: world.clock,
      sleep: world.sleep,
    });
    const err = await failure(client.request("GET /orgs/{org}/audit-log", { org: "acme" }), { org: "acme", stream: "org-audit-log", tokenKind: client.ghaudit.tokenKind });
    assert.equal(err.code, "github-missing-permission");
    assert.match(err.message, /GitHub App installed on org "acme" lacks "Administration: read \(organization_administration\)"/);
    assert.match(err.hint ?? "", /Organization permissions → Administration: Read-only/);
  });

  it("404 on an org endpoint: wrong org, not a member, or org not found", async () => {
    const token = addToken(world.emulator.state, { login: "stranger", kind: "classic", scopes: ["repo", "security_events"] });
    const err = await failure(withToken(token).request("GET /orgs/{org}/dependabot/alerts", { org: "acme" }), { org: "acme", stream: "dependabot", tokenKind: "classic" });
    assert.equal(err.code, "github-wrong-org");
    assert.match(err.message, /org "acme" does not exist.*not a member/);
  });

  it("404 on GET /orgs/{org}: the org does not exist (that endpoint is public), not 'not a member'", async () => {
    const err = await failure(world.client().request("GET /orgs/{org}", { org: "no-such-org" }), { org: "no-such-org", tokenKind: "classic" });
    assert.equal(err.code, "github-wrong-org");
    assert.match(err.message, /there is no org "no-such-org"/);
    assert.doesNotMatch(err.message, /not a member|another org/);
    assert.match(err.hint ?? "", /Check the org name.*Enterprise Server, or with a fine-grained token/);
  });

  it("403 for a role: the org audit log needs an org owner (not a security manager), named per stream", async () => {
    const token = addToken(world.emulator.state, { login: "sec1", kind: "classic", scopes: ["repo", "read:audit_log", "security_events"] });
    const audit = await failure(withToken(token).request("GET /orgs/{org}/audit-log", { org: "acme" }), { org: "acme", stream: "org-audit-log", tokenKind: "classic" });
    assert.equal(audit.code, "github-missing-permission");
    assert.match(audit.message, /You must be an organization owner to access this resource\./);
    assert.match(audit.hint ?? "", /^Use a token whose user is an organization owner \(a security manager is not enough\), or a GitHub App with Organization permissions → Administration: Read-only\.$/);
    const member = addToken(world.emulator.state, { login: "dev1", kind: "classic", scopes: ["repo", "security_events"] });
    const alerts = await failure(withToken(member).request("GET /orgs/{org}/dependabot/alerts", { org: "acme" }), { org: "acme", stream: "dependabot", tokenKind: "classic" });
    assert.match(alerts.message, /owner or security manager/);
    assert.match(alerts.hint ?? "", /^Use a token whose user is an org owner or security manager, or a GitHub App with Repository permissions → Dependabot alerts: Read-only\.$/);
  });

  it("403 for a role on an enterprise endpoint: an enterprise owner's classic token, never 'or a GitHub App'", async () => {
    const token = addToken(world.emulator.state, { login: "dev1", kind: "classic", scopes: ["read:audit_log"] });
    const err = await failure(withToken(token).request("GET /enterprises/{enterprise}/audit-log", { enterprise: "acme-ent" }), {
      enterprise: "acme-ent",
      stream: "enterprise-audit-log",
      tokenKind: "classic",
    });
    assert.equal(err.code, "github-missing-permission");
    assert.match(err.hint ?? "", /classic personal access token of an enterprise owner/);
    assert.match(err.hint ?? "", /GitHub Apps and fine-grained tokens cannot read enterprise endpoints/);
    assert.doesNotMatch(err.hint ?? "", /or a GitHub App/);
  });

  it("a fine-grained token on an enterprise alert list: needs a classic token, not a fine-grained permission", async () => {
    const token = addToken(world.emulator.state, { login: "owner1", kind: "fine-grained", permissions: { security_events: "read", vulnerability_alerts: "read" } });
    for (const [route, stream] of [
      ["GET /enterprises/{enterprise}/code-scanning/alerts", "code-scanning"],
      ["GET /enterprises/{enterprise}/dependabot/alerts", "dependabot"],
    ] as const) {
      const err = await failure(withToken(token).request(route, { enterprise: "acme-ent" }), { enterprise: "acme-ent", stream, tokenKind: "fine-grained" });
      assert.equal(err.code, "github-missing-permission");
      assert.match(err.message, /enterprise "acme-ent" \(\S+ stream\) cannot be read with a fine-grained personal access token: enterprise endpoints need a classic personal access token/);
      assert.match(err.hint ?? "", /classic personal access token .* of an enterprise owner with security_events/);
      assert.doesNotMatch(`${err.message} ${err.hint}`, /Repository permissions|resource owner/);
    }
  });

  it("404 on the audit log of a non-Enterprise org: needs Enterprise Cloud", async () => {
    const err = await failure(world.client().request("GET /orgs/{org}/audit-log", { org: "smallco" }), { org: "smallco", stream: "audit_log" });
    assert.equal(err.code, "github-audit-log-unavailable");
    assert.match(err.message, /not on GitHub Enterprise Cloud/);
  });

  const features: [string, string, RegExp, RegExp][] = [
    ["GET /repos/{owner}/{repo}/dependabot/alerts", "no-dependabot", /Dependabot alerts are disabled/, /Turn on Dependabot alerts/],
    ["GET /repos/{owner}/{repo}/code-scanning/alerts", "no-ghas", /code scanning is not enabled/, /Code Security/],
    ["GET /repos/{owner}/{repo}/secret-scanning/alerts", "no-secrets", /secret scanning is disabled/, /Secret Protection/],
    ["GET /repos/{owner}/{repo}/code-scanning/alerts", "api", /code scanning has never run \(no analysis found\)/, /Set up code scanning/],
  ];
  for (const [route, repo, message, hint] of features) {
    it(`feature disabled: ${repo} (${route.split("/").at(-2)})`, async () => {
      const err = await failure(world.client().request(route, { owner: "acme", repo }), { org: "acme" });
      assert.equal(err.code, "github-feature-disabled");
      assert.match(err.message, new RegExp(`repository acme/${repo}`));
      assert.match(err.message, message);
      assert.match(err.hint ?? "", hint);
    });
  }

  it("an exhausted budget: says when it resets", async () => {
    const token = addToken(world.emulator.state, { login: "owner1", kind: "classic", scopes: ["repo"] });
    const bucket = (await world.control("/_emulator/rate-limit", { token, remaining: 0 })) as { resetAt: number };
    const client = world.client({ auth: { kind: "token", token: new Secret(token) }, maxRateLimitRetries: 0 });
    const err = await failure(client.request("GET /orgs/{org}", { org: "acme" }), { org: "acme", now: bucket.resetAt - 30 * 60_000 });
    assert.equal(err.code, "github-rate-limited");
    assert.match(err.message, /resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 30 min\)/);
    assert.equal(err.exitCode, 75);
  });

  it("a host that does not answer: GitHub unavailable", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const client = world.client({ apiUrl: `http://127.0.0.1:${port}`, retries: 1 });
    const err = await failure(client.request("GET /orgs/{org}", { org: "acme" }), { org: "acme" });
    assert.equal(err.code, "github-unavailable");
    assert.match(err.message, /Could not reach GitHub for org "acme": network error on GET \/orgs\/acme/);
  });

  it("passes AppErrors through and keeps other errors internal", () => {
    const app = explainGitHubError(new TypeError("boom"));
    assert.equal(app.code, "internal");
    assert.equal(explainGitHubError(app), app);
  });
});
