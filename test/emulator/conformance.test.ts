// Conformance: every endpoint the emulator implements answers with bodies that validate against the response
// schemas of GitHub's official OpenAPI description (ghec.json), and every webhook it sends validates against
// @octokit/openapi-webhooks.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createPrivateKey } from "node:crypto";
import { SignJWT } from "jose";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { validateResponse, validateWebhook } from "../../src/emulator/testing/openapi.js";
import type { SeededWorld } from "../../src/emulator/seed/generator.js";

let emu: Emulator;
let world: SeededWorld;
let receiver: Server;
const received: { event: string; body: Record<string, unknown> }[] = [];

async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

function check(method: string, specPath: string, status: number, body: unknown): void {
  const result = validateResponse(method, specPath, status, body);
  assert.ok(result.ok, `${method.toUpperCase()} ${specPath} ${status}: ${result.errors.join("; ")}`);
}

/** A repo of the first org with at least one alert of each kind, and the numbers of those alerts. */
function sampleRepo() {
  const repo = emu.state.reposOf(world.orgs[0]!).find((r) => r.codeScanning.length && r.dependabot.length && r.secretScanning.length && r.features.secret_scanning && r.features.dependabot_alerts && r.analyses.length);
  assert.ok(repo, "the seeded world has a repository with alerts of every kind");
  return repo;
}

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ event: String(req.headers["x-github-event"]), body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown> });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  emu = await startEmulator({ seed: 7, size: { enterprise: true }, webhooks: [{ url: hookUrl, secret: "conformance" }] });
  world = emu.world!;
  assert.ok(world.enterprise, "the world has an enterprise, so enterprise endpoints are checked too");
});

after(async () => {
  await emu.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe("REST responses validate against ghec.json", () => {
  it("organizations, repositories and rate limit", async () => {
    const org = world.orgs[0]!;
    check("get", "/orgs/{org}", 200, (await call("GET", `/orgs/${org}`, world.adminToken)).body);
    check("get", "/orgs/{org}/repos", 200, (await call("GET", `/orgs/${org}/repos?per_page=100`, world.adminToken)).body);
    check("get", "/rate_limit", 200, (await call("GET", "/rate_limit", world.adminToken)).body);
  });

  it("org and enterprise audit logs", async () => {
    const org = world.orgs[0]!;
    const orgLog = await call("GET", `/orgs/${org}/audit-log?per_page=100&include=all`, world.adminToken);
    assert.equal(orgLog.status, 200);
    assert.ok((orgLog.body as unknown[]).length > 0);
    check("get", "/orgs/{org}/audit-log", 200, orgLog.body);
    {
      const ent = await call("GET", `/enterprises/${world.enterprise}/audit-log?per_page=100`, world.adminToken);
      assert.equal(ent.status, 200);
      check("get", "/enterprises/{enterprise}/audit-log", 200, ent.body);
    }
  });

  it("code scanning lists, alert, instances, analyses and PATCH", async () => {
    const org = world.orgs[0]!;
    const repo = sampleRepo();
    const number = repo.codeScanning[0]!.alert.number;
    check("get", "/orgs/{org}/code-scanning/alerts", 200, (await call("GET", `/orgs/${org}/code-scanning/alerts?per_page=100`, world.adminToken)).body);
    check("get", "/repos/{owner}/{repo}/code-scanning/alerts", 200, (await call("GET", `/repos/${repo.fullName}/code-scanning/alerts?per_page=100`, world.adminToken)).body);
    check("get", "/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}", 200, (await call("GET", `/repos/${repo.fullName}/code-scanning/alerts/${number}`, world.adminToken)).body);
    check("get", "/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances", 200, (await call("GET", `/repos/${repo.fullName}/code-scanning/alerts/${number}/instances`, world.adminToken)).body);
    check("get", "/repos/{owner}/{repo}/code-scanning/analyses", 200, (await call("GET", `/repos/${repo.fullName}/code-scanning/analyses`, world.adminToken)).body);
    {
      check("get", "/enterprises/{enterprise}/code-scanning/alerts", 200, (await call("GET", `/enterprises/${world.enterprise}/code-scanning/alerts?per_page=50`, world.adminToken)).body);
    }
    const open = repo.codeScanning.find((r) => r.alert.state === "open");
    if (open) {
      const patched = await call("PATCH", `/repos/${repo.fullName}/code-scanning/alerts/${open.alert.number}`, world.adminToken, { state: "dismissed", dismissed_reason: "won't fix", dismissed_comment: "conformance" });
      assert.equal(patched.status, 200);
      check("patch", "/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}", 200, patched.body);
    }
  });

  it("Dependabot lists, alert and PATCH", async () => {
    const org = world.orgs[0]!;
    const repo = sampleRepo();
    check("get", "/orgs/{org}/dependabot/alerts", 200, (await call("GET", `/orgs/${org}/dependabot/alerts?per_page=100`, world.adminToken)).body);
    check("get", "/repos/{owner}/{repo}/dependabot/alerts", 200, (await call("GET", `/repos/${repo.fullName}/dependabot/alerts?per_page=100`, world.adminToken)).body);
    check("get", "/repos/{owner}/{repo}/dependabot/alerts/{alert_number}", 200, (await call("GET", `/repos/${repo.fullName}/dependabot/alerts/${repo.dependabot[0]!.number}`, world.adminToken)).body);
    {
      check("get", "/enterprises/{enterprise}/dependabot/alerts", 200, (await call("GET", `/enterprises/${world.enterprise}/dependabot/alerts?per_page=50`, world.adminToken)).body);
    }
    const open = repo.dependabot.find((a) => a.state === "open");
    if (open) {
      const patched = await call("PATCH", `/repos/${repo.fullName}/dependabot/alerts/${open.number}`, world.adminToken, { state: "dismissed", dismissed_reason: "tolerable_risk", dismissed_comment: "conformance" });
      assert.equal(patched.status, 200);
      check("patch", "/repos/{owner}/{repo}/dependabot/alerts/{alert_number}", 200, patched.body);
    }
  });

  it("secret scanning lists, alert, locations and PATCH", async () => {
    const org = world.orgs[0]!;
    const repo = sampleRepo();
    const number = repo.secretScanning[0]!.alert.number;
    check("get", "/orgs/{org}/secret-scanning/alerts", 200, (await call("GET", `/orgs/${org}/secret-scanning/alerts?per_page=100`, world.adminToken)).body);
    check("get", "/repos/{owner}/{repo}/secret-scanning/alerts", 200, (await call("GET", `/repos/${repo.fullName}/secret-scanning/alerts?per_page=100`, world.adminToken)).body);
    check("get", "/repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}", 200, (await call("GET", `/repos/${repo.fullName}/secret-scanning/alerts/${number}`, world.adminToken)).body);
    check("get", "/repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}/locations", 200, (await call("GET", `/repos/${repo.fullName}/secret-scanning/alerts/${number}/locations`, world.adminToken)).body);
    {
      check("get", "/enterprises/{enterprise}/secret-scanning/alerts", 200, (await call("GET", `/enterprises/${world.enterprise}/secret-scanning/alerts?per_page=50`, world.adminToken)).body);
    }
    const open = repo.secretScanning.find((r) => r.alert.state === "open");
    if (open) {
      const patched = await call("PATCH", `/repos/${repo.fullName}/secret-scanning/alerts/${open.alert.number}`, world.adminToken, { state: "resolved", resolution: "revoked", resolution_comment: "rotated" });
      assert.equal(patched.status, 200);
      check("patch", "/repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}", 200, patched.body);
    }
  });

  it("issues and GitHub App endpoints", async () => {
    const repo = sampleRepo();
    const issue = await call("POST", `/repos/${repo.fullName}/issues`, world.adminToken, { title: "Review alert", labels: ["security"] });
    assert.equal(issue.status, 201);
    check("post", "/repos/{owner}/{repo}/issues", 201, issue.body);
    const now = Math.floor(emu.state.now() / 1000);
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: "RS256" })
      .setIssuedAt(now - 60)
      .setExpirationTime(now + 480)
      .setIssuer(world.app.clientId)
      // GitHub hands out App keys as PKCS#1 PEM ("BEGIN RSA PRIVATE KEY").
      .sign(createPrivateKey(world.app.privateKeyPem));
    const inst = await call("GET", `/orgs/${world.orgs[0]}/installation`, jwt);
    check("get", "/orgs/{org}/installation", 200, inst.body);
    const token = await call("POST", `/app/installations/${(inst.body as { id: number }).id}/access_tokens`, jwt);
    assert.equal(token.status, 201);
    check("post", "/app/installations/{installation_id}/access_tokens", 201, token.body);
  });

  it("error bodies", async () => {
    const bad = await call("GET", `/orgs/${world.orgs[0]}/dependabot/alerts?page=2`, world.adminToken);
    assert.equal(bad.status, 400);
    const missing = await call("GET", "/orgs/no-such-org", world.adminToken);
    check("get", "/orgs/{org}", 404, missing.body);
  });
});

describe("webhook bodies validate against @octokit/openapi-webhooks", () => {
  it("for every delivery the simulator causes", async () => {
    received.length = 0;
    emu.simulator.step(150);
    await emu.webhooks.idle();
    assert.ok(received.length > 20, `expected many deliveries, got ${received.length}`);
    const events = new Set<string>();
    for (const { event, body } of received) {
      const action = typeof body["action"] === "string" ? body["action"] : undefined;
      events.add(`${event}.${action}`);
      const result = validateWebhook(event, action, body);
      assert.ok(result.ok, `${event}.${action}: ${result.errors.join("; ")}`);
    }
    for (const event of ["code_scanning_alert", "dependabot_alert", "secret_scanning_alert"]) {
      assert.ok([...events].some((e) => e.startsWith(`${event}.`)), `no ${event} delivery among ${[...events].join(", ")}`);
    }
  });
});
