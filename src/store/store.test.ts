// openStore: migrations on a fresh and a re-opened database, clear errors for bad locations, atomic transactions.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { Migrator, sql } from "kysely";
import { isAppError } from "../core/errors.js";
import { openStore } from "./index.js";
import { migrationProvider } from "./migrations/index.js";
import { syntheticAuditEvent } from "./synthetic.js";
import { forEachDialect } from "./testing.js";

const TABLES = [
  "alert_events", "alerts", "audit_events", "checkpoints", "detections", "etags", "leases", "repositories",
  "sequences", "sink_positions", "webhook_deliveries",
];

forEachDialect("openStore", (dialect) => {
  test("migrates a fresh database, and re-opening it changes nothing", async () => {
    const database = await dialect.create();
    try {
      const first = await database.open();
      assert.equal(first.dialect, dialect.dialect);
      const tables = (await first.db.introspection.getTables())
        .filter((t) => database.options.schema === undefined || t.schema === database.options.schema)
        .map((t) => t.name)
        .sort();
      assert.deepEqual(tables, TABLES);
      await first.auditEvents.insert([syntheticAuditEvent(1)]);
      await first.checkpoints.set("s", { page: 1 });
      await first.close();

      const second = await database.open();
      const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(second.db);
      assert.deepEqual(rows.map((r) => r.name), ["0001-initial", "0002-etag-next", "0003-delivery-retry", "0004-timeline-order"]);
      assert.equal(await second.auditEvents.count(), 1);
      assert.deepEqual((await second.checkpoints.get("s"))?.cursor, { page: 1 });
      assert.equal(await second.outbox.head(), 1);
      await second.close();
    } finally {
      await database.drop();
    }
  });

  test("a database at an older migration is brought up to date on open, keeping its data", async () => {
    const database = await dialect.create();
    try {
      const old = await database.open({ migrate: false });
      const migrator = new Migrator({
        db: old.db,
        provider: migrationProvider(dialect.dialect),
        ...(database.options.schema ? { migrationTableSchema: database.options.schema } : {}),
      });
      assert.equal((await migrator.migrateTo("0001-initial")).error, undefined);
      await sql`insert into etags (stream, url, etag, last_modified, updated_at) values ('s', '/u', 'W/"1"', null, 5)`.execute(old.db);
      await old.close();

      const current = await database.open();
      assert.deepEqual(await current.checkpoints.getValidator("s", "/u"), { etag: 'W/"1"', lastModified: null, next: null });
      await current.checkpoints.setValidator("s", "/u", { etag: 'W/"2"', lastModified: null, next: "/u?page=2" });
      assert.equal((await current.checkpoints.getValidator("s", "/u"))?.next, "/u?page=2");
    } finally {
      await database.drop();
    }
  });

  test("a transaction that throws after writing data and checkpoint leaves neither", () =>
    dialect.withStore(async (store) => {
      await assert.rejects(
        store.transaction(async (tx) => {
          const { inserted } = await tx.auditEvents.insert([syntheticAuditEvent(1), syntheticAuditEvent(2)]);
          assert.equal(inserted, 2);
          await tx.checkpoints.set("org-audit-log", { after: "cursor-2" });
          assert.equal(await tx.auditEvents.count(), 2, "the transaction sees its own writes");
          throw new Error("crash before commit");
        }),
        /crash before commit/,
      );
      assert.equal(await store.auditEvents.count(), 0);
      assert.equal(await store.checkpoints.get("org-audit-log"), undefined);
      assert.equal(await store.outbox.head(), 0, "the positions taken are rolled back too");

      await store.transaction(async (tx) => {
        await tx.auditEvents.insert([syntheticAuditEvent(1)]);
        await tx.checkpoints.set("org-audit-log", { after: "cursor-1" });
      });
      assert.equal(await store.auditEvents.count(), 1);
      assert.deepEqual((await store.checkpoints.get("org-audit-log"))?.cursor, { after: "cursor-1" });
    }));
});

test("a folder, a non-database file and an unknown URL scheme are clear store errors", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-store-bad-"));
  try {
    const cases: [string, RegExp][] = [
      [dir, /it is a folder/],
      [join(dir, "not-a-db.txt"), /not a database/],
      ["mysql://admin:hunter2@db.example:3306/ghaudit", /Unsupported store location/],
      ["", /No store location/],
    ];
    writeFileSync(join(dir, "not-a-db.txt"), "hello, this is text and not SQLite at all ".repeat(200));
    for (const [location, message] of cases) {
      await assert.rejects(openStore(location), (err: unknown) => {
        assert.ok(isAppError(err), `AppError for ${location}`);
        assert.equal(err.code, "store-error");
        assert.match(err.message, message);
        assert.ok(err.hint);
        assert.doesNotMatch(err.message, /hunter2/);
        return true;
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an unreachable PostgreSQL URL is a store error naming the host, never the password", async () => {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  await assert.rejects(openStore("postgres://ghaudit:s3cret-pw@127.0.0.1:1/ghaudit"), (err: unknown) => {
    assert.ok(isAppError(err));
    assert.equal(err.code, "store-error");
    assert.match(err.message, /postgres:\/\/ghaudit:\*\*\*@127\.0\.0\.1:1\/ghaudit/);
    assert.doesNotMatch(err.message, /s3cret-pw/);
    assert.match(err.hint ?? "", /running/);
    return true;
  });
});

test("creates the parent folders of a new SQLite file and turns WAL on", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-store-new-"));
  try {
    const store = await openStore(join(dir, "a", "b", "ghaudit.db"));
    const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    assert.equal(rows[0]?.journal_mode, "wal");
    const size = await sql<{ page_size: number }>`pragma page_size`.execute(store.db);
    assert.equal(size.rows[0]?.page_size, 8192);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a SQLite file made with another page size keeps it, and works", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-store-page-"));
  try {
    const file = join(dir, "ghaudit.db");
    const old = new Database(file);
    old.pragma("page_size = 4096");
    old.pragma("journal_mode = WAL");
    old.exec("create table other (x)");
    old.close();
    for (let open = 0; open < 2; open++) {
      const store = await openStore(file);
      const size = await sql<{ page_size: number }>`pragma page_size`.execute(store.db);
      assert.equal(size.rows[0]?.page_size, 4096);
      await store.checkpoints.set(`stream-${open}`, { open });
      assert.deepEqual((await store.checkpoints.get(`stream-0`))?.cursor, { open: 0 });
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
