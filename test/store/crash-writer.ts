// Child process for crash.test.ts: writes audit events in batches, each with its checkpoint in one transaction,
// resuming from the stored checkpoint, and prints "committed N" after each commit until killed (or `--batches` done).
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openStore } from "../../src/store/index.js";
import { syntheticAuditEvent } from "../../src/store/synthetic.js";

export const BATCH = 500;
/** Each batch re-sends the end of the previous one, as a source re-fetching an overlapping page does. */
export const OVERLAP = 50;
export const STREAM = "org-audit-log";

/** The event indexes batch `n` carries. */
export function batchIndexes(n: number): number[] {
  const start = Math.max(0, n * BATCH - OVERLAP);
  return Array.from({ length: (n + 1) * BATCH - start }, (_, i) => start + i);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { location: { type: "string" }, schema: { type: "string" }, batches: { type: "string" } },
  });
  const store = await openStore(values.location ?? "", values.schema ? { schema: values.schema } : {});
  const checkpoint = await store.checkpoints.get<{ batch: number }>(STREAM);
  let n = checkpoint ? checkpoint.cursor.batch + 1 : 0;
  const last = values.batches === undefined ? Infinity : n + Number(values.batches) - 1;
  process.stdout.write(`resuming ${n}\n`);
  for (; n <= last; n++) {
    const events = batchIndexes(n).map((i) => syntheticAuditEvent(i));
    const inserted = await store.transaction(async (tx) => {
      let count = 0;
      // Several statements per transaction, so a kill often lands inside one.
      for (let i = 0; i < events.length; i += 100) count += (await tx.auditEvents.insert(events.slice(i, i + 100))).inserted;
      await tx.checkpoints.set(STREAM, { batch: n, through: events.length });
      return count;
    });
    if (inserted !== BATCH) {
      process.stdout.write(`error batch ${n} inserted ${inserted}, expected ${BATCH}\n`);
      process.exit(2);
    }
    process.stdout.write(`committed ${n}\n`);
  }
  await store.close();
  process.stdout.write("done\n");
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    process.stdout.write(`error ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
