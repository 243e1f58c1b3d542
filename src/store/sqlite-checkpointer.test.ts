// The checkpointing thread: it copies committed WAL frames into the database file (the writer's own autocheckpoint
// is off), coalesces requests, and neither a store nor a checkpointer left open keeps the process alive.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { Checkpointer } from "./sqlite-checkpointer.js";

const MODULE = createRequire(import.meta.url).resolve("better-sqlite3");

function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-checkpointer-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test("copies committed WAL frames into the database file, off the writer's thread", async () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, "t.db");
  const db = new Database(path);
  const checkpointer = new Checkpointer({ path, module: MODULE });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("wal_autocheckpoint = 0");
    db.exec("create table t (k integer primary key, v text)");
    const insert = db.prepare("insert into t (v) values (?)");
    db.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run(`value ${i} `.repeat(10));
    })();
    const before = statSync(path).size;
    assert.ok(statSync(`${path}-wal`).size > 2_000_000, "the commit went to the WAL");
    // Several requests while one runs are coalesced into one more checkpoint.
    checkpointer.request();
    checkpointer.request();
    checkpointer.request();
    await checkpointer.idle();
    const after = statSync(path).size;
    assert.ok(after > before + 2_000_000, `the database file grew from ${before} to ${after} bytes`);
    assert.ok(checkpointer.frames > 500, `${checkpointer.frames} WAL frames reported`);
    // Everything was copied: a checkpoint now has nothing left to do.
    const [row] = db.pragma("wal_checkpoint(PASSIVE)") as { log: number; checkpointed: number }[];
    assert.equal(row!.checkpointed, row!.log);
  } finally {
    await checkpointer.close();
    db.close();
    cleanup();
  }
});

test("a store nobody closed does not keep the process alive, and its data is there", () => {
  const { dir, cleanup } = tempDir();
  try {
    const index = JSON.stringify(new URL("./index.js", import.meta.url).href);
    const file = JSON.stringify(join(dir, "ghaudit.db"));
    const write = `const { openStore } = await import(${index}); const s = await openStore(${file});
      await s.transaction((tx) => tx.checkpoints.set("left-open", 1)); console.log("written");`;
    const first = spawnSync(process.execPath, ["--input-type=module", "-e", write], { encoding: "utf8", timeout: 30_000 });
    assert.equal(first.error, undefined, "the process did not exit by itself");
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout.trim(), "written");
    const read = `const { openStore } = await import(${index}); const s = await openStore(${file});
      console.log(JSON.stringify((await s.checkpoints.get("left-open"))?.cursor)); await s.close();`;
    const second = spawnSync(process.execPath, ["--input-type=module", "-e", read], { encoding: "utf8", timeout: 30_000 });
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout.trim(), "1");
  } finally {
    cleanup();
  }
});
