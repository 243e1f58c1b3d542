// GitHub App auth against the emulator: JWT (app id or client id), installation discovery, token reuse, refresh
// before expiry, a new token after the emulator's clock passes the hour, and PKCS#1 keys.
import assert from "node:assert/strict";
import { createPrivateKey } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import { Secret } from "../core/secret.js";
import { addApp, addOrg } from "../emulator/testing/fixture.js";
import { parsePrivateKey } from "./app-auth.js";
import { createGitHubClient, type GitHubClient } from "./client.js";
import { explainGitHubError } from "./explain.js";
import { startTestWorld, type TestWorld } from "./test-world.js";

type RequestsLog = { byRoute: Record<string, { count: number; statuses: Record<string, number> }> };

describe("GitHub App authentication", () => {
  let world: TestWorld;
  let app: ReturnType<typeof addApp>;
  const count = async (route: string) => ((await world.control("/_emulator/requests")) as RequestsLog).byRoute[route]?.count ?? 0;
  const mints = () => count(`POST /app/installations/${app.installationId}/access_tokens`);
  const appClient = (auth: Partial<{ appId: number; clientId: string; privateKey: Secret; org: string }> = {}): GitHubClient =>
    createGitHubClient({
      apiUrl: world.emulator.url,
      auth: { kind: "app", appId: app.id, privateKey: new Secret(app.privateKeyPem), org: "acme", ...auth },
      clock: world.clock,
      sleep: world.sleep,
    });

  before(async () => {
    world = await startTestWorld();
    app = addApp(world.emulator.state, "acme", { administration: "read", security_events: "read", metadata: "read" });
  });
  beforeEach(() => world.control("/_emulator/requests", undefined, "DELETE"));
  after(() => world.close());

  it("discovers the installation, mints one token and reuses it", async () => {
    const client = appClient();
    assert.equal(client.ghaudit.tokenKind, "installation");
    const first = await client.request("GET /orgs/{org}/repos", { org: "acme" });
    const second = await client.request("GET /orgs/{org}/repos", { org: "acme" });
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    // An installation with Administration read sees security_and_analysis, so the token really acted as the App.
    assert.ok(first.data[0]?.security_and_analysis);
    assert.equal(await count("GET /orgs/acme/installation"), 1);
    assert.equal(await mints(), 1);
  });

  it("prefers the client ID as JWT issuer", async () => {
    // A wrong App ID beside the right client ID still works: the JWT's iss is the client ID.
    const client = appClient({ clientId: app.clientId, appId: 999_999 });
    const res = await client.request("GET /orgs/{org}", { org: "acme" });
    assert.equal(res.status, 200);
    assert.equal(await mints(), 1);
  });

  it("accepts a PKCS#1 key (the format GitHub downloads)", async () => {
    const pkcs1 = createPrivateKey(app.privateKeyPem).export({ type: "pkcs1", format: "pem" }).toString();
    assert.match(pkcs1, /BEGIN RSA PRIVATE KEY/);
    assert.equal(parsePrivateKey(pkcs1.replace(/\n/g, "\\n")).asymmetricKeyType, "rsa");
    const res = await appClient({ privateKey: new Secret(pkcs1) }).request("GET /orgs/{org}", { org: "acme" });
    assert.equal(res.status, 200);
  });

  it("mints a new token after the emulator's clock passes the hour, and the old one is dead", async () => {
    const client = appClient();
    await client.request("GET /orgs/{org}/repos", { org: "acme" });
    const { token: old } = (await client.auth()) as { token: string };
    assert.match(old, /^ghs_/);
    await world.advance(61 * 60_000);
    const stale = await fetch(`${world.emulator.url}/orgs/acme/repos`, { headers: { authorization: `token ${old}` } });
    assert.equal(stale.status, 401);
    const res = await client.request("GET /orgs/{org}/repos", { org: "acme" });
    assert.equal(res.status, 200);
    const { token: fresh } = (await client.auth()) as { token: string };
    assert.notEqual(fresh, old);
    assert.equal(await mints(), 2);
    assert.equal(await count("GET /orgs/acme/installation"), 1);
  });

  it("refreshes the token shortly before it expires, not after", async () => {
    const client = appClient();
    await client.request("GET /orgs/{org}", { org: "acme" });
    await world.advance(50 * 60_000);
    await client.request("GET /orgs/{org}", { org: "acme" });
    assert.equal(await mints(), 1, "50 minutes in, the token is still good");
    await world.advance(6 * 60_000);
    await client.request("GET /orgs/{org}", { org: "acme" });
    assert.equal(await mints(), 2, "56 minutes in, within the 5-minute margin, a new token is minted");
    const statuses = ((await world.control("/_emulator/requests")) as RequestsLog).byRoute["GET /orgs/acme"]?.statuses;
    assert.deepEqual(statuses, { "200": 3 });
  });

  it("a token revoked early is replaced once after a 401", async () => {
    const client = appClient();
    await client.request("GET /orgs/{org}", { org: "acme" });
    const { token } = (await client.auth()) as { token: string };
    world.emulator.state.tokens.delete(token);
    const res = await client.request("GET /orgs/{org}/repos", { org: "acme" });
    assert.equal(res.status, 200);
    assert.equal(await mints(), 2);
  });

  it("explains an org the App is not installed on", async () => {
    addOrg(world.emulator.state, "elsewhere");
    const client = appClient({ org: "elsewhere" });
    const err = await client.request("GET /orgs/{org}/repos", { org: "elsewhere" }).catch((e: unknown) => e);
    const explained = explainGitHubError(err, { org: "elsewhere", tokenKind: "installation" });
    assert.equal(explained.code, "github-not-found");
    assert.match(explained.message, /not installed on org "elsewhere"/);
  });

  it("refuses a private key that is not an RSA PEM", () => {
    assert.throws(
      () => createGitHubClient({ auth: { kind: "app", appId: 1, privateKey: new Secret("not a key"), org: "acme" } }),
      (err: Error & { code?: string }) => err.code === "github-bad-credentials" && /private key/.test(err.message),
    );
  });
});
