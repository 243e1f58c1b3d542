// Code scanning endpoints over real HTTP: pagination walks (page and cursor), filters, sorting, access rules,
// feature errors, PATCH validation and transitions, ETags and response schemas.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { isoSeconds } from "../../core/clock.js";
import type { EmuRepo } from "../state/types.js";
import { assertMatchesSpec } from "./alerts/test-schema.js";
import { addCodeScanning, addRepo, call, links, NOW, startWorld, walk, type TestWorld } from "./alerts/test-support.js";

type Row = Record<string, unknown> & { number: number; created_at: string; repository?: { full_name: string } };
const REPO_LIST = "/repos/{owner}/{repo}/code-scanning/alerts";
const ORG_LIST = "/orgs/{org}/code-scanning/alerts";
const ONE = "/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}";

let w: TestWorld;
let app: EmuRepo;
let archived: EmuRepo;
const get = (path: string, token = "alice", headers: Record<string, string> = {}) => call(w.url, path, { token, headers });
const patch = (path: string, body: unknown, token = "alice") => call(w.url, path, { token, method: "PATCH", body });

before(async () => {
  w = await startWorld();
  const s = w.state;
  app = addRepo(s, "acme", "app", { analyses: 5 });
  for (let i = 0; i < 23; i++) {
    addCodeScanning(s, app, 100 - (i % 10), {
      state: i % 5 === 0 ? "fixed" : "open",
      rule: { id: "js/x", name: "js/x", severity: i % 2 ? "warning" : "error", security_severity_level: i % 3 ? "high" : "low", description: "d" },
      tool: { name: i % 4 === 0 ? "Semgrep" : "CodeQL", guid: null, version: "1" },
    });
  }
  // Found only on a feature branch: not in default-branch lists.
  const branch = addCodeScanning(s, app, 1);
  branch.alert.most_recent_instance.ref = "refs/heads/feature";
  branch.instances = [{ ...branch.alert.most_recent_instance }];
  addCodeScanning(s, addRepo(s, "acme", "lib", { visibility: "public", features: { advanced_security: false, code_security: false } }), 5);
  addCodeScanning(s, addRepo(s, "acme", "noghas", { features: { advanced_security: false, code_security: false } }), 5);
  addRepo(s, "acme", "noscan", { analyses: 0 });
  archived = addRepo(s, "acme", "old", { archived: true });
  addCodeScanning(s, archived, 7);
  addCodeScanning(s, addRepo(s, "globex", "web"), 3);
  addCodeScanning(s, addRepo(s, "solo", "tool"), 3);
});
after(() => w.close());

describe("code scanning lists", () => {
  it("walks a repo list by page numbers, every default-branch alert exactly once, newest first", async () => {
    const { items, pages, linkHeaders } = await walk(w.url, "/repos/acme/app/code-scanning/alerts?per_page=5", "alice");
    assert.equal(pages, 5);
    assert.deepEqual(items.map((a) => a.number).sort((x, y) => Number(x) - Number(y)), Array.from({ length: 23 }, (_, i) => i + 1));
    const times = items.map((a) => Date.parse(String(a.created_at)));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    const first = links(linkHeaders[0]!);
    assert.match(first.next!, new RegExp(`/repositories/${app.id}/code-scanning/alerts\\?per_page=5&page=2$`));
    assert.match(first.last!, /page=5$/);
    assert.ok(!first.prev && !first.first);
    assertMatchesSpec(REPO_LIST, "get", items);
  });

  it("walks the same list with cursors (after=) and back with prev links", async () => {
    const paged = await walk(w.url, "/repos/acme/app/code-scanning/alerts?per_page=5", "alice");
    const cursor = await walk(w.url, "/repos/acme/app/code-scanning/alerts?per_page=5&after=", "alice");
    assert.deepEqual(cursor.items.map((a) => a.number), paged.items.map((a) => a.number));
    assert.ok(cursor.linkHeaders.every((l) => !/[?&]page=/.test(l) && l.includes('rel="first"')));
    assert.ok(!cursor.linkHeaders.some((l) => l.includes('rel="last"')));
    const lastPage = links(cursor.linkHeaders.at(-1)!);
    const prev = await get(lastPage.prev!);
    assert.deepEqual((prev.body as Row[]).map((a) => a.number), paged.items.slice(15, 20).map((a) => a.number));
  });

  it("filters by state, severity, tool, ref and assignee; sorts by updated ascending", async () => {
    const nums = async (q: string) => ((await get(`/repos/acme/app/code-scanning/alerts?per_page=100&${q}`)).body as Row[]).map((a) => a.number);
    assert.equal((await nums("state=fixed")).length, 5);
    assert.equal((await nums("state=closed")).length, 5);
    assert.equal((await nums("state=open")).length, 18);
    assert.equal((await nums("severity=low")).length, 8);
    assert.equal((await nums("severity=warning")).length, 11);
    assert.equal((await nums("tool_name=Semgrep")).length, 6);
    assert.deepEqual(await nums("ref=feature"), [24]);
    assert.deepEqual(await nums("ref=refs/heads/feature"), [24]);
    assert.equal((await nums("assignees=none")).length, 23);
    assert.equal((await nums("assignees=*")).length, 0);
    const asc = (await get("/repos/acme/app/code-scanning/alerts?per_page=100&sort=updated&direction=asc")).body as Row[];
    const times = asc.map((a) => Date.parse(String(a.updated_at)));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
  });

  it("org list: feature-on repos only (archived included), repository embedded, security role required", async () => {
    const res = await walk(w.url, "/orgs/acme/code-scanning/alerts?per_page=10", "alice");
    const repos = new Set(res.items.map((a) => (a as Row).repository!.full_name));
    assert.deepEqual([...repos].sort(), ["acme/app", "acme/lib", "acme/old"]);
    assert.equal(res.items.length, 23 + 1 + 1);
    assert.match(links(res.linkHeaders[0]!).next!, /\/organizations\/9001\/code-scanning\/alerts\?/);
    assertMatchesSpec(ORG_LIST, "get", res.items);
    assert.equal((await get("/orgs/acme/code-scanning/alerts", "sam")).status, 200);
    const member = await get("/orgs/acme/code-scanning/alerts", "mia");
    assert.equal(member.status, 403);
    assert.equal((member.body as Row).message, "You must be an organization owner or security manager to access this resource.");
    assert.equal((await get("/orgs/acme/code-scanning/alerts", "olga")).status, 404);
    assert.equal((await get("/orgs/acme/code-scanning/alerts", "inst")).status, 200);
    const noPerm = await get("/orgs/acme/code-scanning/alerts", "inst-none");
    assert.equal(noPerm.status, 403);
    assert.equal((noPerm.body as Row).message, "Resource not accessible by integration");
    assert.equal(noPerm.headers.get("x-accepted-github-permissions"), "security_events=read");
    assert.equal((await get("/organizations/9001/code-scanning/alerts?per_page=1")).status, 200);
  });

  it("enterprise list: owners see every org, org owners their own orgs, installations and fine-grained PATs 403", async () => {
    const all = await walk(w.url, "/enterprises/megacorp/code-scanning/alerts?per_page=7", "alice");
    const orgs = new Set(all.items.map((a) => (a as Row).repository!.full_name.split("/")[0]));
    assert.deepEqual([...orgs].sort(), ["acme", "globex"]);
    assert.equal(all.items.length, 26);
    assert.match(links(all.linkHeaders[0]!).next!, /\/enterprises\/77\/code-scanning\/alerts\?/);
    assertMatchesSpec("/enterprises/{enterprise}/code-scanning/alerts", "get", all.items);
    const eve = (await get("/enterprises/megacorp/code-scanning/alerts?per_page=100", "eve")).body as Row[];
    assert.deepEqual(eve.map((a) => a.repository!.full_name), ["globex/web"]);
    const inst = await get("/enterprises/megacorp/code-scanning/alerts", "inst");
    assert.deepEqual([inst.status, (inst.body as Row).message], [403, "Resource not accessible by integration"]);
    assert.equal((await get("/enterprises/megacorp/code-scanning/alerts", "fg-read")).status, 403);
    assert.equal((await get("/enterprises/megacorp/code-scanning/alerts", "olga")).status, 404);
    assert.equal((await get("/enterprises/nope/code-scanning/alerts")).status, 404);
  });
});

describe("code scanning access and feature errors", () => {
  it("answers GitHub's feature errors", async () => {
    const off = await get("/repos/acme/noghas/code-scanning/alerts");
    assert.equal(off.status, 403);
    assert.equal((off.body as Row).message, "Advanced Security must be enabled for this repository to use code scanning.");
    assert.equal((await get("/repos/acme/lib/code-scanning/alerts")).status, 200);
    for (const path of ["/repos/acme/noscan/code-scanning/alerts", "/repos/acme/noscan/code-scanning/analyses"]) {
      const res = await get(path);
      assert.deepEqual([res.status, (res.body as Row).message], [404, "no analysis found"]);
    }
    assert.equal((await get("/repos/acme/missing/code-scanning/alerts")).status, 404);
  });

  it("checks classic scopes, fine-grained and installation permissions", async () => {
    const anon = await call(w.url, "/repos/acme/app/code-scanning/alerts");
    assert.deepEqual([anon.status, (anon.body as Row).message], [401, "Requires authentication"]);
    const scope = await get("/repos/acme/app/code-scanning/alerts", "alice-noscope");
    assert.deepEqual([scope.status, (scope.body as Row).message], [403, "Resource not accessible by personal access token"]);
    assert.equal(scope.headers.get("x-accepted-oauth-scopes"), "security_events, repo");
    const fg = await get("/repos/acme/app/code-scanning/alerts", "fg-none");
    assert.deepEqual([fg.status, fg.headers.get("x-accepted-github-permissions")], [403, "security_events=read"]);
    assert.equal((await get("/repos/acme/app/code-scanning/alerts", "fg-read")).status, 200);
    const write = await patch("/repos/acme/app/code-scanning/alerts/2", { state: "dismissed", dismissed_reason: "won't fix" }, "fg-read");
    assert.deepEqual([write.status, write.headers.get("x-accepted-github-permissions")], [403, "security_events=write"]);
    assert.equal((await get("/repos/acme/app/code-scanning/alerts", "olga")).status, 404);
    assert.equal((await get("/repos/globex/web/code-scanning/alerts", "inst")).status, 404);
  });
});

describe("code scanning single alert, instances, analyses", () => {
  it("gets an alert (also via /repositories/{id}), 404s unknown numbers, 304s on If-None-Match", async () => {
    const one = await get("/repos/acme/app/code-scanning/alerts/3");
    assert.equal((one.body as Row).number, 3);
    assertMatchesSpec(ONE, "get", one.body);
    assert.equal(((await get(`/repositories/${app.id}/code-scanning/alerts/3`)).body as Row).number, 3);
    assert.equal((await get("/repos/acme/app/code-scanning/alerts/999")).status, 404);
    const etag = one.headers.get("etag")!;
    const again = await get("/repos/acme/app/code-scanning/alerts/3", "alice", { "if-none-match": etag });
    assert.deepEqual([again.status, again.body], [304, null]);
    const list = await get("/repos/acme/app/code-scanning/alerts?per_page=3");
    const list304 = await get("/repos/acme/app/code-scanning/alerts?per_page=3", "alice", { "if-none-match": list.headers.get("etag")! });
    assert.equal(list304.status, 304);
    assert.equal(list304.headers.get("link"), list.headers.get("link"));
  });

  it("lists instances and analyses with page links and filters", async () => {
    const inst = await walk(w.url, "/repos/acme/app/code-scanning/alerts/3/instances?per_page=1", "alice");
    assert.equal(inst.items.length, 2);
    assertMatchesSpec("/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances", "get", inst.items);
    const byRef = (await get("/repos/acme/app/code-scanning/alerts/3/instances?pr=3740")).body as Row[];
    assert.deepEqual(byRef.map((i) => i.ref), ["refs/pull/3740/merge"]);
    const analyses = await walk(w.url, "/repos/acme/app/code-scanning/analyses?per_page=2", "alice");
    assert.equal(analyses.items.length, 5);
    assertMatchesSpec("/repos/{owner}/{repo}/code-scanning/analyses", "get", analyses.items);
    const times = analyses.items.map((a) => Date.parse(String(a.created_at)));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    assert.equal(((await get("/repos/acme/app/code-scanning/analyses?ref=dev")).body as Row[]).length, 1);
    assert.equal(((await get("/repos/acme/app/code-scanning/analyses?tool_name=CodeQL")).body as Row[]).length, 3);
  });
});

describe("code scanning PATCH", () => {
  const msg = (res: { body: unknown }) => (res.body as Row).message;

  it("rejects invalid bodies with GitHub's 400/422 answers", async () => {
    const path = "/repos/acme/app/code-scanning/alerts/2";
    assert.equal((await patch(path, {})).status, 422);
    const noReason = await patch(path, { state: "dismissed" });
    assert.deepEqual([noReason.status, msg(noReason)], [422, 'Invalid request.\n\n"dismissed_reason" wasn\'t supplied.']);
    assert.equal((await patch(path, { state: "dismissed", dismissed_reason: "false_positive" })).status, 422);
    assert.equal((await patch(path, { state: "closed", dismissed_reason: "false positive" })).status, 422);
    const long = await patch(path, { state: "dismissed", dismissed_reason: "won't fix", dismissed_comment: "x".repeat(281) });
    assert.equal(long.status, 422);
    const bad = await call(w.url, path, { token: "alice", method: "PATCH", raw: "{nope" });
    assert.deepEqual([bad.status, msg(bad)], [400, "Problems parsing JSON"]);
    const archivedRes = await patch(`/repos/acme/old/code-scanning/alerts/1`, { state: "dismissed", dismissed_reason: "won't fix" });
    assert.deepEqual([archivedRes.status, msg(archivedRes)], [403, "Repository was archived so is read-only."]);
    assert.equal((await patch("/repos/acme/app/code-scanning/alerts/999", { state: "open" })).status, 404);
    assert.equal(w.changes.length, 0);
  });

  it("dismisses, refuses a second dismissal, reopens and assigns, announcing each change", async () => {
    const path = "/repos/acme/app/code-scanning/alerts/2";
    const comment = "y".repeat(280);
    const res = await patch(path, { state: "dismissed", dismissed_reason: "won't fix", dismissed_comment: comment });
    assert.equal(res.status, 200);
    assertMatchesSpec(ONE, "patch", res.body);
    const a = res.body as Row & { dismissed_by: { login: string } };
    assert.deepEqual([a.state, a.dismissed_reason, a.dismissed_comment, a.dismissed_by.login], ["dismissed", "won't fix", comment, "alice"]);
    assert.equal(a.dismissed_at, isoSeconds(NOW));
    assert.equal(app.codeScanning[1]!.alert.state, "dismissed");
    assert.deepEqual(w.changes.map((c) => [c.kind, c.action, c.actor, c.alert.number]), [["code_scanning", "closed_by_user", "alice", 2]]);
    const twice = await patch(path, { state: "dismissed", dismissed_reason: "won't fix" });
    assert.deepEqual([twice.status, msg(twice)], [400, "Alert is already dismissed."]);
    const reopened = (await patch(path, { state: "open" }, "inst")).body as Row;
    assert.deepEqual([reopened.state, reopened.dismissed_by, reopened.dismissed_reason, reopened.dismissed_at], ["open", null, null, null]);
    const assigned = (await patch(path, { assignees: ["mia"] })).body as Row & { assignees: { login: string }[] };
    assert.deepEqual(assigned.assignees.map((u) => u.login), ["mia"]);
    assert.deepEqual(w.changes.slice(1).map((c) => [c.action, c.actor]), [["reopened_by_user", "ghaudit[bot]"], ["updated_assignment", "alice"]]);
    assert.equal((await patch(path, { assignees: ["olga"] })).status, 422);
    const byAssignee = (await get("/repos/acme/app/code-scanning/alerts?assignees=mia")).body as Row[];
    assert.deepEqual(byAssignee.map((r) => r.number), [2]);
    const fixed = await patch("/repos/acme/app/code-scanning/alerts/1", { state: "dismissed", dismissed_reason: "won't fix" });
    assert.equal(fixed.status, 400);
  });
});
