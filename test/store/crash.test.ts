// A writer killed with SIGKILL in the middle of its write loop loses nothing it committed and duplicates nothing on
// restart: the checkpoint always matches the data, because both are written in one transaction.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { auditEventId } from "../../src/store/ids.js";
import type { Store } from "../../src/store/index.js";
import { syntheticRawEvent } from "../../src/store/synthetic.js";
import { forEachDialect, type TestDatabase } from "../../src/store/testing.js";
import { BATCH, STREAM, batchIndexes } from "./crash-writer.js";

const WRITER = fileURLToPath(new URL("./crash-writer.js", import.meta.url));

/** Runs the writer; kills it with SIGKILL once it printed `committed <killAfter>`. Resolves with its output lines. */
function runWriter(database: TestDatabase, options: { killAfter?: number; batches?: number }): Promise<{ lines: string[]; signal: string | null }> {
  const args = [WRITER, "--location", database.location];
  if (database.options.schema) args.push("--schema", database.options.schema);
  if (options.batches !== undefined) args.push("--batches", String(options.batches));
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  let buffer = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    for (const line of parts) {
      lines.push(line);
      if (options.killAfter !== undefined && line === `committed ${options.killAfter}`) child.kill("SIGKILL");
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`writer exited ${code}: ${lines.join(" | ")}`));
      else resolve({ lines, signal });
    });
  });
}

/** Asserts the store holds exactly the events of batches 0..last, each once, and the checkpoint says `last`. */
async function assertConsistent(store: Store, last: number): Promise<void> {
  const checkpoint = await store.checkpoints.get<{ batch: number }>(STREAM);
  assert.equal(checkpoint?.cursor.batch, last, "checkpoint");
  const rows = await store.db.selectFrom("audit_events").select("id").execute();
  const expected = new Set<string>();
  for (let n = 0; n <= last; n++) for (const i of batchIndexes(n)) expected.add(auditEventId(syntheticRawEvent(i)));
  assert.equal(rows.length, (last + 1) * BATCH, "one row per event of the committed batches");
  assert.equal(expected.size, rows.length);
  assert.ok(rows.every((r) => expected.has(r.id)), "nothing from an uncommitted batch");
}

forEachDialect("crash safety", (dialect) => {
  test("SIGKILL mid-write, reopen, resume: every committed batch present once, checkpoint consistent", async () => {
    const database = await dialect.create();
    try {
      const killed = await runWriter(database, { killAfter: 25 });
      assert.equal(killed.signal, "SIGKILL");
      const committed = killed.lines.filter((l) => l.startsWith("committed ")).length;
      assert.ok(committed >= 26, `${committed} batches reported committed`);

      let store = await database.open();
      const checkpoint = await store.checkpoints.get<{ batch: number }>(STREAM);
      const last = checkpoint?.cursor.batch ?? -1;
      // The kill may land after a commit and before its line was printed, never before a printed commit.
      assert.ok(last === committed - 1 || last === committed, `checkpoint ${last} after ${committed} printed commits`);
      await assertConsistent(store, last);
      await store.close();

      const resumed = await runWriter(database, { batches: 3 });
      assert.equal(resumed.lines[0], `resuming ${last + 1}`);
      assert.equal(resumed.lines.at(-1), "done");
      store = await database.open();
      await assertConsistent(store, last + 3);
      await store.close();
    } finally {
      await database.drop();
    }
  });
});
