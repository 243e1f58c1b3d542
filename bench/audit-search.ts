// Audit-log search latency of the store: N synthetic events (skewed actions, actors and repositories, as GitHub's
// are; `repo` covers 63 actions), then one page of 100 newest events for filters an auditor uses, the first page and
// the 20th, median of R runs each; on SQLite and (when GHAUDIT_TEST_POSTGRES_URL is set) PostgreSQL, without planner
// statistics (no ANALYZE), as a store is right after a backfill.
// Usage: node .build/NAME/bench/audit-search.js [--events 500000] [--runs 15]
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import type { AuditEventFilter } from "../src/store/audit-events.js";
import type { Store } from "../src/store/index.js";
import { syntheticAuditEvent } from "../src/store/synthetic.js";
import { testDialects } from "../src/store/testing.js";

const { values } = parseArgs({
  options: { events: { type: "string", default: "500000" }, runs: { type: "string", default: "15" } },
});
const total = Number(values.events);
const runs = Number(values.runs);
const PER_COMMIT = 10_000;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function timed(store: Store, filter: AuditEventFilter, depth: number): Promise<{ ms: number; items: number }> {
  const times: number[] = [];
  let items = 0;
  for (let r = 0; r < runs + 1; r++) {
    let cursor: string | undefined;
    // Pages before the measured one are walked untimed (their cursor is what a UI sends for "next").
    for (let d = 0; d < depth; d++) {
      const page = await store.auditEvents.list(filter, { limit: 100, ...(cursor ? { cursor } : {}) });
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    const started = performance.now();
    const page = await store.auditEvents.list(filter, { limit: 100, ...(cursor ? { cursor } : {}) });
    if (r > 0) times.push(performance.now() - started); // the first run warms the cache
    items = page.items.length;
  }
  return { ms: median(times), items };
}

console.log(
  `audit search bench: ${total.toLocaleString("en-US")} synthetic audit events, one page of 100, median of ${runs} runs, ` +
    `node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`,
);
for (const dialect of testDialects()) {
  const database = await dialect.create();
  const store = await database.open();
  try {
    for (let start = 0; start < total; start += PER_COMMIT) {
      // Every tenth event is one of 60 more `repo.*` actions: GitHub's categories hold dozens of actions each.
      const events = Array.from({ length: Math.min(PER_COMMIT, total - start) }, (_, i) => {
        const e = syntheticAuditEvent(start + i);
        if ((start + i) % 10 !== 0) return e;
        const action = `repo.extra_${String(Math.floor((start + i) / 10) % 60).padStart(2, "0")}`;
        return { ...e, action, raw: { ...(e.raw as Record<string, unknown>), action } };
      });
      await store.transaction((tx) => tx.auditEvents.insert(events));
    }
    const [newest] = (await store.auditEvents.list({}, { limit: 1 })).items;
    const actor = newest?.actor ?? "octocat";
    const filters: [string, AuditEventFilter][] = [
      ["no filter", {}],
      ["action:repo (a common category)", { actions: ["repo"] }],
      ["action:org", { actions: ["org"] }],
      ["action:protected_branch (rarer)", { actions: ["protected_branch"] }],
      ["action:git.clone (one action)", { actions: ["git.clone"] }],
      ["action:repo action:team action:hook", { actions: ["repo", "team", "hook"] }],
      [`actor:${actor}`, { actor }],
      [`actor:${actor} action:repo`, { actor, actions: ["repo"] }],
    ];
    console.log(`\n${dialect.dialect}: ${(await store.auditEvents.count()).toLocaleString("en-US")} events`);
    console.log(`${"filter".padEnd(42)} ${"matches".padStart(9)}  ${"page 1 ms".padStart(9)}  ${"page 20 ms".padStart(10)}`);
    for (const [name, filter] of filters) {
      const matches = await store.auditEvents.count(filter);
      const first = await timed(store, filter, 0);
      const deep = await timed(store, filter, 19);
      console.log(`${name.padEnd(42)} ${matches.toLocaleString("en-US").padStart(9)}  ${first.ms.toFixed(2).padStart(9)}  ${deep.ms.toFixed(2).padStart(10)}`);
    }
  } finally {
    await store.close();
    await database.drop();
  }
}
