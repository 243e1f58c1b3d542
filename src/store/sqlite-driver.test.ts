// The SQLite connection's thread: the event loop runs while SQLite works, SQLite's errors keep their codes, cursors
// stream, bulk rows and checkpoints batch, and a store nobody closed does not keep the process alive.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { sql } from "kysely";
import { openStore, type Store } from "./index.js";
import { SqliteError } from "./sqlite-driver.js";

async function withSqlite(fn: (store: Store, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-sqlite-thread-"));
  const store = await openStore(join(dir, "ghaudit.db"));
  try {
    await fn(store, dir);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the event loop keeps running while SQLite executes a long statement", async () => {
  await withSqlite(async (store) => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const started = performance.now();
      const { rows } = await sql<{ n: number }>`
        with recursive c(i) as (select 1 union all select i + 1 from c where i < 3000000) select count(*) as n from c
      `.execute(store.db);
      const ms = performance.now() - started;
      assert.equal(rows[0]!.n, 3_000_000);
      // On the event loop's own thread the statement would have blocked every timer until it finished.
      assert.ok(ticks >= Math.min(5, ms / 20), `${ticks} timer ticks during ${ms.toFixed(0)} ms of SQLite work`);
    } finally {
      clearInterval(timer);
    }
  });
});

test("SQLite's errors reach the caller with SQLite's code, and the connection goes on", async () => {
  await withSqlite(async (store) => {
    await store.checkpoints.set("s", 1);
    const err = await sql`insert into checkpoints (stream, cursor, updated_at) values ('s', '2', 0)`.execute(store.db).then(
      () => assert.fail("a duplicate key was accepted"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof SqliteError, String(err));
    assert.equal(err.code, "SQLITE_CONSTRAINT_PRIMARYKEY");
    assert.match(err.message, /UNIQUE constraint failed: checkpoints\.stream/);
    assert.deepEqual((await store.checkpoints.get("s"))?.cursor, 1);
  });
});

test("streams a select in chunks, and a cursor left early is closed", async () => {
  await withSqlite(async (store) => {
    await store.checkpoints.setMany(Array.from({ length: 250 }, (_, i) => ({ stream: `s${String(i).padStart(3, "0")}`, cursor: i })));
    const seen: string[] = [];
    for await (const row of store.db.selectFrom("checkpoints").select("stream").orderBy("stream").stream(40)) seen.push(row.stream);
    assert.equal(seen.length, 250);
    assert.equal(seen[249], "s249");
    for await (const row of store.db.selectFrom("checkpoints").select("stream").orderBy("stream").stream(10)) {
      if (row.stream === "s015") break;
    }
    // The connection is usable again after the early stop.
    assert.equal((await store.checkpoints.list()).length, 250);
  });
});

test("validators and checkpoints of many pages are written in one statement each, last one winning", async () => {
  await withSqlite(async (store) => {
    await store.checkpoints.setValidators("audit", [
      { url: "/a?page=1", validator: { etag: 'W/"1"', lastModified: null, next: "/a?page=2" } },
      { url: "/a?page=2", validator: { etag: 'W/"2"', lastModified: null, next: null } },
      { url: "/a?page=1", validator: { etag: 'W/"1b"', lastModified: null, next: "/a?page=2" } },
    ]);
    await store.checkpoints.setValidators("audit", [{ url: "/a?page=2", validator: { etag: 'W/"2b"', lastModified: null, next: null } }]);
    const validators = await store.checkpoints.validators("audit");
    assert.deepEqual(Object.fromEntries([...validators].map(([url, v]) => [url, v.etag])), { "/a?page=1": 'W/"1b"', "/a?page=2": 'W/"2b"' });
    await store.checkpoints.setMany([{ stream: "x", cursor: { high: 1 } }, { stream: "y", cursor: null }]);
    await store.checkpoints.setMany([{ stream: "x", cursor: { high: 2 } }]);
    assert.deepEqual((await store.checkpoints.get("x"))?.cursor, { high: 2 });
    assert.equal((await store.checkpoints.get("y"))?.cursor, null);
  });
});

test("a store nobody closed does not keep the process alive", () => {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-sqlite-thread-"));
  try {
    const script = `
      const { openStore } = await import(${JSON.stringify(new URL("./index.js", import.meta.url).href)});
      const store = await openStore(${JSON.stringify(join(dir, "ghaudit.db"))});
      await store.checkpoints.set("left-open", 1);
      console.log("done");
    `;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
    assert.equal(result.error, undefined, "the process did not exit by itself");
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), "done");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
