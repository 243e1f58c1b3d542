// Dependabot endpoints over real HTTP: cursor-only pagination (page -> 400), filters, sorting, access, feature
// errors, PATCH validation and transitions, ETags, response schemas, and a 1,000-page walk served from one sort.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { isoSeconds } from "../../core/clock.js";
import type { DependabotAlert, EmuRepo } from "../state/types.js";
import { assertMatchesSpec } from "./alerts/test-schema.js";
import { addDependabot, addRepo, call, iso, links, NOW, startWorld, walk, type TestWorld } from "./alerts/test-support.js";
import { viewBuilds } from "./alerts/view-cache.js";

type Row = Record<string, unknown> & { number: number; repository?: { full_name: string } };
const ONE = "/repos/{owner}/{repo}/dependabot/alerts/{alert_number}";
const STATES = ["open", "dismissed", "fixed", "auto_dismissed"] as const;
const SEVERITIES = ["low", "medium", "high", "critical"] as const;

let w: TestWorld;
let deps: EmuRepo;
const get = (path: string, token = "alice", headers: Record<string, string> = {}) => call(w.url, path, { token, headers });
const patch = (path: string, body: unknown, token = "alice") => call(w.url, path, { token, method: "PATCH", body });
const nums = async (q: string) => ((await get(`/repos/acme/deps/dependabot/alerts?per_page=100&${q}`)).body as Row[]).map((a) => a.number);

before(async () => {
  w = await startWorld();
  const s = w.state;
  deps = addRepo(s, "acme", "deps");
  for (let i = 0; i < 40; i++) {
    const a = addDependabot(s, deps, 200 - i * 3, { state: STATES[i % 4] });
    const severity = SEVERITIES[i % 4]!;
    Object.assign(a.security_advisory, { severity, epss: { percentage: i / 40, percentile: 0.5 } });
    Object.assign(a.security_vulnerability, { severity, first_patched_version: i % 3 === 0 ? null : { identifier: "9.9.9" } });
    Object.assign(a.dependency, {
      package: { ecosystem: i % 2 ? "npm" : "pip", name: `pkg${i % 5}` },
      manifest_path: i % 2 ? "package-lock.json" : "requirements.txt",
      scope: i % 3 ? "runtime" : "development",
      relationship: i % 2 ? "transitive" : "direct",
    });
    if (STATES[i % 4] === "dismissed") Object.assign(a, { dismissed_at: iso(NOW - 5000), dismissed_reason: "not_used" });
  }
  addDependabot(s, addRepo(s, "acme", "off", { features: { dependabot_alerts: false } }), 4);
  addDependabot(s, addRepo(s, "acme", "frozen", { archived: true }), 4);
  addDependabot(s, addRepo(s, "globex", "shop"), 4);
});
after(() => w.close());

describe("dependabot lists", () => {
  it("walks a repo list with cursors only: every alert once, no page links, newest first", async () => {
    const { items, pages, linkHeaders } = await walk(w.url, "/repos/acme/deps/dependabot/alerts?per_page=6", "alice");
    assert.equal(pages, 7);
    assert.deepEqual(items.map((a) => a.number), Array.from({ length: 40 }, (_, i) => 40 - i));
    assert.ok(linkHeaders.every((l) => !/[?&]page=/.test(l) && !l.includes('rel="last"')));
    assert.match(links(linkHeaders[0]!).next!, new RegExp(`/repositories/${deps.id}/dependabot/alerts\\?per_page=6&after=[^&]+&before=$`));
    assertMatchesSpec("/repos/{owner}/{repo}/dependabot/alerts", "get", items);
  });

  it("answers `page` with GitHub's 400 body", async () => {
    const repo = await get("/repos/acme/deps/dependabot/alerts?page=2");
    assert.equal(repo.status, 400);
    assert.deepEqual(repo.body, {
      message: "Pagination using the `page` parameter is not supported.",
      documentation_url: "https://docs.github.com/rest/dependabot/alerts#list-dependabot-alerts-for-a-repository",
      status: "400",
    });
    const org = await get("/orgs/acme/dependabot/alerts?page=1&per_page=100");
    assert.deepEqual(org.body, {
      message: "Pagination using the `page` parameter is not supported.",
      documentation_url: "https://docs.github.com/rest/dependabot/alerts#list-dependabot-alerts-for-an-organization",
      status: "400",
    });
  });

  it("filters on every documented parameter", async () => {
    assert.equal((await nums("state=open,fixed")).length, 20);
    assert.equal((await nums("severity=critical")).length, 10);
    assert.equal((await nums("ecosystem=npm")).length, 20);
    assert.equal((await nums("package=pkg0,pkg1")).length, 16);
    assert.equal((await nums("manifest=requirements.txt")).length, 20);
    assert.equal((await nums("scope=development")).length, 14);
    assert.equal((await nums("relationship=direct")).length, 20);
    assert.equal((await nums("has=patch")).length, 26);
    assert.equal((await nums("epss_percentage=>=0.5")).length, 20);
    assert.equal((await nums("epss_percentage=0.1..0.2")).length, 5);
    assert.equal((await nums("epss_percentage=<0.1")).length, 4);
    assert.deepEqual(await nums("epss_percentage=0.025"), [2]);
    assert.equal((await nums("assignee=*")).length, 0);
    assert.equal((await nums("assignee=none")).length, 40);
    assert.equal((await nums("classification=malware")).length, 0);
    const bad = await get("/repos/acme/deps/dependabot/alerts?epss_percentage=lots");
    assert.equal(bad.status, 422);
    assertMatchesSpec("/repos/{owner}/{repo}/dependabot/alerts", "get", bad.body, "422");
    const byEpss = (await get("/repos/acme/deps/dependabot/alerts?per_page=3&sort=epss_percentage")).body as DependabotAlert[];
    assert.deepEqual(byEpss.map((a) => a.number), [40, 39, 38]);
    assert.deepEqual((await nums("direction=asc")).slice(0, 2), [1, 2]);
  });

  it("org and enterprise lists cover feature-on repos with `repository`, behind the right roles", async () => {
    const org = await walk(w.url, "/orgs/acme/dependabot/alerts?per_page=9", "sam");
    assert.deepEqual([...new Set(org.items.map((a) => (a as Row).repository!.full_name))].sort(), ["acme/deps", "acme/frozen"]);
    assert.equal(org.items.length, 41);
    assertMatchesSpec("/orgs/{org}/dependabot/alerts", "get", org.items);
    assert.equal((await get("/orgs/acme/dependabot/alerts", "mia")).status, 403);
    assert.equal(((await get("/orgs/acme/dependabot/alerts?per_page=100&manifest=nothing")).body as Row[]).length, 41);
    assert.equal(((await get("/orgs/acme/dependabot/alerts?per_page=100&runtime_risk=internet-exposed")).body as Row[]).length, 0);
    const ent = await walk(w.url, "/enterprises/megacorp/dependabot/alerts?per_page=10", "alice");
    assert.equal(ent.items.length, 42);
    assertMatchesSpec("/enterprises/{enterprise}/dependabot/alerts", "get", ent.items);
    assert.equal((await get("/enterprises/megacorp/dependabot/alerts", "inst")).status, 403);
    const scopeless = await get("/enterprises/megacorp/dependabot/alerts", "alice-noscope");
    assert.deepEqual([scopeless.status, scopeless.headers.get("x-accepted-oauth-scopes")], [403, "security_events, repo"]);
  });

  it("answers 403 when Dependabot alerts are off and 304 to a matching If-None-Match", async () => {
    const off = await get("/repos/acme/off/dependabot/alerts");
    assert.deepEqual([off.status, (off.body as Row).message], [403, "Dependabot alerts are disabled for this repository."]);
    const fg = await get("/repos/acme/deps/dependabot/alerts", "fg-none");
    assert.deepEqual([fg.status, fg.headers.get("x-accepted-github-permissions")], [403, "vulnerability_alerts=read"]);
    const first = await get("/repos/acme/deps/dependabot/alerts?per_page=2");
    const again = await get("/repos/acme/deps/dependabot/alerts?per_page=2", "alice", { "if-none-match": first.headers.get("etag")! });
    assert.equal(again.status, 304);
    const other = await get("/repos/acme/deps/dependabot/alerts?per_page=2", "fg-read", { "if-none-match": first.headers.get("etag")! });
    assert.equal(other.status, 200, "ETags are per caller");
  });

  it("drops `security_advisory.cvss` from API version 2026-03-10 on", async () => {
    const cvss = (body: unknown) => "cvss" in (body as DependabotAlert).security_advisory;
    assert.ok(cvss((await get("/repos/acme/deps/dependabot/alerts/1")).body));
    const v2026 = { "x-github-api-version": "2026-03-10" };
    assert.ok(!cvss((await get("/repos/acme/deps/dependabot/alerts/1", "alice", v2026)).body));
    const rows = (await get("/orgs/acme/dependabot/alerts?per_page=3", "alice", v2026)).body as DependabotAlert[];
    assert.ok(rows.length === 3 && rows.every((r) => !cvss(r)));
    assert.ok(cvss(deps.dependabot[0]), "the stored alert keeps it");
  });
});

describe("dependabot PATCH", () => {
  const msg = (res: { body: unknown }) => (res.body as Row).message;
  const open = (n: number) => `/repos/acme/deps/dependabot/alerts/${n}`; // 1, 5, 9, ... are open

  it("validates the body strictly", async () => {
    const extra = await patch(open(1), { state: "dismissed", dismissed_reason: "not_used", note: "x" });
    assert.deepEqual([extra.status, msg(extra)], [422, 'Invalid request.\n\n"note" is not a permitted key.']);
    assertMatchesSpec(ONE, "patch", extra.body, "422");
    assert.equal((await patch(open(1), { dismissed_comment: "x" })).status, 422);
    const noReason = await patch(open(1), { state: "dismissed" });
    assert.deepEqual([noReason.status, msg(noReason)], [422, 'Invalid request.\n\n"dismissed_reason" wasn\'t supplied.']);
    assert.equal((await patch(open(1), { state: "dismissed", dismissed_reason: "won't fix" })).status, 422);
    assert.equal((await patch(open(1), { state: "dismissed", dismissed_reason: "not_used", dismissed_comment: "z".repeat(281) })).status, 422);
    assert.equal((await patch(open(1), { assignees: ["mia"], agent_assignment: { model: 1 } })).status, 422);
    const frozen = await patch("/repos/acme/frozen/dependabot/alerts/1", { state: "dismissed", dismissed_reason: "not_used" });
    assert.deepEqual([frozen.status, msg(frozen)], [403, "Repository was archived so is read-only."]);
    assert.equal(w.changes.length, 0);
  });

  it("dismisses, conflicts on a repeated dismissal, reopens, reassigns; announces each change", async () => {
    const res = await patch(open(1), { state: "dismissed", dismissed_reason: "tolerable_risk", dismissed_comment: "ok" });
    assert.equal(res.status, 200);
    assertMatchesSpec(ONE, "patch", res.body);
    const a = res.body as DependabotAlert;
    assert.deepEqual([a.state, a.dismissed_reason, a.dismissed_comment, a.dismissed_by?.login], ["dismissed", "tolerable_risk", "ok", "alice"]);
    assert.deepEqual([a.dismissed_at, a.updated_at], [isoSeconds(NOW), isoSeconds(NOW)]);
    const again = await patch(open(1), { state: "dismissed", dismissed_reason: "not_used" });
    assert.deepEqual([again.status, msg(again)], [409, "Alert 1 is already dismissed"]);
    assert.equal((await patch(open(5), { state: "open" })).status, 409);
    assert.equal((await patch(open(3), { state: "dismissed", dismissed_reason: "not_used" })).status, 409, "fixed");
    const reopened = (await patch(open(1), { state: "open" }, "fg-write")).body as DependabotAlert;
    assert.deepEqual([reopened.state, reopened.dismissed_by, reopened.dismissed_reason, reopened.dismissed_comment], ["open", null, null, null]);
    const autoReopen = (await patch(open(4), { state: "open" })).body as DependabotAlert;
    assert.equal(autoReopen.state, "open");
    const assigned = (await patch(open(5), { assignees: ["sam", "copilot-swe-agent[bot]"] })).body as { assignees: { login: string; type: string }[] };
    assert.deepEqual(assigned.assignees.map((u) => [u.login, u.type]), [["sam", "User"], ["copilot-swe-agent[bot]", "Bot"]]);
    await patch(open(5), { assignees: ["sam", "copilot-swe-agent[bot]"] }); // unchanged: no event
    assert.deepEqual(w.changes.map((c) => [c.kind, c.action, c.actor, c.alert.number]), [
      ["dependabot", "dismissed", "alice", 1],
      ["dependabot", "reopened", "alice", 1],
      ["dependabot", "reopened", "alice", 4],
      ["dependabot", "assignees_changed", "alice", 5],
    ]);
    assert.deepEqual(await nums("assignee=sam"), [5]);
  });
});

describe("dependabot list view cache", () => {
  it("walks 1,000 pages of 100,000 alerts with a single sort", async () => {
    const big = await startWorld();
    try {
      const repo = addRepo(big.state, "acme", "monorepo");
      const base = { state: "open", dependency: { package: { ecosystem: "npm", name: "x" } } };
      for (let n = 1; n <= 100_000; n++) {
        // Many equal timestamps: the unique tie-breaker must still give every alert one place.
        repo.dependabot.push({ ...base, number: n, created_at: iso(NOW - (n % 997) * 60_000) } as unknown as DependabotAlert);
      }
      big.state.touch();
      const builds = viewBuilds(big.state);
      const { items, pages } = await walk(big.url, "/repos/acme/monorepo/dependabot/alerts?per_page=100", "alice");
      assert.equal(pages, 1000);
      assert.equal(new Set(items.map((a) => a.number)).size, 100_000);
      assert.equal(viewBuilds(big.state) - builds, 1);
      const capped = await call(big.url, "/repos/acme/monorepo/dependabot/alerts?per_page=1000", { token: "alice" });
      assert.equal((capped.body as unknown[]).length, 100, "per_page is capped at 100");
    } finally {
      await big.close();
    }
  });
});
