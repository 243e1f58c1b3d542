// Shared by the org and enterprise audit-log streams: incremental from a persisted high-water mark, re-reading an
// overlap (quantized so page URLs repeat and unchanged pages answer 304) for events that reach the API late;
// deduplicated by `_document_id`; each page's events, timeline entries and checkpoint commit in one transaction.
import { isoSeconds } from "../../core/clock.js";
import type { AuditEventRecord } from "../../core/records.js";
import { auditEventMillis, normalizeAuditEvent } from "../../pipeline/normalize/index.js";
import { auditTransition, type AuditTransition } from "../../pipeline/history.js";
import { recordTransitions } from "../../pipeline/timeline.js";
import type { AuditEventInput } from "../../store/audit-events.js";
import type { DetectionInput } from "../../store/detections.js";
import { toDetectionInput } from "../../rules/index.js";
import { emptyStats, streamKey, type SourceContext, type StreamSettings, type SyncStats, type SyncTarget } from "../types.js";
import type { Store, Validator } from "../../store/index.js";
import { walkPages, type PageResult } from "./pages.js";

const DAY = 86_400_000;
/** Web events are kept 180 days (docs: "Reviewing the audit log for your organization"); older ones are not returned. */
const RETENTION_MS = 180 * DAY;

export interface AuditCursor {
  /** Highest `@timestamp` (epoch ms) stored so far; 0 before the first event. */
  high: number;
  /** The window start of the first ingest, kept until an event arrives (so idle polls reuse the same URL). */
  since?: number;
  /** A first ingest of a long window runs as time slices walked in parallel; set until every slice is done. */
  backfill?: { slices: { from: number; to: number | null }[] };
}

interface SliceCursor {
  high: number;
  done: boolean;
}

/** A first ingest longer than two of these is split into slices of at least this length. */
const SLICE_MIN_MS = 3_600_000;
const MAX_SLICES = 32;
/** Slices walked at once: each page costs a round trip, so parallel slices hide the latency. */
export const BACKFILL_CONCURRENCY = 8;

/** The `created:>=` bound of the next poll. */
export function auditWindowStart(cursor: AuditCursor | undefined, now: number, settings: SourceContext["settings"]): number {
  const floor = now - RETENTION_MS;
  // No event yet: the first window start stays, so the URL of the next idle poll is the same and answered 304 (GitHub
  // simply has nothing older than its retention).
  if (cursor && cursor.high === 0 && cursor.since !== undefined) return cursor.since;
  if (!cursor || cursor.high === 0) return Math.max(floor, settings.lookbackMs === "all" ? floor : now - settings.lookbackMs);
  const overlap = Math.max(60_000, settings.overlapMs);
  // Quantized: the URL stays the same until the window moves a whole overlap, so idle polls are all 304s.
  return Math.max(floor, Math.floor((cursor.high - overlap) / overlap) * overlap);
}

/** Equal time slices of [since, now); the last one is open-ended so events arriving meanwhile land in it. */
export function backfillSlices(since: number, now: number): { from: number; to: number | null }[] {
  const count = Math.min(MAX_SLICES, Math.floor((now - since) / SLICE_MIN_MS));
  const width = Math.ceil((now - since) / count);
  return Array.from({ length: count }, (_, i) => ({ from: since + i * width, to: i === count - 1 ? null : since + (i + 1) * width }));
}

/** The stored `normalized` JSON text of an event without tags (most events), made once per severity. */
const untaggedTexts = new Map<string, string>();
function untaggedText(severity: string): string {
  let text = untaggedTexts.get(severity);
  if (text === undefined) untaggedTexts.set(severity, (text = JSON.stringify({ severity, tags: [] })));
  return text;
}

function toInput(record: AuditEventRecord, raw: Record<string, unknown>, text: string | undefined, ctx: SourceContext, at: number): AuditEventInput {
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
    // The JSON text as GitHub sent it when there is one (a batch then holds strings, not thousands of parsed objects).
    raw: text ?? raw,
    // Everything else of the record is derived from `raw` again when read (normalizing is cheap; storage is not).
    normalized: record.tags.length === 0 ? untaggedText(record.severity) : { severity: record.severity, tags: record.tags },
  };
}

const sliceKey = (stream: string, i: number) => `${stream}#slice-${i}`;

/**
 * A long first ingest walks its time slices in parallel, each with its own checkpoint (so a crash resumes every
 * slice where it stopped). Then, or directly on later polls, walks from the window start to the newest event;
 * when the high-water mark moved the window, walks the new window once more: its pages are then known, so the next
 * idle poll is answered entirely by 304s.
 */
export async function syncAuditLog(ctx: SourceContext, type: string, route: string, param: "org" | "enterprise"): Promise<SyncStats> {
  const stats = emptyStats(type, ctx.target);
  const stream = streamKey(type, ctx.target);
  let cursor = (await ctx.store.checkpoints.get<AuditCursor>(stream))?.cursor;
  const state: WalkState = { high: cursor?.high ?? 0 };
  const walk = { stream, route, param, state };
  const batch = new AuditBatch(ctx, stats, stream);

  // Only a first ingest ever is sliced: an audit log that had no events then is walked from the same start each poll.
  if (cursor === undefined) {
    const now = ctx.clock.now();
    if (startsBackfill(now, ctx.settings)) {
      const since = auditWindowStart(cursor, now, ctx.settings);
      cursor = { high: 0, since, backfill: { slices: backfillSlices(since, now) } };
      await ctx.store.checkpoints.set(stream, cursor);
    }
  }
  if (cursor?.backfill) {
    const slices = cursor.backfill.slices;
    const highs = await runSlices(ctx, batch, walk, slices);
    state.high = Math.max(state.high, ...highs);
    cursor = { high: state.high, ...(cursor.since !== undefined ? { since: cursor.since } : {}) };
    await ctx.store.checkpoints.setMany([{ stream, cursor }, ...slices.map((_, i) => ({ stream: sliceKey(stream, i), cursor: null }))]);
  }

  let since = auditWindowStart(cursor, ctx.clock.now(), ctx.settings);
  const first = cursor?.since ?? since;
  const save: SaveCheckpoint = (high) => ({ stream, cursor: { high, since: first } satisfies AuditCursor });
  for (let pass = 0; pass < 3; pass++) {
    await walkWindow(ctx, batch, { ...walk, phrase: `created:>=${isoSeconds(since)}`, save });
    await batch.flush();
    const next = auditWindowStart({ high: state.high, since: first }, ctx.clock.now(), ctx.settings);
    if (state.high === 0 || next <= since) break;
    since = next;
  }
  return stats;
}

/** Whether the next sync of this audit-log stream backfills: a first ingest of a long window, or one not finished. */
export async function auditBackfillPending(store: Store, type: string, target: SyncTarget, settings: StreamSettings, now: number): Promise<boolean> {
  const cursor = (await store.checkpoints.get<AuditCursor>(streamKey(type, target)))?.cursor;
  return cursor === undefined ? startsBackfill(now, settings) : cursor.backfill !== undefined;
}

/** A first ingest is sliced into a backfill when its window is longer than two slices. */
function startsBackfill(now: number, settings: StreamSettings): boolean {
  return now - auditWindowStart(undefined, now, settings) >= 2 * SLICE_MIN_MS;
}

/**
 * Walks the slices BACKFILL_CONCURRENCY at a time into one shared batch; returns each slice's high-water mark.
 * When a slice fails for good, the other walks stop after the page they are on, what the batch holds is written
 * (events with their checkpoints: the next sync resumes every slice from there), and then the failure is thrown:
 * no walk goes on after the stream has failed.
 */
async function runSlices(
  ctx: SourceContext,
  batch: AuditBatch,
  walk: { stream: string; route: string; param: "org" | "enterprise" },
  slices: { from: number; to: number | null }[],
): Promise<number[]> {
  const highs = slices.map(() => 0);
  let nextSlice = 0;
  let failed = false;
  const stop = () => failed;
  const worker = async () => {
    while (nextSlice < slices.length && !failed) {
      const i = nextSlice++;
      const slice = slices[i]!;
      const key = sliceKey(walk.stream, i);
      const saved = (await ctx.store.checkpoints.get<SliceCursor | null>(key))?.cursor;
      if (saved?.done) {
        highs[i] = saved.high;
        continue;
      }
      const from = Math.max(slice.from, saved?.high ?? 0);
      const range = slice.to === null ? `>=${isoSeconds(from)}` : `${isoSeconds(from)}..${isoSeconds(slice.to)}`;
      // Each slice keeps its own high-water mark; progress is counted across slices by the shared batch.
      const state: WalkState = { high: saved?.high ?? 0 };
      const save = (done: boolean): SaveCheckpoint => (high) => ({ stream: key, cursor: { high, done } satisfies SliceCursor });
      await walkWindow(ctx, batch, { ...walk, state, phrase: `created:${range}`, save: save(false), stop });
      // A walk stopped because another slice failed is not done: its checkpoint says how far it got.
      if (failed) return;
      highs[i] = state.high;
      // "Done" commits with the slice's last events, in the batch.
      batch.checkpoint(state, save(true));
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(BACKFILL_CONCURRENCY, slices.length) }, () =>
      worker().catch((err: unknown) => {
        failed = true;
        throw err;
      }),
    ),
  );
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) {
    // Keep what the other walks fetched (each page's events commit with its walk's checkpoint); the failure is the
    // error to report even if this write fails too. (When the failure was a batch's write, nothing more is written:
    // the walks' checkpoints in a later batch would cover the events of the one that was lost.)
    await batch.flush().catch((err: unknown) => ctx.logger.warn({ err, stream: walk.stream }, "could not write the audit events fetched before a slice failed"));
    throw failure.reason;
  }
  await batch.flush();
  return highs;
}

interface WalkState {
  /** Highest `@timestamp` walked (epoch ms). */
  high: number;
}

/** The checkpoint (stream key and cursor) that says a walk got to `high`; written in the batch's transaction. */
type SaveCheckpoint = (high: number) => { stream: string; cursor: unknown };

/**
 * Pages are stored in batches of about this many events, across the parallel slices of a backfill: one transaction
 * per batch, and a bigger one writes each touched index page to SQLite's WAL once for more rows.
 */
export const BATCH_EVENTS = 5000;

interface PendingBatch {
  inputs: AuditEventInput[];
  transitions: AuditTransition[];
  detections: DetectionInput[];
  /**
   * The pages' validators, to commit with their events. Not the pages: their parsed items would stay reachable until
   * the batch commits, surviving into V8's old generation (GC time and RSS) when only their JSON texts are needed.
   */
  validators: { url: string; validator: Validator }[];
  pages: number;
  /** The latest checkpoint of each walk, keyed by the walk's state. */
  saves: Map<WalkState, { save: SaveCheckpoint; high: number }>;
  events: number;
}

const emptyBatch = (): PendingBatch => ({ inputs: [], transitions: [], detections: [], validators: [], pages: 0, saves: new Map(), events: 0 });

/**
 * Collects walked pages (events, timeline entries, detections, page validators) and the walks' checkpoints, and
 * writes them in one transaction when full. Batches are written one after the other, so a walk's checkpoint never
 * commits before the events it covers.
 */
class AuditBatch {
  readonly #ctx: SourceContext;
  readonly #stats: SyncStats;
  readonly #stream: string;
  #seen = 0;
  #pending = emptyBatch();
  #writing: Promise<void> = Promise.resolve();
  /** The writes of the batches handed to `#write` and not written yet, oldest (the one being written) first. */
  #unwritten: Promise<void>[] = [];

  /** `stream` keys the validators of the pages (every walk of one sync of one stream). */
  constructor(ctx: SourceContext, stats: SyncStats, stream: string) {
    this.#ctx = ctx;
    this.#stats = stats;
    this.#stream = stream;
  }

  get current() {
    return this.#pending;
  }

  /** Records that `walk` got to `state.high`: written with the batch, after its events. */
  checkpoint(state: WalkState, save: SaveCheckpoint): void {
    this.#pending.saves.set(state, { save, high: state.high });
  }

  /** Adds a walked page (its events are already in `current`); writes the batch when it is full. */
  async page(page: PageResult<unknown>): Promise<void> {
    this.#stats.pages++;
    if (!page.items) this.#stats.notModified++;
    this.#pending.pages++;
    if (page.validator) this.#pending.validators.push({ url: page.url, validator: page.validator });
    this.#pending.events += page.items?.length ?? 0;
    if (this.#pending.events >= BATCH_EVENTS) await this.flush();
    // While a full batch waits behind the one being written, every walk waits for that write rather than fill more
    // batches: with a store slower than GitHub (PostgreSQL), each walk otherwise left a full batch queued in memory.
    else if (this.#unwritten.length > 1) await this.#unwritten[0];
  }

  /** Writes what is pending (after any batch being written). */
  flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = emptyBatch();
    const written = this.#writing.then(() => this.#write(batch));
    this.#writing = written;
    this.#unwritten.push(written);
    const done = () => void this.#unwritten.splice(this.#unwritten.indexOf(written), 1);
    written.then(done, done);
    return written;
  }

  async #write(batch: PendingBatch): Promise<void> {
    if (batch.pages === 0 && batch.saves.size === 0) return;
    const { inputs, transitions, detections, validators, saves } = batch;
    const written = await this.#ctx.store.transaction(async (tx) => {
      const { inserted } = await tx.auditEvents.insert(inputs);
      const raised = (await tx.detections.insert(detections)).inserted;
      const recorded = await recordTransitions(tx, transitions.map((t) => ({ ...t, source: "audit_log" as const, sourceRef: t.documentId })));
      // One statement each for the walks' checkpoints and the pages' validators (all pages are of this batch's stream).
      await tx.checkpoints.setMany([...saves.values()].map(({ save, high }) => save(high)));
      await tx.checkpoints.setValidators(this.#stream, validators);
      return { inserted, recorded, raised };
    });
    this.#stats.detections += written.raised;
    this.#stats.added += written.inserted;
    this.#stats.transitions += written.recorded;
    this.#seen += batch.events;
    this.#ctx.progress.update(this.#seen);
  }
}

/** Walks one window (a phrase) page by page into `batch`, checkpointing the walk's high-water mark with its events. */
async function walkWindow(
  ctx: SourceContext,
  batch: AuditBatch,
  w: {
    stream: string;
    route: string;
    param: "org" | "enterprise";
    phrase: string;
    state: WalkState;
    save: SaveCheckpoint;
    /** Asked after each page: true ends the walk there (its checkpoint covers the pages walked). */
    stop?: () => boolean;
  },
): Promise<void> {
  const { stream, state } = w;
  const params = {
    [w.param]: ctx.target.name,
    phrase: w.phrase,
    include: ctx.settings.include,
    order: "asc",
    per_page: 100,
  };
  for await (const page of walkPages<Record<string, unknown>>(ctx.client, ctx.store, w.route, params, { stream, prefetch: true, texts: true })) {
    if (!page.items) {
      await batch.page(page);
      if (w.stop?.()) return;
      continue;
    }
    // Read after every await: a flush swaps the pending batch.
    const { inputs, transitions, detections } = batch.current;
    const texts = page.texts ?? [];
    for (let i = 0; i < page.items.length; i++) {
      const raw = page.items[i]!;
      let record: AuditEventRecord;
      try {
        record = normalizeAuditEvent(raw, { scope: ctx.target.scope, name: ctx.target.name });
      } catch (err) {
        // A bad record never stops the stream: count it, log it, go on.
        ctx.logger.warn({ err, stream }, "skipped an audit event that cannot be normalized");
        continue;
      }
      // The record's `timestamp` as a number (normalizing succeeded, so there is one), without parsing the text back.
      const at = auditEventMillis(raw)!;
      if (at > state.high) state.high = at;
      if (ctx.rules) {
        const result = ctx.rules.evaluate(record);
        record.severity = result.severity;
        // (Copied unless it is the record's own array: rules may hand back arrays they share.)
        if (result.drop) record.tags = [...result.tags, "dropped"];
        else if (result.tags !== record.tags) record.tags = [...result.tags];
        for (const hit of result.detections) detections.push(toDetectionInput(hit, record));
      }
      inputs.push(toInput(record, raw, texts[i], ctx, at));
      const t = auditTransition(raw, record.id, record.timestamp);
      if (t) transitions.push(t);
    }
    batch.checkpoint(state, w.save);
    await batch.page(page);
    if (w.stop?.()) return;
  }
}
