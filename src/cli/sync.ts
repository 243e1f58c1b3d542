// `ghaudit sync --once`: one poll of every enabled stream, with a summary of what was added and changed.
import { Command } from "commander";
import { syncOnce } from "../pipeline/sync.js";
import { openContext, withCommonFlags, type CommonFlags } from "./context.js";
import { terminalProgress, terminalStatus } from "./progress.js";

export function syncCommand(): Command {
  return withCommonFlags(
    new Command("sync")
      .description("Collect from GitHub: one poll of every enabled stream (--once), then exit")
      .option("--once", "poll once and exit (the scheduler runs in `ghaudit serve`)")
      .option("--reconcile", "walk every alert list completely to notice alerts that disappeared"),
  ).action(async (flags: CommonFlags & { once?: boolean; reconcile?: boolean }) => {
    if (!flags.once) {
      console.error("✗ sync runs one poll with --once; `ghaudit serve` polls on a schedule.");
      process.exitCode = 2;
      return;
    }
    const ctx = await openContext(flags);
    try {
      const bars: ReturnType<typeof terminalProgress>[] = [];
      const outcomes = await syncOnce({
        ...ctx,
        ...(flags.reconcile ? { reconcile: true } : {}),
        showsFailures: true,
        suspendIndexes: true,
        rebuildingIndexes: () => {
          for (const bar of bars.splice(0)) bar.done();
          return terminalStatus("building the audit log's search indexes (once, after a backfill)…");
        },
        progress: (s) => {
          const bar = terminalProgress(`${s.target.name} ${s.source.type}`);
          bars.push(bar);
          return bar;
        },
      });
      for (const bar of bars) bar.done();
      let failed = 0;
      for (const o of outcomes) {
        if (o.ok && o.stats) {
          const s = o.stats;
          console.log(
            `✓ ${o.target.padEnd(24)} ${o.stream.padEnd(21)} ${s.added} added, ${s.changed} changed, ${s.transitions} transitions` +
              `${s.detections ? `, ${s.detections} detections` : ""}` +
              `${s.missing ? `, ${s.missing} gone` : ""} (${s.pages} pages, ${s.notModified} not modified)`,
          );
        } else {
          failed++;
          console.log(`✗ ${o.target.padEnd(24)} ${o.stream.padEnd(21)} ${o.error?.message ?? "failed"}`);
          if (o.error?.hint) console.log(`  ${o.error.hint}`);
        }
      }
      const total = outcomes.reduce((n, o) => n + (o.stats?.added ?? 0), 0);
      const changed = outcomes.reduce((n, o) => n + (o.stats?.changed ?? 0), 0);
      console.log(`${failed ? "✗" : "✓"} ${total} records added, ${changed} changed${failed ? `; ${failed} stream(s) failed` : ""}`);
      process.exitCode = failed ? 1 : 0;
    } finally {
      await ctx.store.close();
    }
  });
}
