// Secret scanning endpoints over real HTTP: page and cursor walks (empty `after=` switches), enterprise cursor-only
// lists, filters, hide_secret, generic patterns, access and feature errors, PATCH rules, locations and schemas.
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { isoSeconds } from "../../core/clock.js";
import type { EmuRepo } from "../state/types.js";
import { assertMatchesSpec } from "./alerts/test-schema.js";
import { addRepo, addSecret, call, links, NOW, startWorld, walk, type TestWorld } from "./alerts/test-support.js";

type Row = Record<string, unknown> & { number: number; repository?: { full_name: string } };
const ONE = "/repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}";

let w: TestWorld;
let vault: EmuRepo;
const get = (path: string, token = "alice", headers: Record<string, string> = {}) => call(w.url, path, { token, headers });
const patch = (path: string, body: unknown, token = "alice") => call(w.url, path, { token, method: "PATCH", body });
const nums = async (q: string) => ((await get(`/repos/acme/vault/secret-scanning/alerts?per_page=100&${q}`)).body as Row[]).map((a) => a.number);

before(async () => {
  w = await startWorld();
  const s = w.state;
  vault = addRepo(s, "acme", "vault");
  for (let i = 0; i < 30; i++) {
    const resolved = i % 3 === 0;
    addSecret(s, vault, 300 - i * 7, {
      state: resolved ? "resolved" : "open",
      resolution: resolved ? (i % 2 ? "revoked" : "false_positive") : null,
      validity: (["active", "inactive", "unknown"] as const)[i % 3],
      provider_slug: i % 4 === 0 ? "github_secret_scanning" : "mailchimp",
      publicly_leaked: i === 7,
      push_protection_bypassed: i % 10 === 1,
    });
  }
  addSecret(s, vault, 1, { secret_type: "rsa_private_key", provider: null, provider_slug: null }); // generic: #31
  addSecret(s, addRepo(s, "acme", "dark", { features: { secret_scanning: false } }), 2);
  addSecret(s, addRepo(s, "acme", "attic", { archived: true }), 2);
  addSecret(s, addRepo(s, "globex", "site"), 2);
});
after(() => w.close());

describe("secret scanning lists", () => {
  it("walks a repo list by pages (with rel=last), and by cursors after an empty `after=`", async () => {
    const paged = await walk(w.url, "/repos/acme/vault/secret-scanning/alerts?per_page=8", "alice");
    assert.equal(paged.pages, 4);
    assert.deepEqual(paged.items.map((a) => a.number), Array.from({ length: 30 }, (_, i) => 30 - i));
    assert.match(links(paged.linkHeaders[0]!).last!, new RegExp(`/repositories/${vault.id}/secret-scanning/alerts\\?per_page=8&page=4$`));
    assertMatchesSpec("/repos/{owner}/{repo}/secret-scanning/alerts", "get", paged.items);
    const cursor = await walk(w.url, "/repos/acme/vault/secret-scanning/alerts?per_page=8&after=", "alice");
    assert.deepEqual(cursor.items.map((a) => a.number), paged.items.map((a) => a.number));
    assert.ok(cursor.linkHeaders.every((l) => !/[?&]page=/.test(l) && !l.includes('rel="last"')));
    assert.match(links(cursor.linkHeaders[0]!).next!, /after=[^&]+/);
    const before = await walk(w.url, "/repos/acme/vault/secret-scanning/alerts?per_page=8&before=", "alice");
    assert.equal(before.items.length, 30);
  });

  it("leaves generic patterns out unless asked for, and filters", async () => {
    assert.deepEqual(await nums("secret_type=rsa_private_key"), [31]);
    assert.equal((await nums("exclude_secret_types=mailchimp_api_key")).length, 0);
    assert.equal((await nums("state=resolved")).length, 10);
    assert.equal((await nums("resolution=revoked")).length, 5);
    assert.equal((await nums("validity=active,inactive")).length, 20);
    assert.equal((await nums("providers=github_secret_scanning")).length, 8);
    assert.equal((await nums("exclude_providers=github_secret_scanning")).length, 22);
    assert.deepEqual(await nums("is_publicly_leaked=true"), [8]);
    assert.deepEqual(await nums("is_bypassed=true"), [22, 12, 2]);
    assert.equal((await nums("is_bypassed=false")).length, 27);
    assert.equal((await nums("assignee=none")).length, 30);
    const hash = createHash("sha256").update("owner@example.com").digest("hex");
    assert.equal((await nums(`owner_email_hash=${hash}`)).length, 30);
    assert.equal((await nums(`owner_email_hash=${"0".repeat(64)}`)).length, 0);
    assert.equal((await nums("included_metadata=owner-email")).length, 30);
    assert.equal((await nums("included_metadata=secret-id")).length, 0);
    assert.deepEqual((await nums("direction=asc")).slice(0, 3), [1, 2, 3]);
  });

  it("hides secrets on request and keeps metadata to the single-alert shape", async () => {
    const shown = (await get("/repos/acme/vault/secret-scanning/alerts?per_page=1")).body as Row[];
    assert.equal(typeof shown[0]!.secret, "string");
    assert.ok(!("metadata" in shown[0]!));
    const hidden = (await get("/repos/acme/vault/secret-scanning/alerts?per_page=1&hide_secret=true")).body as Row[];
    assert.ok(!("secret" in hidden[0]!));
    const one = (await get("/repos/acme/vault/secret-scanning/alerts/2?hide_secret=true")).body as Row;
    assert.ok(!("secret" in one));
    assert.deepEqual(one.metadata, [{ key: "owner_email", value: "owner@example.com" }]);
    assertMatchesSpec(ONE, "get", one);
    const etag = (await get("/repos/acme/vault/secret-scanning/alerts/2")).headers.get("etag")!;
    assert.equal((await get("/repos/acme/vault/secret-scanning/alerts/2", "alice", { "if-none-match": etag })).status, 304);
  });

  it("org (page or cursor) and enterprise (cursor only) lists", async () => {
    const org = await walk(w.url, "/orgs/acme/secret-scanning/alerts?per_page=7&hide_secret=true", "sam");
    assert.deepEqual([...new Set(org.items.map((a) => (a as Row).repository!.full_name))].sort(), ["acme/attic", "acme/vault"]);
    assert.equal(org.items.length, 31);
    assert.ok(org.items.every((a) => !("secret" in a)));
    assertMatchesSpec("/orgs/{org}/secret-scanning/alerts", "get", org.items);
    assert.match(links(org.linkHeaders[0]!).last!, /\/organizations\/9001\/secret-scanning\/alerts\?.*page=5$/);
    const ent = await walk(w.url, "/enterprises/megacorp/secret-scanning/alerts?per_page=7&page=3", "alice");
    assert.equal(ent.items.length, 32, "`page` is not a parameter of the enterprise list");
    assert.ok(ent.linkHeaders.every((l) => !l.includes('rel="last"')));
    assertMatchesSpec("/enterprises/{enterprise}/secret-scanning/alerts", "get", ent.items);
    const member = await get("/orgs/acme/secret-scanning/alerts", "mia");
    assert.equal(member.status, 403);
  });

  it("answers 404 when secret scanning is off and checks permissions", async () => {
    const off = await get("/repos/acme/dark/secret-scanning/alerts");
    assert.deepEqual([off.status, (off.body as Row).message], [404, "Secret scanning is disabled on this repository."]);
    assert.equal((await get("/repos/acme/dark/secret-scanning/alerts/1")).status, 404);
    const fg = await get("/repos/acme/vault/secret-scanning/alerts", "fg-none");
    assert.deepEqual([fg.status, fg.headers.get("x-accepted-github-permissions")], [403, "secret_scanning_alerts=read"]);
    const inst = await get("/repos/acme/vault/secret-scanning/alerts", "inst-none");
    assert.deepEqual([inst.status, (inst.body as Row).message], [403, "Resource not accessible by integration"]);
    const scope = await get("/repos/acme/vault/secret-scanning/alerts", "alice-noscope");
    assert.deepEqual([scope.status, scope.headers.get("x-accepted-oauth-scopes")], [403, "repo, security_events"]);
  });

  it("lists locations by page", async () => {
    const locs = await walk(w.url, "/repos/acme/vault/secret-scanning/alerts/3/locations?per_page=5", "alice");
    assert.equal(locs.items.length, 13);
    assert.equal(locs.pages, 3);
    assertMatchesSpec("/repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}/locations", "get", locs.items);
  });
});

describe("secret scanning PATCH", () => {
  const msg = (res: { body: unknown }) => (res.body as Row).message;
  const path = "/repos/acme/vault/secret-scanning/alerts/2"; // open

  it("validates the body", async () => {
    assert.equal((await patch(path, { resolution: "revoked" })).status, 422);
    const noResolution = await patch(path, { state: "resolved" });
    assert.deepEqual([noResolution.status, msg(noResolution)], [422, 'Invalid request.\n\n"resolution" wasn\'t supplied.']);
    assert.equal((await patch(path, { state: "resolved", resolution: "pattern_edited" })).status, 422);
    assert.equal((await patch(path, { state: "open", resolution: "revoked" })).status, 422);
    const same = await patch(path, { state: "open" });
    assert.deepEqual([same.status, msg(same)], [400, "The alert resolution was not changed."]);
    const attic = await patch("/repos/acme/attic/secret-scanning/alerts/1", { state: "resolved", resolution: "revoked" });
    assert.equal(attic.status, 403);
    assert.equal(w.changes.length, 0);
  });

  it("resolves, reopens, assigns and overrides validity, announcing each change", async () => {
    const res = await patch(path, { state: "resolved", resolution: "used_in_tests", resolution_comment: "fixture" });
    assert.equal(res.status, 200);
    assertMatchesSpec(ONE, "patch", res.body);
    const a = res.body as Row & { resolved_by: { login: string } };
    assert.deepEqual([a.state, a.resolution, a.resolution_comment, a.resolved_by.login, a.resolved_at], [
      "resolved", "used_in_tests", "fixture", "alice", isoSeconds(NOW),
    ]);
    assert.equal((await patch(path, { state: "resolved", resolution: "used_in_tests" })).status, 400);
    const reopened = (await patch(path, { state: "open", resolution_comment: "not a fixture" }, "inst")).body as Row;
    assert.deepEqual([reopened.state, reopened.resolution, reopened.resolved_by, reopened.resolution_comment], ["open", null, null, "not a fixture"]);
    const assigned = (await patch(path, { assignee: "mia" })).body as Row & { assigned_to: { login: string } };
    assert.equal(assigned.assigned_to.login, "mia");
    assert.deepEqual(await nums("assignee=mia"), [2]);
    assert.equal(((await patch(path, { assignee: null })).body as Row).assigned_to, null);
    assert.equal((await patch(path, { assignee: "olga" })).status, 422);
    assert.equal(((await patch(path, { validity: "active" })).body as Row).validity, "active");
    assert.deepEqual(w.changes.map((c) => [c.kind, c.action, c.actor]), [
      ["secret_scanning", "resolved", "alice"],
      ["secret_scanning", "reopened", "ghaudit[bot]"],
      ["secret_scanning", "assigned", "alice"],
      ["secret_scanning", "unassigned", "alice"],
      ["secret_scanning", "validated", "alice"],
    ]);
  });
});
