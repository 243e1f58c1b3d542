// Shared by the org and enterprise audit-log streams: incremental from a persisted high-water mark, re-reading an
// overlap (quantized so page URLs repeat and unchanged pages answer 304) for events that reach the API late;
// deduplicated by `_document_id`; each page's events, timeline entries and checkpoint commit in one transaction.
import { isoSeconds } from "../../core/clock.js";
import type { AuditEventRecord } from "../../core/records.js";
import { normalizeAuditEvent } from "../../pipeline/normalize/index.js";
import { auditTransition, type AuditTransition } from "../../pipeline/history.js";
import { recordTransitions } from "../../pipeline/timeline.js";
import type { AuditEventInput } from "../../store/audit-events.js";
import { emptyStats, streamKey, type SourceContext, type SyncStats } from "../types.js";
import { walkPages } from "./pages.js";

const DAY = 86_400_000;
/** Web events are kept 180 days (docs: "Reviewing the audit log for your organization"); stay a little inside. */
const RETENTION_MS = 180 * DAY - 3_600_000;

export interface AuditCursor {
  /** Highest `@timestamp` (epoch ms) stored so far; 0 before the first event. */
  high: number;
  /** The window start of the first ingest, kept until an event arrives (so idle polls reuse the same URL). */
  since?: number;
}

/** The `created:>=` bound of the next poll. */
export function auditWindowStart(cursor: AuditCursor | undefined, now: number, settings: SourceContext["settings"]): number {
  const floor = now - RETENTION_MS;
  if (cursor && cursor.high === 0 && cursor.since !== undefined) return Math.max(floor, cursor.since);
  if (!cursor || cursor.high === 0) return Math.max(floor, settings.lookbackMs === "all" ? floor : now - settings.lookbackMs);
  const overlap = Math.max(60_000, settings.overlapMs);
  // Quantized: the URL stays the same until the window moves a whole overlap, so idle polls are all 304s.
  return Math.max(floor, Math.floor((cursor.high - overlap) / overlap) * overlap);
}

function toInput(record: AuditEventRecord, raw: Record<string, unknown>, ctx: SourceContext, at: number): AuditEventInput {
  return {
    id: record.id,
    scope: ctx.target.scope,
    scopeName: ctx.target.name,
    action: record.action,
    actor: record.actor,
    user: record.user,
    org: record.org,
    repo: record.repository,
    at,
    createdAt: typeof raw["created_at"] === "number" ? raw["created_at"] : null,
    country: record.country_code,
    operationType: record.operation_type,
    severity: record.severity,
    raw,
    normalized: { ...record, raw: undefined },
  };
}

/**
 * Walks from the window start to the newest event. When the high-water mark moved the window, walks the new
 * window once more: its pages are then known, so the next idle poll is answered entirely by 304s.
 */
export async function syncAuditLog(ctx: SourceContext, type: string, route: string, param: "org" | "enterprise"): Promise<SyncStats> {
  const stats = emptyStats(type, ctx.target);
  const stream = streamKey(type, ctx.target);
  const cursor = (await ctx.store.checkpoints.get<AuditCursor>(stream))?.cursor;
  const state = { high: cursor?.high ?? 0, seen: 0 };
  let since = auditWindowStart(cursor, ctx.clock.now(), ctx.settings);
  const first = cursor?.since ?? since;
  for (let pass = 0; pass < 3; pass++) {
    await walkWindow(ctx, stats, { stream, route, param, since, state, first });
    const next = auditWindowStart({ high: state.high, since: first }, ctx.clock.now(), ctx.settings);
    if (state.high === 0 || next <= since) break;
    since = next;
  }
  return stats;
}

interface WalkState {
  high: number;
  seen: number;
}

async function walkWindow(
  ctx: SourceContext,
  stats: SyncStats,
  w: { stream: string; route: string; param: "org" | "enterprise"; since: number; state: WalkState; first: number },
): Promise<void> {
  const { stream, state } = w;
  const params = {
    [w.param]: ctx.target.name,
    phrase: `created:>=${isoSeconds(w.since)}`,
    include: ctx.settings.include,
    order: "asc",
    per_page: 100,
  };
  for await (const page of walkPages<Record<string, unknown>>(ctx.client, ctx.store, w.route, params, { stream })) {
    stats.pages++;
    if (!page.items) {
      stats.notModified++;
      continue;
    }
    const inputs: AuditEventInput[] = [];
    const transitions: AuditTransition[] = [];
    for (const raw of page.items) {
      let record: AuditEventRecord;
      try {
        record = normalizeAuditEvent(raw, { scope: ctx.target.scope, name: ctx.target.name });
      } catch (err) {
        // A bad record never stops the stream: count it, log it, go on.
        ctx.logger.warn({ err, stream }, "skipped an audit event that cannot be normalized");
        continue;
      }
      const at = Date.parse(record.timestamp);
      if (at > state.high) state.high = at;
      inputs.push(toInput(record, raw, ctx, at));
      const t = auditTransition(raw, record.id, record.timestamp);
      if (t) transitions.push(t);
    }
    const high = state.high;
    const written = await ctx.store.transaction(async (tx) => {
      const { inserted } = await tx.auditEvents.insert(inputs);
      const recorded = await recordTransitions(tx, transitions.map((t) => ({ ...t, source: "audit_log" as const, sourceRef: t.documentId })));
      await tx.checkpoints.set(stream, { high, since: w.first } satisfies AuditCursor);
      await page.commit(tx);
      return { inserted, recorded };
    });
    stats.added += written.inserted;
    stats.transitions += written.recorded;
    state.seen += page.items.length;
    ctx.progress.update(state.seen);
  }
}
