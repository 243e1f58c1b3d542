// The emulator's cross-cutting HTTP behaviour: auth errors, rate-limit budgets and headers, ETag/304,
// API versions, GitHub App auth, issues, org endpoints, fault injection, and octokit working against it.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { SignJWT, importPKCS8 } from "jose";
import { Octokit } from "@octokit/core";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { addApp, addOrg, addRepo, addToken } from "../../src/emulator/testing/fixture.js";

let emu: Emulator;
let owner: string;
let member: string;
let fineGrainedNoIssues: string;
let fineGrainedIssues: string;
let app: ReturnType<typeof addApp>;

async function get(path: string, token?: string, headers: Record<string, string> = {}) {
  return fetch(`${emu.url}${path}`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
}

async function control(path: string, body: unknown) {
  const res = await fetch(`${emu.url}/_emulator${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  assert.ok(res.ok, `control ${path}: ${res.status} ${await res.clone().text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

/** A new org owner with a classic token of its own, so its rate-limit budget (per user) is untouched. */
let users = 0;
function freshOwner(scopes = ["repo"]): string {
  const login = `user${++users}`;
  emu.state.addUser({ login, id: emu.state.nextId(), type: "User", name: login, country: { code: "DE", name: "Germany" } });
  emu.state.org("acme")!.owners.push(login);
  return addToken(emu.state, { login, scopes });
}

async function jwtFor(appId: number, privateKeyPem: string, lifetimeS = 540) {
  const now = Math.floor(emu.state.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "RS256" })
    .setIssuedAt(now - 60)
    .setExpirationTime(now - 60 + lifetimeS)
    .setIssuer(String(appId))
    .sign(await importPKCS8(privateKeyPem, "RS256"));
}

before(async () => {
  emu = await startEmulator({ seedWorld: false, frozenClock: true, now: Date.UTC(2026, 5, 1) });
  const { state } = emu;
  addOrg(state, "acme", { owners: ["alice"], members: ["bob"], securityManagers: [] });
  addOrg(state, "other", { owners: ["carol"], members: [], securityManagers: [] });
  addRepo(state, "acme", "web", { visibility: "public" });
  addRepo(state, "acme", "api");
  addRepo(state, "acme", "no-issues", { hasIssues: false });
  for (let i = 0; i < 7; i++) addRepo(state, "acme", `svc-${i}`);
  owner = addToken(state, { login: "alice", scopes: ["repo", "admin:org", "read:audit_log", "security_events"] });
  member = addToken(state, { login: "bob", scopes: ["repo"] });
  fineGrainedNoIssues = addToken(state, { login: "alice", kind: "fine-grained", orgs: ["acme"], permissions: { security_events: "read" } });
  fineGrainedIssues = addToken(state, { login: "alice", kind: "fine-grained", orgs: ["acme"], permissions: { issues: "write" } });
  app = addApp(state, "acme", { issues: "write", security_events: "read" });
});

after(async () => {
  await emu.close();
});

describe("authentication", () => {
  it("rejects a bad token with 401 Bad credentials in GitHub's body shape, with rate-limit headers", async () => {
    const res = await get("/orgs/acme", "ghp_doesnotexist000000000000000000000000");
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
    assert.ok(res.headers.get("x-ratelimit-limit"));
    assert.equal(res.headers.get("x-ratelimit-resource"), "core");
  });

  it("answers 401 Requires authentication on an endpoint that needs a token", async () => {
    const res = await fetch(`${emu.url}/repos/acme/api/issues`, { method: "POST", body: "{}" });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { message: string }).message, "Requires authentication");
  });

  it("names the missing fine-grained permission", async () => {
    const res = await fetch(`${emu.url}/repos/acme/api/issues`, {
      method: "POST",
      body: JSON.stringify({ title: "x" }),
      headers: { authorization: `Bearer ${fineGrainedNoIssues}` },
    });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { message: string }).message, "Resource not accessible by personal access token");
    assert.equal(res.headers.get("x-accepted-github-permissions"), "issues=write");
  });

  it("reports classic scopes in x-oauth-scopes", async () => {
    const res = await get("/orgs/acme", owner);
    assert.equal(res.headers.get("x-oauth-scopes"), "repo, admin:org, read:audit_log, security_events");
  });

  it("rejects unsupported API versions with 400", async () => {
    const res = await get("/orgs/acme", owner, { "x-github-api-version": "2020-01-01" });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /Unsupported 'X-GitHub-Api-Version'/);
  });
});

describe("rate limits and conditional requests", () => {
  it("spends one unit per request, none for /rate_limit, and reports it in every response", async () => {
    const token = freshOwner();
    const a = await get("/orgs/acme", token);
    const b = await get("/orgs/acme/repos", token);
    assert.equal(Number(a.headers.get("x-ratelimit-remaining")) - 1, Number(b.headers.get("x-ratelimit-remaining")));
    const rl = await get("/rate_limit", token);
    const body = (await rl.json()) as { resources: Record<string, { remaining: number; used: number }>; rate: { used: number } };
    assert.equal(body.resources["core"]!.remaining, Number(b.headers.get("x-ratelimit-remaining")));
    assert.equal(body.rate.used, 2);
    const again = await get("/rate_limit", token);
    assert.equal(((await again.json()) as typeof body).resources["core"]!.used, 2);
  });

  it("answers 304 to If-None-Match without spending budget", async () => {
    const token = freshOwner();
    const first = await get("/orgs/acme/repos?per_page=5", token);
    const etag = first.headers.get("etag");
    assert.match(etag ?? "", /^W\/"[0-9a-f]{64}"$/);
    const remaining = Number(first.headers.get("x-ratelimit-remaining"));
    const second = await get("/orgs/acme/repos?per_page=5", token, { "if-none-match": etag! });
    assert.equal(second.status, 304);
    assert.equal(await second.text(), "");
    assert.equal(Number(second.headers.get("x-ratelimit-remaining")), remaining);
    // A different token does not share the ETag: GitHub's ETags vary with the caller.
    const other = freshOwner();
    const third = await get("/orgs/acme/repos?per_page=5", other, { "if-none-match": etag! });
    assert.equal(third.status, 200);
  });

  it("runs out, answers GitHub's 403, and resets when the window ends", async () => {
    const token = freshOwner();
    await control("/rate-limit", { token, limit: 3 });
    for (let i = 0; i < 3; i++) assert.equal((await get("/orgs/acme", token)).status, 200);
    const out = await get("/orgs/acme", token);
    assert.equal(out.status, 403);
    assert.equal(out.headers.get("x-ratelimit-remaining"), "0");
    const body = (await out.json()) as { message: string; documentation_url: string };
    assert.match(body.message, /^API rate limit exceeded for user ID \d+\./);
    assert.equal(body.documentation_url, "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api");
    const reset = Number(out.headers.get("x-ratelimit-reset")) * 1000;
    await control("/time", { advanceMs: reset - emu.state.now() + 1000 });
    const back = await get("/orgs/acme", token);
    assert.equal(back.status, 200);
    assert.equal(back.headers.get("x-ratelimit-remaining"), "2");
  });

  it("keeps the audit log on its own budget", async () => {
    const token = freshOwner(["read:audit_log"]);
    const res = await get("/orgs/acme/audit-log", token);
    assert.equal(res.headers.get("x-ratelimit-resource"), "audit_log");
    assert.equal(res.headers.get("x-ratelimit-limit"), "1750");
  });
});

describe("GitHub App authentication", () => {
  it("finds the org installation with a JWT and mints a working 1-hour installation token", async () => {
    const jwt = await jwtFor(app.id, app.privateKeyPem);
    const inst = await get("/orgs/acme/installation", jwt);
    assert.equal(inst.status, 200);
    const installation = (await inst.json()) as { id: number; app_id: number; permissions: Record<string, string> };
    assert.equal(installation.id, app.installationId);
    const minted = await fetch(`${emu.url}/app/installations/${installation.id}/access_tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${jwt}` },
    });
    assert.equal(minted.status, 201);
    const { token, expires_at } = (await minted.json()) as { token: string; expires_at: string };
    assert.match(token, /^ghs_[A-Za-z0-9]{36}$/);
    assert.equal(Date.parse(expires_at), Math.floor(emu.state.now() / 1000) * 1000 + 3_600_000);
    const created = await fetch(`${emu.url}/repos/acme/api/issues`, {
      method: "POST",
      body: JSON.stringify({ title: "from app" }),
      headers: { authorization: `token ${token}` },
    });
    assert.equal(created.status, 201);
    assert.equal(((await created.json()) as { user: { login: string } }).user.login, "ghaudit-test[bot]");
    await control("/time", { advanceMs: 3_600_000 });
    const expired = await get("/orgs/acme", token);
    assert.equal(expired.status, 401);
  });

  it("rejects a JWT signed by another key, and one that lives longer than 10 minutes", async () => {
    const stranger = addApp(emu.state, "other");
    const forged = await jwtFor(app.id, stranger.privateKeyPem);
    assert.equal((await get("/orgs/acme/installation", forged)).status, 401);
    const tooLong = await jwtFor(app.id, app.privateKeyPem, 3600);
    const res = await get("/orgs/acme/installation", tooLong);
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { message: string }).message, /too far in the future/);
  });

  it("refuses permissions the installation does not have", async () => {
    const jwt = await jwtFor(app.id, app.privateKeyPem);
    const res = await fetch(`${emu.url}/app/installations/${app.installationId}/access_tokens`, {
      method: "POST",
      body: JSON.stringify({ permissions: { administration: "write" } }),
      headers: { authorization: `Bearer ${jwt}` },
    });
    assert.equal(res.status, 422);
  });
});

describe("issues", () => {
  const post = (path: string, token: string, body: unknown) =>
    fetch(`${emu.url}${path}`, { method: "POST", body: JSON.stringify(body), headers: { authorization: `Bearer ${token}` } });

  it("creates an issue with 201 and a Location header", async () => {
    const res = await post("/repos/acme/api/issues", fineGrainedIssues, { title: "Dismissed alert #3 needs review", labels: ["security"] });
    assert.equal(res.status, 201);
    const issue = (await res.json()) as { number: number; url: string; labels: { name: string }[] };
    assert.equal(res.headers.get("location"), issue.url);
    assert.deepEqual(issue.labels.map((l) => l.name), ["security"]);
    assert.ok(emu.state.issues.some((i) => i.repo === "acme/api" && i.number === issue.number));
  });

  it("answers 422 without a title and 410 when issues are disabled", async () => {
    const missing = await post("/repos/acme/api/issues", owner, { body: "no title" });
    assert.equal(missing.status, 422);
    assert.deepEqual(((await missing.json()) as { errors: unknown[] }).errors, [{ resource: "Issue", code: "missing_field", field: "title" }]);
    const gone = await post("/repos/acme/no-issues/issues", owner, { title: "x" });
    assert.equal(gone.status, 410);
  });

  it("applies the content-creation secondary limit", async () => {
    const token = addToken(emu.state, { login: "bob", scopes: ["repo"] });
    let last: Response | undefined;
    for (let i = 0; i < 81; i++) last = await post("/repos/acme/api/issues", token, { title: `t${i}` });
    assert.equal(last!.status, 403);
    assert.equal(last!.headers.get("retry-after"), "60");
    assert.match(((await last!.json()) as { message: string }).message, /secondary rate limit/);
  });
});

describe("organizations", () => {
  it("shows private org fields and security_and_analysis only to insiders with access", async () => {
    const outsider = addToken(emu.state, { login: "carol", scopes: ["repo"] });
    const pub = (await (await get("/orgs/acme", outsider)).json()) as Record<string, unknown>;
    assert.equal(pub["plan"], undefined);
    const full = (await (await get("/orgs/acme", owner)).json()) as Record<string, unknown>;
    assert.equal((full["plan"] as { name: string }).name, "enterprise");
    const asOwner = (await (await get("/orgs/acme/repos?per_page=100", owner)).json()) as Record<string, unknown>[];
    assert.equal(asOwner.length, 10);
    assert.ok(asOwner.every((r) => r["security_and_analysis"]));
    const asMember = (await (await get("/orgs/acme/repos?per_page=100", member)).json()) as Record<string, unknown>[];
    assert.ok(asMember.every((r) => r["security_and_analysis"] === undefined));
    const asOutsider = (await (await get("/orgs/acme/repos?per_page=100", outsider)).json()) as Record<string, unknown>[];
    assert.deepEqual(asOutsider.map((r) => r["full_name"]), ["acme/web"]);
  });

  it("pages repositories with GitHub's Link header and visits each once", async () => {
    const seen: string[] = [];
    let url: string | null = `${emu.url}/orgs/acme/repos?per_page=3&sort=full_name`;
    let pages = 0;
    while (url) {
      const res: Response = await fetch(url, { headers: { authorization: `Bearer ${owner}` } });
      const link = res.headers.get("link");
      if (pages === 0) {
        assert.equal(
          link,
          `<${emu.url}/orgs/acme/repos?per_page=3&sort=full_name&page=2>; rel="next", <${emu.url}/orgs/acme/repos?per_page=3&sort=full_name&page=4>; rel="last"`,
        );
      }
      seen.push(...((await res.json()) as { full_name: string }[]).map((r) => r.full_name));
      url = /<([^>]+)>; rel="next"/.exec(link ?? "")?.[1] ?? null;
      pages++;
    }
    assert.equal(pages, 4);
    assert.deepEqual(seen, [...seen].sort());
    assert.equal(new Set(seen).size, 10);
  });

  it("works with octokit pointed at it", async () => {
    const octokit = new Octokit({ auth: owner, baseUrl: emu.url });
    const { data, headers } = await octokit.request("GET /orgs/{org}", { org: "acme" });
    assert.equal(data.login, "acme");
    assert.ok(headers["x-ratelimit-remaining"]);
  });
});

describe("fault injection", () => {
  it("injects 5xx, HTML error pages, truncated JSON, secondary limits and dropped connections on demand", async () => {
    await control("/faults", { enqueue: { kind: "5xx", count: 1 } });
    const a = await get("/orgs/acme", owner);
    assert.equal(a.status, 502);
    await control("/faults", { enqueue: { kind: "html", count: 1 } });
    const b = await get("/orgs/acme", owner);
    assert.equal(b.status, 502);
    assert.match(b.headers.get("content-type") ?? "", /text\/html/);
    await control("/faults", { enqueue: { kind: "truncate", count: 1 } });
    const c = await get("/orgs/acme", owner);
    assert.equal(c.status, 200);
    await assert.rejects(c.json());
    await control("/faults", { enqueue: { kind: "secondary", count: 1 } });
    const d = await get("/orgs/acme", owner);
    assert.equal(d.status, 403);
    assert.equal(d.headers.get("retry-after"), "60");
    await control("/faults", { enqueue: { kind: "drop", count: 1 } });
    await assert.rejects(get("/orgs/acme", owner));
    await control("/faults", { enqueue: { kind: "slow", count: 1 } });
    await control("/faults", { configure: { slowMs: 20 } });
    const e = await get("/orgs/acme", owner);
    assert.equal(e.status, 200);
    const counts = (await (await fetch(`${emu.url}/_emulator/faults`)).json()) as { counts: Record<string, number> };
    assert.deepEqual(counts.counts, { "5xx": 1, slow: 1, drop: 1, truncate: 1, html: 1, secondary: 1 });
    const ok = await get("/orgs/acme", owner);
    assert.equal(ok.status, 200);
  });

  it("limits faults to matching paths", async () => {
    await control("/faults", { enqueue: { kind: "5xx", count: 1, pathPattern: "/repos$" } });
    assert.equal((await get("/orgs/acme", owner)).status, 200);
    assert.equal((await get("/orgs/acme/repos", owner)).status, 502);
  });

  it("limits faults to matching query strings, matched decoded", async () => {
    await control("/faults", { enqueue: { kind: "5xx", count: 1, pathPattern: "/repos$", queryPattern: "^per_page=3 x:y$" } });
    assert.equal((await get("/orgs/acme/repos?per_page=3", owner)).status, 200);
    assert.equal((await get("/orgs/acme?per_page=3+x%3Ay", owner)).status, 200);
    assert.equal((await get("/orgs/acme/repos?per_page=3+x%3Ay", owner)).status, 502);
    assert.equal((await get("/orgs/acme/repos?per_page=3+x%3Ay", owner)).status, 200);
  });

  it("counts requests and which of them spent rate limit", async () => {
    await fetch(`${emu.url}/_emulator/requests`, { method: "DELETE" });
    const token = freshOwner();
    const first = await get("/orgs/acme", token);
    await get("/orgs/acme", token, { "if-none-match": first.headers.get("etag")! });
    const log = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as { total: number; charged: number };
    assert.equal(log.total, 2);
    assert.equal(log.charged, 1);
  });
});
