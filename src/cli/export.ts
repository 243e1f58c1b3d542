// `ghaudit export --kind audit|alerts|timeline [--format ndjson|csv]`: normalized records to stdout, streamed
// page by page so any size exports in constant memory.
import { Command, Option } from "commander";
import type { AuditEventRecord } from "../core/records.js";
import { normalizeAuditEvent } from "../pipeline/normalize/index.js";
import { alertView, detectionView, isoOrNull, timelineView } from "../pipeline/views.js";
import type { Store } from "../store/index.js";
import { openStoreOnly, type CommonFlags, withCommonFlags } from "./context.js";

export type ExportKind = "audit" | "alerts" | "timeline" | "detections";
export type ExportFormat = "ndjson" | "csv";

/** CSV columns per kind: the fields other tools rely on (the ndjson form carries the whole record). */
export const CSV_COLUMNS: Record<ExportKind, string[]> = {
  audit: ["id", "timestamp", "action", "actor", "org", "repo", "severity"],
  alerts: ["kind", "repository", "number", "state", "risk_level", "risk_score", "created_at", "updated_at", "closed_at", "closed_by", "reason", "html_url"],
  timeline: ["kind", "repository", "number", "from_state", "to_state", "at", "actor", "reason", "comment", "source"],
  detections: ["id", "at", "rule_id", "rule_title", "level", "severity", "event_ids"],
};

const iso = isoOrNull;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Yields export rows of `kind`, oldest first. */
export async function* exportRows(store: Store, kind: ExportKind): AsyncGenerator<Record<string, unknown>> {
  let cursor: string | undefined;
  // A transition reported before the alert's earlier history was known has no from_state: it is the state before.
  const lastState = new Map<string, string>();
  do {
    if (kind === "audit") {
      const page = await store.auditEvents.list({}, { order: "asc", limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const e of page.items) {
        const stored = (e.normalized ?? {}) as Partial<AuditEventRecord>;
        const record = normalizeAuditEvent(e.raw as Record<string, unknown>, { scope: e.scope, name: e.scopeName });
        yield {
          ...record,
          severity: e.severity ?? stored.severity ?? record.severity,
          tags: stored.tags ?? record.tags,
          timestamp: iso(e.at),
          repo: e.repo,
        };
      }
      cursor = page.nextCursor;
    } else if (kind === "alerts") {
      const page = await store.alerts.list({}, { order: "asc", limit: 1000, sort: "created", ...(cursor ? { cursor } : {}) });
      for (const a of page.items) {
        yield { ...(a.normalized as Record<string, unknown>), ...alertView(a), raw: a.raw };
      }
      cursor = page.nextCursor;
    } else if (kind === "detections") {
      const page = await store.detections.list({}, { order: "asc", limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const d of page.items) yield detectionView(d);
      cursor = page.nextCursor;
    } else {
      const page = await store.alertEvents.list({}, { order: "asc", limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const t of page.items) {
        yield timelineView(t, lastState.get(t.alertId) ?? null);
        lastState.set(t.alertId, t.toState);
      }
      cursor = page.nextCursor;
    }
  } while (cursor);
}

async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((r) => out.once("drain", () => r()));
}

export async function exportTo(store: Store, kind: ExportKind, format: ExportFormat, out: NodeJS.WritableStream): Promise<number> {
  let count = 0;
  const columns = CSV_COLUMNS[kind];
  if (format === "csv") await write(out, `${columns.join(",")}\n`);
  for await (const row of exportRows(store, kind)) {
    count++;
    await write(out, format === "csv" ? `${columns.map((c) => csvCell(row[c])).join(",")}\n` : `${JSON.stringify(row)}\n`);
  }
  return count;
}

export function exportCommand(): Command {
  return withCommonFlags(
    new Command("export")
      .description("Write stored records to stdout")
      .addOption(new Option("--kind <kind>", "what to export").choices(["audit", "alerts", "timeline", "detections"]).makeOptionMandatory())
      .addOption(new Option("--format <format>", "output format").choices(["ndjson", "csv"]).default("ndjson")),
    { targets: false },
  ).action(async (flags: CommonFlags & { kind: ExportKind; format: ExportFormat }) => {
    const store = await openStoreOnly(flags);
    // `ghaudit export ... | head` closes the pipe early: that is the reader's choice, not an error.
    process.stdout.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(0);
      throw err;
    });
    try {
      await exportTo(store, flags.kind, flags.format, process.stdout);
    } finally {
      await store.close();
    }
  });
}
