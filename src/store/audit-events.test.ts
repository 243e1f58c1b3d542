// Audit events: idempotent inserts, content-hash ids, filters, keyset pages, counts and lookups, on every dialect.
import assert from "node:assert/strict";
import { sql } from "kysely";
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { test } from "node:test";
import type { AuditEventFilter, AuditEventInput } from "./audit-events.js";
import { syntheticAuditEvent } from "./synthetic.js";
import { filterIndexes, forEachDialect } from "./testing.js";

const T0 = Date.UTC(2025, 5, 1);

function event(id: string | undefined, at: number, action: string, extra: Partial<AuditEventInput> = {}): AuditEventInput {
  const raw: Record<string, unknown> = { "@timestamp": at, action, actor: extra.actor ?? "octocat" };
  if (id !== undefined) raw["_document_id"] = id;
  return { scope: "org", scopeName: "octo-org", action, at, actor: "octocat", org: "octo-org", raw, normalized: { action }, ...extra };
}

forEachDialect("audit events", (dialect) => {
  test("inserting the same events twice stores them once and counts only the new ones", () =>
    dialect.withStore(async (store) => {
      const batch = Array.from({ length: 50 }, (_, i) => syntheticAuditEvent(i));
      assert.deepEqual(await store.auditEvents.insert(batch), { inserted: 50, skipped: 0 });
      assert.deepEqual(await store.auditEvents.insert(batch), { inserted: 0, skipped: 50 });
      const overlapping = Array.from({ length: 50 }, (_, i) => syntheticAuditEvent(i + 25));
      assert.deepEqual(await store.auditEvents.insert(overlapping), { inserted: 25, skipped: 25 });
      const withInnerDuplicates = [syntheticAuditEvent(100), syntheticAuditEvent(100), syntheticAuditEvent(101)];
      assert.deepEqual(await store.auditEvents.insert(withInnerDuplicates), { inserted: 2, skipped: 1 });
      assert.equal(await store.auditEvents.count(), 77);
    }));

  test("batches larger than one statement are split and still stored exactly once", () =>
    dialect.withStore(async (store) => {
      const batch = Array.from({ length: 2_345 }, (_, i) => syntheticAuditEvent(i));
      assert.equal((await store.auditEvents.insert(batch)).inserted, 2_345);
      assert.equal((await store.auditEvents.insert(batch.slice(1_000))).inserted, 0);
      assert.equal(await store.auditEvents.count(), 2_345);
    }));

  test("events without _document_id get a content-hash id that is the same on every fetch", () =>
    dialect.withStore(async (store) => {
      const a = event(undefined, T0, "repo.create");
      const sameContentOtherKeyOrder = { ...a, raw: { actor: "octocat", action: "repo.create", "@timestamp": T0 } };
      const other = event(undefined, T0, "repo.destroy");
      assert.equal((await store.auditEvents.insert([a, other])).inserted, 2);
      assert.equal((await store.auditEvents.insert([sameContentOtherKeyOrder])).inserted, 0);
      const page = await store.auditEvents.list();
      assert.ok(page.items.every((e) => e.id.startsWith("sha256:") && e.id.length === 71));
      const actions = page.items.map((e) => (e.raw as { action: string }).action).sort();
      assert.deepEqual(actions, ["repo.create", "repo.destroy"]);
    }));

  test("raw JSON text is stored exactly as received", () =>
    dialect.withStore(async (store) => {
      const text = '{"_document_id":"doc-1","action":"repo.create","@timestamp":1700000000000,"nested":{"b":1,"a":[1,2]}}';
      await store.auditEvents.insert([{ ...event("doc-1", 1_700_000_000_000, "repo.create"), raw: text }]);
      const rows = await store.db.selectFrom("audit_events").select("raw").execute();
      assert.equal(rows[0]?.raw, text);
      const [stored] = (await store.auditEvents.list()).items;
      assert.deepEqual(stored?.raw, JSON.parse(text));
    }));

  test("filters by time range, action category, actor, repo and org, and pages by (at, id) without gaps", () =>
    dialect.withStore(async (store) => {
      const events: AuditEventInput[] = [];
      for (let i = 0; i < 30; i++) {
        // Three events share each timestamp, so pages must break ties by id.
        const at = T0 + Math.floor(i / 3) * 1000;
        const action = ["repo.create", "repo.access", "team.add_member"][i % 3] ?? "repo.create";
        events.push(event(`doc-${String(i).padStart(2, "0")}`, at, action, {
          actor: i % 2 === 0 ? "alice" : "bob",
          repo: i % 5 === 0 ? "octo-org/api" : "octo-org/web",
          org: i < 20 ? "octo-org" : "other-org",
        }));
      }
      events.push(event("doc-x", T0, "repository.create"));
      await store.auditEvents.insert(events);

      const all: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.auditEvents.list({}, { limit: 4, cursor });
        all.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.equal(all.length, 31);
      assert.equal(new Set(all).size, 31);
      const newestFirst = (await store.auditEvents.list({}, { limit: 100 })).items;
      assert.deepEqual(all, newestFirst.map((e) => e.id));
      for (let i = 1; i < newestFirst.length; i++) {
        const [p, c] = [newestFirst[i - 1], newestFirst[i]];
        assert.ok(p && c && (p.at > c.at || (p.at === c.at && p.id > c.id)), "ordered by (at, id) descending");
      }
      const ascending = (await store.auditEvents.list({}, { order: "asc", limit: 100 })).items.map((e) => e.id);
      assert.deepEqual(ascending, [...all].reverse());

      assert.equal(await store.auditEvents.count({ actions: ["repo"] }), 20, "category repo, not repository");
      assert.equal(await store.auditEvents.count({ actions: ["repo.access"] }), 10);
      assert.equal(await store.auditEvents.count({ actions: ["team", "repository"] }), 11);
      assert.equal(await store.auditEvents.count({ actor: "alice" }), 15);
      assert.equal(await store.auditEvents.count({ repo: "octo-org/api" }), 6);
      assert.equal(await store.auditEvents.count({ org: "other-org" }), 10);
      assert.equal(await store.auditEvents.count({ from: T0 + 2000, to: T0 + 4000 }), 6);
      const filtered = await store.auditEvents.list({ actor: "bob", actions: ["repo"] }, { limit: 3 });
      assert.equal(filtered.items.length, 3);
      assert.ok(filtered.items.every((e) => e.actor === "bob" && e.action.startsWith("repo.")));
      const rest = await store.auditEvents.list({ actor: "bob", actions: ["repo"] }, { limit: 100, cursor: filtered.nextCursor });
      assert.equal(filtered.items.length + rest.items.length, 10);
      assert.equal(rest.nextCursor, undefined);

      const top = await store.auditEvents.countByAction({}, 2);
      assert.deepEqual(top, [{ action: "repo.access", count: 10 }, { action: "repo.create", count: 10 }]);
    }));

  test("an actions filter lists every stored action it covers in (at, id) order, page by page, both ways", () =>
    dialect.withStore(async (store) => {
      // Ties on `at`, also within one action; an exact entry; nested actions; an action that is its category plus a
      // dot; look-alike categories; categories of 64 and 65 stored actions. Filters that are merged action by action
      // and filters read as one range (with an actor or repository, with more than 16 entries) must list the same.
      const named = ["repo", "repo.create", "repo.destroy", "repo.a.b", "team.", "repository.create", "repo_x.y", "team.add_member", "org.update_member"];
      const b64 = Array.from({ length: 64 }, (_, i) => `b64.action_${String(i).padStart(2, "0")}`);
      const b65 = Array.from({ length: 65 }, (_, i) => `b65.action_${String(i).padStart(2, "0")}`);
      const inputs = Array.from({ length: 720 }, (_, i) => {
        const pair = Math.floor(i / 2); // two events of one action at one time
        const slot = Math.floor(pair / 3);
        const action = pair % 3 === 0 ? b64[slot % 64]! : pair % 3 === 1 ? b65[slot % 65]! : named[slot % named.length]!;
        const id = `doc-${String(i).padStart(4, "0")}`;
        return event(id, T0 + Math.floor(i / 6) * 1000, action, {
          id, actor: i % 2 === 0 ? "alice" : "bob", repo: `octo-org/r${i % 3}`, org: i % 5 === 0 ? "other-org" : "octo-org",
          ...(i % 7 === 0 ? { scope: "enterprise" as const, scopeName: "octo-ent" } : {}),
        });
      });
      await store.auditEvents.insert(inputs);
      const covers = (entries: readonly string[], action: string) => entries.some((e) => action === e || action.startsWith(`${e}.`));
      const cases: AuditEventFilter[] = [
        { actions: ["repo"] },
        { actions: ["repo", "repo.create", "team"] },
        { actions: ["team"] },
        { actions: ["repo.a"] },
        { actions: ["b64"] },
        { actions: ["b65"] },
        { actions: ["b64", "org"], actor: "bob" },
        { actions: ["repo", "team"], from: T0 + 20_000, to: T0 + 90_000 },
        { actions: ["repo", "b64"], repo: "octo-org/r1", org: "octo-org" },
        { actions: ["b64"], scope: "enterprise", scopeName: "octo-ent" },
        { actions: ["nothing", "repo.create"] },
        { actions: ["nothing"] },
        // More entries than are resolved one by one: one range.
        { actions: [...Array.from({ length: 300 }, (_, i) => `none${i}`), "team", "repo.a"] },
      ];
      const expected = (f: AuditEventFilter, order: "asc" | "desc") => {
        const ids = inputs
          .filter((e) => covers(f.actions ?? [], e.action) && (f.actor === undefined || e.actor === f.actor) && (f.repo === undefined || e.repo === f.repo))
          .filter((e) => (f.org === undefined || e.org === f.org) && (f.scope === undefined || e.scope === f.scope) && (f.scopeName === undefined || e.scopeName === f.scopeName))
          .filter((e) => (f.from === undefined || e.at >= f.from) && (f.to === undefined || e.at < f.to))
          .sort((a, b) => a.at - b.at || (a.id! < b.id! ? -1 : a.id! > b.id! ? 1 : 0))
          .map((e) => e.id);
        return order === "desc" ? ids.reverse() : ids;
      };
      const listAll = async (f: AuditEventFilter, order: "asc" | "desc") => {
        const listed: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.auditEvents.list(f, { limit: 7, order, ...(cursor ? { cursor } : {}) });
          listed.push(...page.items.map((e) => e.id));
          cursor = page.nextCursor;
        } while (cursor);
        return listed;
      };
      for (const f of cases) {
        for (const order of ["desc", "asc"] as const) {
          const want = expected(f, order);
          assert.ok(f.actions?.[0] === "nothing" || want.length > 0, `${JSON.stringify(f)} matches something`);
          assert.deepEqual(await listAll(f, order), want, `${JSON.stringify(f)} ${order}`);
        }
      }
      // While a bulk load has the action index suspended (SQLite), the same pages come from one range instead.
      const end = await store.auditEvents.suspendFilterIndexes({ below: Number.MAX_SAFE_INTEGER });
      try {
        if (dialect.dialect === "sqlite") assert.ok((await filterIndexes(store)).length < 3, "suspended");
        for (const f of cases.slice(0, 3)) assert.deepEqual(await listAll(f, "desc"), expected(f, "desc"), `${JSON.stringify(f)} suspended`);
      } finally {
        await end();
      }
    }));

  test("finds events by (id, at) reference and by position", () =>
    dialect.withStore(async (store) => {
      const batch = Array.from({ length: 20 }, (_, i) => syntheticAuditEvent(i));
      await store.auditEvents.insert(batch);
      const wanted = [batch[7], batch[3]].map((e) => ({ id: (e?.raw as { _document_id: string })._document_id, at: e?.at ?? 0 }));
      const found = await store.auditEvents.getByRefs([...wanted, { id: "nope", at: 1 }]);
      assert.deepEqual(found.map((e) => e.id), [wanted[1]?.id, wanted[0]?.id]);
      const first = found[0];
      assert.ok(first);
      assert.deepEqual(await store.auditEvents.getBySeq(first.seq), first);
      assert.equal(await store.auditEvents.getBySeq(10_000), undefined);
    }));

  test("a bulk load into a small table suspends the filter indexes on SQLite; the last one to end rebuilds them", () =>
    dialect.withStore(async (store, database) => {
      const indexes = async () => filterIndexes(store);
      const original = await indexes();
      assert.equal(original.length, 3);
      const endFirst = await store.auditEvents.suspendFilterIndexes();
      const endSecond = await store.auditEvents.suspendFilterIndexes();
      const suspended = dialect.dialect === "sqlite";
      assert.deepEqual(await indexes(), suspended ? [] : original);
      // Listings work meanwhile (by scanning).
      await store.auditEvents.insert(Array.from({ length: 30 }, (_, i) => syntheticAuditEvent(i)));
      const actor = (await store.auditEvents.list({}, { limit: 1 })).items[0]?.actor ?? "";
      const byActor = await store.auditEvents.list({ actor }, { limit: 100 });
      assert.ok(byActor.items.length > 0 && byActor.items.every((e) => e.actor === actor));
      assert.equal(await endFirst(), false);
      assert.equal(await endFirst(), false, "ending twice counts once");
      assert.deepEqual(await indexes(), suspended ? [] : original);
      assert.equal(await endSecond(), suspended);
      assert.deepEqual(await indexes(), original);
      assert.equal((await store.auditEvents.list({ actor }, { limit: 100 })).items.length, byActor.items.length);

      // Not into a table that already holds `below` events or more.
      const end = await store.auditEvents.suspendFilterIndexes({ below: 30 });
      assert.deepEqual(await indexes(), original);
      assert.equal(await end(), false);

      // Another process opening the store meanwhile leaves them to the load's process (its lease is live)...
      await store.auditEvents.suspendFilterIndexes();
      const other = await database.open();
      assert.deepEqual(await filterIndexes(other), suspended ? [] : original);
      assert.equal(await other.auditEvents.restoreFilterIndexes(), !suspended);
      // ...and cannot suspend them itself: its load goes ahead with them.
      assert.equal(await (await other.auditEvents.suspendFilterIndexes())(), false);
      await other.close();
      // A load's process elsewhere (another host) stops before rebuilding them: the first open after its lease
      // expired rebuilds them.
      if (suspended) await sql`update leases set holder = 'other-host:1:x' where name = 'store:audit-filter-indexes'`.execute(store.db);
      const sixMinutesOn = { now: () => Date.now() + 6 * 60_000 };
      const early = await database.open();
      assert.deepEqual(await filterIndexes(early), suspended ? [] : original, "not while its lease is live");
      await early.close();
      const reopened = await database.open({ clock: sixMinutesOn });
      assert.deepEqual(await filterIndexes(reopened), original);
      await reopened.close();

      // A store closed while suspended gives its lease up: the next open rebuilds them at once.
      await store.auditEvents.suspendFilterIndexes();
      await store.close();
      const next = await database.open();
      assert.deepEqual(await filterIndexes(next), original);
      await next.close();
    }));

  test("a load that suspends them while the last one is still rebuilding keeps the suspension's lease", () =>
    dialect.withStore(async (store) => {
      const endFirst = await store.auditEvents.suspendFilterIndexes();
      const ending = endFirst();
      const endSecond = await store.auditEvents.suspendFilterIndexes();
      await ending;
      const held = (await store.leases.heldWithPrefix("store:")).length;
      assert.equal(held, dialect.dialect === "sqlite" ? 1 : 0);
      assert.equal(await endSecond(), dialect.dialect === "sqlite");
      assert.equal((await filterIndexes(store)).length, 3);
      assert.deepEqual(await store.leases.heldWithPrefix("store:"), []);
    }));

  test("a suspension whose process died is given up at once by the next open on this machine", { skip: dialect.dialect !== "sqlite" }, () =>
    dialect.withStore(async (store, database) => {
      const original = await filterIndexes(store);
      await store.auditEvents.suspendFilterIndexes();
      assert.deepEqual(await filterIndexes(store), []);
      const child = spawnSync(process.execPath, ["-e", "process.pid"]);
      assert.equal(child.status, 0);
      await sql`update leases set holder = ${`${hostname()}:${child.pid}:gone`} where name = 'store:audit-filter-indexes'`.execute(store.db);
      const next = await database.open();
      assert.deepEqual(await filterIndexes(next), original);
      assert.equal((await next.leases.heldWithPrefix("store:")).length, 0, "the dead holder's lease is released");
      await next.close();
    }));

  test("a store whose filter indexes cannot be rebuilt still opens, with a warning", { skip: dialect.dialect !== "sqlite" }, () =>
    dialect.withStore(async (store, database) => {
      await store.auditEvents.suspendFilterIndexes();
      // Something the rebuild cannot get past (here: a column it indexes is gone).
      await sql`alter table audit_events drop column repo`.execute(store.db);
      await store.close();
      const warnings: string[] = [];
      const reopened = await database.open({
        logger: { warn: (_fields: object, message: string) => void warnings.push(message) } as never,
        clock: { now: () => Date.now() + 6 * 60_000 }, // the suspension's lease has expired
      });
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? "", /could not rebuild the audit log's filter indexes/);
      assert.equal(await reopened.auditEvents.count({ actions: ["repo"] }), 0);
      await reopened.close();
    }));

  test("a cursor that was not made by list is a bad request", () =>
    dialect.withStore(async (store) => {
      await assert.rejects(store.auditEvents.list({}, { cursor: "not-a-cursor" }), { code: "bad-request" });
    }));
});
