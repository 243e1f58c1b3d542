// Audit-log endpoint filters over real HTTP: include web/git/all, default window and retention, late events,
// `phrase` in URLs, the enterprise log's scope and page mode.
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import type { AuditLogEvent } from "../state/types.js";
import { ENTERPRISE, FREE_ORG, ORG, ORG2 } from "./fixture-world.js";
import { DAY, NOW, ids, parseLink, startAuditTestServer, walk, type AuditTestServer } from "./test-server.js";

let server: AuditTestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function withEvents(events: [daysAgo: number, event: Record<string, unknown>, git?: boolean][]) {
  server = await startAuditTestServer();
  for (const [daysAgo, event, git] of events) {
    server.state.appendAudit({ "@timestamp": NOW - daysAgo * DAY, org: ORG.login, ...event } as AuditLogEvent, { git: git ?? false });
  }
  return server;
}

const actions = (events: AuditLogEvent[]) => events.map((e) => e.action);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

test("include: web by default, git and all on request; Git events only for 7 days", async () => {
  const s = await withEvents([
    [1, { action: "repo.create" }],
    [2, { action: "git.clone", repository: "acme/a" }, true],
    [6.9, { action: "git.push", repository: "acme/a" }, true],
    [8, { action: "git.push", repository: "acme/b" }, true],
    [9, { action: "repo.destroy" }],
  ]);
  const path = `/orgs/${ORG.login}/audit-log`;
  assert.deepEqual(actions((await walk(s, path)).events), ["repo.create", "repo.destroy"]);
  assert.deepEqual(actions((await walk(s, `${path}?include=web`)).events), ["repo.create", "repo.destroy"]);
  assert.deepEqual(actions((await walk(s, `${path}?include=git`)).events), ["git.clone", "git.push"]);
  assert.deepEqual(actions((await walk(s, `${path}?include=all&order=asc`)).events), ["repo.destroy", "git.push", "git.clone", "repo.create"]);
  const old = `${path}?include=git&phrase=created:>=${iso(NOW - 30 * DAY)}`;
  assert.deepEqual(actions((await walk(s, old)).events), ["git.clone", "git.push"], "created: does not extend Git retention");
  const bad = await s.get(`${path}?include=everything`);
  assert.equal(bad.status, 422);
  assert.equal((bad.body as { message: string }).message, "Validation Failed");
});

test("default window is 3 months; created: reaches back to the 180-day retention, never further", async () => {
  const s = await withEvents([
    [10, { action: "repo.create", actor: "olivia" }],
    [89, { action: "repo.access", actor: "olivia" }],
    [91, { action: "repo.destroy", actor: "olivia" }],
    [170, { action: "org.add_member", actor: "olivia" }],
    [181, { action: "org.remove_member", actor: "olivia" }],
  ]);
  const path = `/orgs/${ORG.login}/audit-log`;
  assert.deepEqual(actions((await walk(s, path)).events), ["repo.create", "repo.access"]);
  assert.deepEqual(actions((await walk(s, `${path}?phrase=actor:olivia`)).events), ["repo.create", "repo.access"], "a phrase without created: keeps the window");
  const all = await walk(s, `${path}?phrase=created:>=2000-01-01`);
  assert.deepEqual(actions(all.events), ["repo.create", "repo.access", "repo.destroy", "org.add_member"]);
  const range = await walk(s, `${path}?phrase=created:${iso(NOW - 100 * DAY)}..${iso(NOW - 80 * DAY)}`);
  assert.deepEqual(actions(range.events), ["repo.access", "repo.destroy"]);
  // Time moves on: the 89-day event leaves the default window, the 170-day one leaves retention.
  s.state.clock.advance(11 * DAY);
  assert.deepEqual(actions((await walk(s, path)).events), ["repo.create"]);
  assert.deepEqual(actions((await walk(s, `${path}?phrase=created:>=2000-01-01`)).events), ["repo.create", "repo.access", "repo.destroy"]);
});

test("late events stay invisible until their time comes; an older cursor or created: re-walk finds them", async () => {
  const s = await withEvents([
    [0.5, { action: "repo.create" }],
    [0.4, { action: "repo.access" }],
    [0.3, { action: "repo.destroy" }],
  ]);
  // Happened 8 hours ago (between repo.access and repo.destroy), reaches the API in 2 hours.
  const at = NOW - 8 * 3600_000;
  s.state.appendAudit({ "@timestamp": at, action: "org.add_member", org: ORG.login }, { lateByMs: 10 * 3600_000 });
  const path = `/orgs/${ORG.login}/audit-log?order=asc&per_page=1`;
  const first = await walk(s, path);
  assert.deepEqual(actions(first.events), ["repo.create", "repo.access", "repo.destroy"]);
  const second = await s.get(path);
  const oldCursor = parseLink(second.headers.get("link"))["next"]!; // after repo.create
  const newestSeen = new URL(first.lastLink["prev"]!).searchParams.get("before")!; // repo.destroy
  const newestCursor = `${path}&after=${encodeURIComponent(newestSeen)}`;
  s.state.clock.advance(2 * 3600_000 - 1);
  assert.deepEqual(actions((await walk(s, oldCursor)).events), ["repo.access", "repo.destroy"], "not yet");
  s.state.clock.advance(1);
  assert.deepEqual(actions((await walk(s, oldCursor)).events), ["repo.access", "org.add_member", "repo.destroy"]);
  // A client that only resumes after the newest event it saw misses it: it landed in the past.
  assert.deepEqual(actions((await walk(s, newestCursor)).events), []);
  const since = await walk(s, `/orgs/${ORG.login}/audit-log?phrase=created:>=${iso(NOW - DAY)}`);
  assert.deepEqual(actions(since.events), ["repo.destroy", "org.add_member", "repo.access", "repo.create"]);
  const late = since.events[1]!;
  assert.equal(late["@timestamp"], at);
  assert.equal(late.created_at, at + 10 * 3600_000);
});

test("phrase in URLs: + and %20 separate terms, quoted names work, bad syntax is a 422", async () => {
  const s = await withEvents([
    [1, { action: "repo.create", actor: "olivia", actor_location: { country_code: "NZ", country_name: "New Zealand" } }],
    [2, { action: "repo.create", actor: "boss", actor_location: { country_code: "US", country_name: "United States" } }],
    [3, { action: "team.add_member", actor: "olivia", user: "mel" }],
    [4, { action: "repo.access", actor: "mel", repo: "acme/widgets", operation_type: "modify" }],
  ]);
  const q = (phrase: string) => walk(s, `/orgs/${ORG.login}/audit-log?phrase=${phrase}`).then((r) => actions(r.events));
  assert.deepEqual(await q("action:repo+actor:olivia"), ["repo.create"]);
  assert.deepEqual(await q("action:repo%20-actor:olivia"), ["repo.create", "repo.access"]);
  assert.deepEqual(await q("actor:olivia+actor:boss"), ["repo.create", "repo.create", "team.add_member"]);
  assert.deepEqual(await q(encodeURIComponent('country:"New Zealand"')), ["repo.create"]);
  assert.deepEqual(await q("repo:acme/widgets+operation:modify"), ["repo.access"]);
  assert.deepEqual(await q("user:mel"), ["team.add_member"]);
  for (const phrase of ["hello", "actor:", "nope:x", "created:tomorrow", "actor_id:1"]) {
    const r = await s.get(`/orgs/${ORG.login}/audit-log?phrase=${encodeURIComponent(phrase)}`);
    assert.equal(r.status, 422, phrase);
    const body = r.body as { message: string; errors: { field: string; code: string }[] };
    assert.equal(body.message, "Validation Failed");
    assert.equal(body.errors[0]!.field, "phrase");
  }
});

test("enterprise log: every org of the enterprise, multi-org events once, enterprise qualifiers, page mode", async () => {
  const s = await withEvents([
    [1, { action: "repo.create", org: ORG.login, org_id: ORG.id, actor_id: 102 }],
    [2, { action: "repo.create", org: ORG2.login, org_id: ORG2.id, actor_id: 101 }],
    [3, { action: "org.transfer", org: [ORG.login, ORG2.login], org_id: [ORG.id, ORG2.id] }],
    [4, { action: "repo.create", org: FREE_ORG.login }],
    [5, { action: "business.add_admin", org: undefined, business: ENTERPRISE.slug, business_id: ENTERPRISE.id }],
  ]);
  const path = `/enterprises/${ENTERPRISE.slug}/audit-log`;
  const all = await walk(s, path);
  assert.deepEqual(actions(all.events), ["repo.create", "repo.create", "org.transfer", "business.add_admin"]);
  assert.deepEqual(all.events[2]!.org, [ORG.login, ORG2.login]);
  const org2 = await walk(s, `/orgs/${ORG2.login}/audit-log`);
  assert.deepEqual(actions(org2.events), ["repo.create", "org.transfer"]);
  const q = (phrase: string) => walk(s, `${path}?phrase=${encodeURIComponent(phrase)}`).then((r) => actions(r.events));
  assert.deepEqual(await q(`org_id:${ORG2.id}`), ["repo.create", "org.transfer"]);
  assert.deepEqual(await q("actor_id:102"), ["repo.create"]);
  assert.deepEqual(await q(`business:${ENTERPRISE.slug} action:business`), ["business.add_admin"]);
  assert.deepEqual(await q(`org:${ORG2.login}`), ["repo.create", "org.transfer"]);
  // The enterprise spec lists `page`: honoured when sent without cursors, with page links incl. last.
  const p2 = await s.get(`${path}?per_page=3&page=2`);
  assert.deepEqual(actions(p2.body as AuditLogEvent[]), ["business.add_admin"]);
  const link = p2.headers.get("link")!;
  assert.equal(
    link,
    `<${s.url}/enterprises/${ENTERPRISE.id}/audit-log?per_page=3&page=1>; rel="prev", <${s.url}/enterprises/${ENTERPRISE.id}/audit-log?per_page=3&page=1>; rel="first"`,
  );
  assert.deepEqual(ids(all.events), ids((await walk(s, `/enterprises/${ENTERPRISE.id}/audit-log?per_page=1`)).events));
});
