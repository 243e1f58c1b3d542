// Audit-event insert rate of the store: 200k synthetic events in batches of 100 and 1000, median of 3 fresh runs,
// on SQLite and (when GHAUDIT_TEST_POSTGRES_URL is set) PostgreSQL. Each transaction also writes a checkpoint, as the
// pipeline does. Usage: node .build/NAME/bench/store-insert.js [--events N] [--runs N]
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import type { AuditEventInput } from "../src/store/audit-events.js";
import { syntheticAuditEvent } from "../src/store/synthetic.js";
import { testDialects, type DialectFixture } from "../src/store/testing.js";

const { values } = parseArgs({
  options: { events: { type: "string", default: "200000" }, runs: { type: "string", default: "3" } },
});
const total = Number(values.events);
const runs = Number(values.runs);

interface Mode {
  batch: number;
  /** Events per transaction (a multiple of batch). */
  perCommit: number;
}
const MODES: Mode[] = [
  { batch: 100, perCommit: 100 },
  { batch: 1000, perCommit: 1000 },
  { batch: 100, perCommit: 10_000 },
  { batch: 1000, perCommit: 10_000 },
];

async function once(dialect: DialectFixture, events: AuditEventInput[], mode: Mode): Promise<number> {
  const database = await dialect.create();
  const store = await database.open();
  try {
    const started = performance.now();
    for (let start = 0; start < events.length; start += mode.perCommit) {
      const end = Math.min(events.length, start + mode.perCommit);
      await store.transaction(async (tx) => {
        for (let b = start; b < end; b += mode.batch) {
          const { inserted } = await tx.auditEvents.insert(events.slice(b, Math.min(end, b + mode.batch)));
          if (inserted === 0) throw new Error("nothing inserted: the bench data repeats itself");
        }
        await tx.checkpoints.set("bench", { after: end });
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const stored = await store.auditEvents.count();
    if (stored !== events.length) throw new Error(`stored ${stored} of ${events.length} events`);
    return events.length / seconds;
  } finally {
    await store.close();
    await database.drop();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const events = Array.from({ length: total }, (_, i) => syntheticAuditEvent(i));
console.log(
  `store insert bench: ${total} synthetic audit events, median of ${runs} runs, node ${process.version}, ` +
    `${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`,
);
console.log("dialect   batch  events/commit  events/s (median)  runs");
for (const dialect of testDialects()) {
  for (const mode of MODES) {
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) rates.push(await once(dialect, events, mode));
    const line = [
      dialect.dialect.padEnd(8),
      String(mode.batch).padStart(6),
      String(mode.perCommit).padStart(14),
      Math.round(median(rates)).toLocaleString("en-US").padStart(18),
      `  ${rates.map((x) => Math.round(x)).join(" / ")}`,
    ];
    console.log(line.join(" "));
  }
}
