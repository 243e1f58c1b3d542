// The GitHub client against the emulator: base URL rules, headers, PAT auth, pagination.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { resolveApiBase } from "./base-url.js";
import { GHAUDIT_VERSION, createGitHubClient } from "./client.js";
import { Secret } from "../core/secret.js";
import { addRepo } from "../emulator/testing/fixture.js";
import { startTestWorld, type TestWorld } from "./test-world.js";

describe("resolveApiBase", () => {
  const cases: [string | undefined, string, string][] = [
    [undefined, "https://api.github.com", "github.com"],
    ["", "https://api.github.com", "github.com"],
    ["https://github.com", "https://api.github.com", "github.com"],
    ["api.github.com", "https://api.github.com", "github.com"],
    ["https://api.github.com/", "https://api.github.com", "github.com"],
    ["https://octocorp.ghe.com", "https://api.octocorp.ghe.com", "ghe.com"],
    ["https://api.octocorp.ghe.com", "https://api.octocorp.ghe.com", "ghe.com"],
    ["octocorp.ghe.com", "https://api.octocorp.ghe.com", "ghe.com"],
    ["https://github.example.com", "https://github.example.com/api/v3", "ghes"],
    ["github.example.com", "https://github.example.com/api/v3", "ghes"],
    ["https://github.example.com/", "https://github.example.com/api/v3", "ghes"],
    ["https://github.example.com/api/v3", "https://github.example.com/api/v3", "ghes"],
    ["https://github.example.com:8443/api/v3/", "https://github.example.com:8443/api/v3", "ghes"],
    ["https://proxy.example.com/github", "https://proxy.example.com/github", "custom"],
    ["http://127.0.0.1:3000", "http://127.0.0.1:3000", "custom"],
    ["http://localhost:8080/", "http://localhost:8080", "custom"],
    ["http://github.com", "https://api.github.com", "github.com"],
  ];
  for (const [input, baseUrl, flavor] of cases) {
    it(`${JSON.stringify(input)} → ${baseUrl}`, () => {
      assert.deepEqual(resolveApiBase(input), { baseUrl, flavor });
    });
  }

  it("rejects what cannot be an API URL", () => {
    assert.throws(() => resolveApiBase("ftp://github.example.com"), /https/);
    assert.throws(() => resolveApiBase("https://user:pw@github.example.com"), /credentials/);
    assert.throws(() => resolveApiBase("https://github.com/api/v3"), /no path/);
    assert.throws(() => resolveApiBase("https://exa mple.com"), /not a URL/);
    // http:// only for this machine: anywhere else the token would travel in clear text.
    assert.throws(() => resolveApiBase("http://github.example.com"), /unencrypted: use https:\/\//);
    assert.throws(() => resolveApiBase("http://10.0.0.5:8080/api/v3"), /unencrypted/);
  });

  it("the client sends GHES requests under /api/v3 and GHE.com requests to api.SUBDOMAIN", () => {
    const ghes = createGitHubClient({ apiUrl: "https://github.example.com", auth: { kind: "token", token: new Secret("ghp_x") } });
    assert.equal(ghes.request.endpoint("GET /orgs/{org}", { org: "acme" }).url, "https://github.example.com/api/v3/orgs/acme");
    assert.equal(ghes.ghaudit.flavor, "ghes");
    const ghe = createGitHubClient({ apiUrl: "https://octocorp.ghe.com", auth: { kind: "token", token: new Secret("ghp_x") } });
    assert.equal(ghe.request.endpoint("GET /orgs/{org}", { org: "acme" }).url, "https://api.octocorp.ghe.com/orgs/acme");
  });
});

describe("GitHub client with a personal access token", () => {
  let world: TestWorld;
  before(async () => {
    world = await startTestWorld();
  });
  after(() => world.close());

  it("sends the API version and ghaudit's user agent and reads the org", async () => {
    const client = world.client();
    const sent: Record<string, unknown>[] = [];
    client.hook.after("request", (_response, options) => {
      sent.push({ ...options.headers });
    });
    const res = await client.request("GET /orgs/{org}", { org: "acme" });
    assert.equal(res.data.login, "acme");
    assert.equal(res.headers["x-github-api-version-selected"], "2022-11-28");
    assert.equal(sent[0]?.["x-github-api-version"], "2022-11-28");
    assert.match(String(sent[0]?.["user-agent"]), new RegExp(`^ghaudit/${GHAUDIT_VERSION.replace(/\./g, "\\.")} `));
    assert.equal(client.ghaudit.tokenKind, "classic");
    assert.equal(client.ghaudit.baseUrl, world.emulator.url);
  });

  it("records the rate-limit budget from response headers", async () => {
    const client = world.client();
    await client.request("GET /orgs/{org}", { org: "acme" });
    const [core] = client.ghaudit.rateLimits();
    assert.equal(core?.resource, "core");
    assert.equal(core?.limit, 5000);
    assert.ok(core !== undefined && core.remaining < 5000);
  });

  it("paginates with Link headers", async () => {
    for (let i = 0; i < 5; i++) addRepo(world.emulator.state, "acme", `svc-${i}`);
    const client = world.client();
    const pages: number[] = [];
    const repos = await client.paginate("GET /orgs/{org}/repos", { org: "acme", per_page: 2 }, (response) => {
      pages.push(response.data.length);
      return response.data;
    });
    assert.equal(repos.length, 6);
    assert.deepEqual(pages, [2, 2, 2]);
  });
});
