// Org and enterprise audit-log endpoints over real HTTP: cursor walks, Link headers, ETags, access rules.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { AuditRecord } from "../state/types.js";
import { appendSyntheticAudit, ENTERPRISE, ORG, ORG2, FREE_ORG, TOKENS } from "../audit/fixture-world.js";
import { DAY, NOW, httpGet, ids, parseLink, startAuditTestServer, walk, type AuditTestServer } from "../audit/test-server.js";
import { DEFAULT_WINDOW_MS, RETENTION_MS } from "../audit/view.js";
import { startEmulator } from "../server.js";
import { auditViewStats } from "./audit-log.js";

let server: AuditTestServer;

/** What the org endpoint should return by default, oldest first. */
function expectedOrg(login: string): AuditRecord[] {
  return server.state.audit.filter(
    (r) => r.orgs.includes(login) && !r.git && r.at >= NOW - DEFAULT_WINDOW_MS && r.visibleAt <= NOW,
  );
}
const cursorOf = (r: AuditRecord) => Buffer.from(JSON.stringify([r.at, r.seq])).toString("base64");

before(async () => {
  server = await startAuditTestServer();
  const { state } = server;
  appendSyntheticAudit(state, { org: ORG.login, count: 1200, now: NOW, spanMs: 120 * DAY, seed: 1, gitShare: 0.05 });
  appendSyntheticAudit(state, { org: ORG2.login, count: 300, now: NOW, spanMs: 60 * DAY, seed: 2 });
  appendSyntheticAudit(state, { org: FREE_ORG.login, count: 20, now: NOW, spanMs: 10 * DAY, seed: 3 });
  // Ties: 25 events with the same timestamp must still page without loss or repetition.
  for (let i = 0; i < 25; i++) {
    state.appendAudit({ "@timestamp": NOW - 3 * DAY, action: "repo.access", actor: "olivia", org: ORG.login });
  }
  state.appendAudit({ "@timestamp": NOW - 2 * DAY, action: "org.transfer", actor: "boss", org: [ORG2.login, ORG.login] as unknown as string });
});
after(() => server.close());

describe("cursor walks", () => {
  test("desc (default) and asc each return every visible event exactly once, in order", async () => {
    const want = ids(expectedOrg(ORG.login).map((r) => r.event));
    assert.ok(want.length > 800);
    const desc = await walk(server, `/orgs/${ORG.login}/audit-log?per_page=100`);
    assert.deepEqual(ids(desc.events), [...want].reverse());
    assert.equal(desc.pages, Math.ceil(want.length / 100));
    const asc = await walk(server, `/orgs/${ORG.login}/audit-log?per_page=7&order=asc`);
    assert.deepEqual(ids(asc.events), want);
    assert.equal(new Set(ids(asc.events)).size, want.length);
  });

  test("a full walk scans the log once, not once per page", async () => {
    const stats = auditViewStats(server.state)!;
    const before = { ...stats };
    await walk(server, `/orgs/${ORG.login}/audit-log?per_page=50&phrase=action:repo`);
    await walk(server, `/orgs/${ORG.login}/audit-log?per_page=50&phrase=action:repo&order=asc`);
    assert.equal(stats.scans - before.scans, 1);
    assert.equal(stats.timeFilters - before.timeFilters, 1);
  });

  test("`before` cursors (rel=prev) walk back from the last page to the first", async () => {
    const want = ids(expectedOrg(ORG.login).map((r) => r.event)).reverse();
    const forward = await walk(server, `/orgs/${ORG.login}/audit-log?per_page=40`);
    assert.equal(forward.lastLink["next"], undefined);
    const pages = [ids(forward.events.slice((forward.pages - 1) * 40))];
    let prev = forward.lastLink["prev"];
    while (prev !== undefined) {
      const r = await server.get(prev);
      assert.equal(r.status, 200);
      pages.unshift(ids(r.body as never));
      prev = parseLink(r.headers.get("link"))["prev"];
    }
    assert.equal(pages.length, forward.pages);
    assert.deepEqual(pages.flat(), want);
  });

  test("per_page defaults to 30 and is capped at 100; `page` is ignored on the org endpoint", async () => {
    const a = await server.get(`/orgs/${ORG.login}/audit-log`);
    assert.equal((a.body as unknown[]).length, 30);
    const b = await server.get(`/orgs/${ORG.login}/audit-log?per_page=500`);
    assert.equal((b.body as unknown[]).length, 100);
    const c = await server.get(`/orgs/${ORG.login}/audit-log?page=3`);
    assert.deepEqual(c.body, a.body);
  });

  test("a malformed cursor is a 400", async () => {
    const r = await server.get(`/orgs/${ORG.login}/audit-log?after=not-a-cursor`);
    assert.equal(r.status, 400);
    assert.equal((r.body as { message: string }).message, "Invalid cursor value provided");
    // Well-formed JSON that is not a sort key is rejected too (it used to be compared as if it were one).
    const nullKey = encodeURIComponent(Buffer.from("[null,1]").toString("base64"));
    assert.equal((await server.get(`/orgs/${ORG.login}/audit-log?after=${nullKey}`)).status, 400);
  });
});

describe("Link headers", () => {
  test("exactly GitHub's format, pointing at /organizations/{id}", async () => {
    const list = expectedOrg(ORG.login).reverse();
    const base = `${server.url}/organizations/${ORG.id}/audit-log`;
    const first = await server.get(`/orgs/${ORG.login}/audit-log?per_page=2&phrase=action:repo`);
    const rows = list.filter((r) => r.event.action?.startsWith("repo."));
    const q = (after: string, before: string) =>
      new URLSearchParams({ per_page: "2", phrase: "action:repo", after, before }).toString();
    assert.equal(
      first.headers.get("link"),
      `<${base}?${q(cursorOf(rows[1]!), "")}>; rel="next", <${base}?${q("", "")}>; rel="first"`,
    );
    const nextUrl = parseLink(first.headers.get("link"))["next"]!;
    const second = await server.get(nextUrl);
    assert.equal(
      second.headers.get("link"),
      `<${base}?${q(cursorOf(rows[3]!), "")}>; rel="next", <${base}?${q("", "")}>; rel="first", <${base}?${q("", cursorOf(rows[2]!))}>; rel="prev"`,
    );
    assert.deepEqual(ids(second.body as never), ids(rows.slice(2, 4).map((r) => r.event)));
    const alias = await server.get(`/orgs/${ORG.login}/audit-log?${q(cursorOf(rows[1]!), "")}`);
    assert.deepEqual(alias.body, second.body);
  });

  test("the last page has no next link; the enterprise links use /enterprises/{id}", async () => {
    const r = await server.get(`/enterprises/${ENTERPRISE.slug}/audit-log?per_page=100&order=asc`);
    const link = r.headers.get("link")!;
    assert.match(link, new RegExp(`^<${server.url}/enterprises/${ENTERPRISE.id}/audit-log\\?per_page=100&order=asc&after=[^&>]+&before=>; rel="next", <[^>]+&after=&before=>; rel="first"$`));
    const tail = await server.get(`/orgs/${ORG.login}/audit-log?per_page=100&order=asc&after=${encodeURIComponent(cursorOf(expectedOrg(ORG.login).at(-2)!))}`);
    assert.equal((tail.body as unknown[]).length, 1);
    assert.doesNotMatch(tail.headers.get("link")!, /rel="next"/);
    assert.match(tail.headers.get("link")!, /rel="prev"$/);
  });
});

describe("conditional requests", () => {
  test("If-None-Match answers 304 without spending rate limit; a new event changes the ETag", async () => {
    const path = `/orgs/${ORG.login}/audit-log?per_page=5`;
    const a = await server.get(path, TOKENS.owner);
    const etag = a.headers.get("etag")!;
    assert.match(etag, /^W\/"[0-9a-f]{64}"$/);
    assert.equal(a.headers.get("x-ratelimit-resource"), "audit_log");
    const b = await server.get(path, TOKENS.owner, { "if-none-match": etag });
    assert.equal(b.status, 304);
    assert.equal(b.body, null);
    assert.equal(b.headers.get("x-ratelimit-used"), a.headers.get("x-ratelimit-used"));
    assert.ok(b.headers.get("link"));
    server.state.appendAudit({ action: "repo.create", actor: "olivia", org: ORG.login });
    const c = await server.get(path, TOKENS.owner, { "if-none-match": etag });
    assert.equal(c.status, 200);
    assert.notEqual(c.headers.get("etag"), etag);
  });
});

describe("access", () => {
  const org = `/orgs/${ORG.login}/audit-log`;
  const ent = `/enterprises/${ENTERPRISE.slug}/audit-log`;
  const cases: [string, string, string | null, number, string | null][] = [
    ["org: owner, read:audit_log", org, TOKENS.owner, 200, null],
    ["org: owner, admin:org", org, TOKENS.ownerAdminOrg, 200, null],
    ["org: owner without scope", org, TOKENS.ownerNoScope, 403, "Resource not accessible by personal access token"],
    ["org: member", org, TOKENS.member, 403, "You must be an organization owner to access this resource."],
    ["org: outsider", org, TOKENS.stranger, 404, "Not Found"],
    ["org: fine-grained with Administration read", org, TOKENS.ownerFineGrained, 200, null],
    ["org: fine-grained without it", org, TOKENS.ownerFineGrainedNoPerm, 403, "Resource not accessible by personal access token"],
    ["org: installation with Administration read", org, TOKENS.installation, 200, null],
    ["org: installation without it", org, TOKENS.installationNoPerm, 403, "Resource not accessible by integration"],
    ["org: anonymous", org, null, 401, "Requires authentication"],
    ["org: bad token", org, "ghp_nope", 401, "Bad credentials"],
    ["org: not on Enterprise Cloud", `/orgs/${FREE_ORG.login}/audit-log`, TOKENS.boss, 404, "Not Found"],
    ["org: unknown", "/orgs/nope/audit-log", TOKENS.boss, 404, "Not Found"],
    ["org: numeric alias", `/organizations/${ORG.id}/audit-log`, TOKENS.owner, 200, null],
    ["org: unknown numeric id", "/organizations/999/audit-log", TOKENS.boss, 404, "Not Found"],
    ["org: free org by id", `/organizations/${FREE_ORG.id}/audit-log`, TOKENS.boss, 404, "Not Found"],
    ["ent: owner, read:audit_log", ent, TOKENS.boss, 200, null],
    ["ent: owner, admin:enterprise", ent, TOKENS.bossAdminEnterprise, 200, null],
    ["ent: owner without scope", ent, TOKENS.bossNoScope, 403, "Resource not accessible by personal access token"],
    ["ent: owner's fine-grained PAT", ent, TOKENS.bossFineGrained, 403, "Resource not accessible by personal access token"],
    ["ent: installation", ent, TOKENS.installation, 403, "Resource not accessible by integration"],
    ["ent: org owner, not enterprise owner", ent, TOKENS.owner, 403, "Must be an enterprise owner to access the audit log."],
    ["ent: outsider", ent, TOKENS.stranger, 404, "Not Found"],
    ["ent: anonymous", ent, null, 401, "Requires authentication"],
    ["ent: unknown", "/enterprises/nope/audit-log", TOKENS.boss, 404, "Not Found"],
    ["ent: numeric id", `/enterprises/${ENTERPRISE.id}/audit-log`, TOKENS.boss, 200, null],
  ];
  for (const [name, path, token, status, message] of cases) {
    test(name, async () => {
      const r = await server.get(path, token);
      assert.equal(r.status, status, JSON.stringify(r.body));
      if (message !== null) {
        const body = r.body as { message: string; status: string; documentation_url: string };
        assert.equal(body.message, message);
        assert.equal(body.status, String(status));
        assert.ok(body.documentation_url.startsWith("https://docs.github.com/"));
      } else {
        assert.ok(Array.isArray(r.body) && r.body.length > 0);
      }
    });
  }

  test("missing scope names the accepted scopes; missing permission names it", async () => {
    const a = await server.get(org, TOKENS.ownerNoScope);
    assert.equal(a.headers.get("x-accepted-oauth-scopes"), "read:audit_log, admin:org");
    const b = await server.get(ent, TOKENS.bossNoScope);
    assert.equal(b.headers.get("x-accepted-oauth-scopes"), "read:audit_log, admin:enterprise");
    const c = await server.get(org, TOKENS.installationNoPerm);
    assert.equal(c.headers.get("x-accepted-github-permissions"), "organization_administration=read");
  });
});

describe("a seeded world", () => {
  test("each org's whole retained log walks completely, once, and matches the schema", async () => {
    const emu = await startEmulator({ seed: 7, size: "small", frozenClock: true, rateLimit: { limits: { audit_log: 1e6 } } });
    try {
      const orgs = emu.world?.orgs ?? [];
      assert.ok(orgs.length > 0);
      const now = emu.state.now();
      const get = httpGet(emu.url, emu.token);
      for (const org of orgs) {
        const want = emu.state.audit
          .filter((r) => r.orgs.includes(org) && !r.git && r.visibleAt <= now && r.at >= now - RETENTION_MS)
          .map((r) => r.event._document_id)
          .reverse();
        assert.ok(want.length > 0, org);
        const got = await walk({ get }, `/orgs/${org}/audit-log?per_page=100&phrase=created:>=2000-01-01`);
        assert.deepEqual(ids(got.events), want);
      }
    } finally {
      await emu.close();
    }
  });
});
