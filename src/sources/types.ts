// What every source (one stream of GitHub data) looks like to the pipeline: a type, the scopes it runs on,
// a sync that stores data and checkpoint together, and a probe for `ghaudit test-connection`.
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { GitHubClient } from "../github/index.js";
import type { RuleEngine } from "../rules/index.js";
import type { Store } from "../store/index.js";

export type TargetScope = "org" | "enterprise";

export interface SyncTarget {
  scope: TargetScope;
  /** Org login or enterprise slug. */
  name: string;
}

export interface StreamSettings {
  /** Audit log: `web`, `git` or `all`. */
  include: "web" | "git" | "all";
  /** First-ingest look-back in ms, or `all` for everything within GitHub's retention. */
  lookbackMs: number | "all";
  /** How far back each audit-log poll re-reads, for events that reach the API late. */
  overlapMs: number;
  /** Full alert reconciliation (notices alerts that disappeared) at most this often. */
  reconcileEveryMs: number;
  /** Risk level given to secret scanning alerts. */
  secretRisk: "CRITICAL" | "HIGH" | "MEDIUM" | "LOW";
}

/** A stream's settings when the config says nothing (the config's own defaults, docs/config.md). */
export const DEFAULT_SETTINGS: StreamSettings = {
  include: "web",
  lookbackMs: 24 * 3_600_000,
  overlapMs: 5 * 60_000,
  reconcileEveryMs: 24 * 3_600_000,
  secretRisk: "HIGH",
};

export interface Progress {
  /** `done` items so far, out of `total` when known. */
  update(done: number, total?: number): void;
}

export const NO_PROGRESS: Progress = { update: () => undefined };

export interface SourceContext {
  client: GitHubClient;
  store: Store;
  logger: Logger;
  clock: Clock;
  target: SyncTarget;
  settings: StreamSettings;
  progress: Progress;
  /** Identifies this run in timeline records (`source_ref` of poll observations). */
  runId: string;
  /** Force a full reconciliation pass for alert streams. */
  reconcile?: boolean;
  /** Severity heuristics, user rules and Sigma detections for audit events (none: events keep INFO). */
  rules?: RuleEngine;
}

export interface SyncStats {
  stream: string;
  target: string;
  /** Records stored for the first time. */
  added: number;
  /** Records whose content changed. */
  changed: number;
  /** Alert state transitions written to timelines. */
  transitions: number;
  /** Detections raised by rules. */
  detections: number;
  /** Alerts noticed as gone (reconciliation) or repositories no longer listed. */
  missing: number;
  pages: number;
  /** Pages answered 304 Not Modified (no rate limit spent). */
  notModified: number;
}

export function emptyStats(stream: string, target: SyncTarget): SyncStats {
  return { stream, target: `${target.scope}:${target.name}`, added: 0, changed: 0, transitions: 0, detections: 0, missing: 0, pages: 0, notModified: 0 };
}

/** A probe needs no store: `test-connection` runs before anything is collected. */
export type ProbeContext = Pick<SourceContext, "client" | "logger" | "clock" | "target" | "settings">;

export interface ProbeResult {
  ok: boolean;
  /** What was checked, or what is wrong and how to fix it. */
  message: string;
  hint?: string;
  /** HTTP status of the request that failed (a 404 from every stream tells an outsider's token). */
  status?: number;
}

export interface Source {
  /** Folder name = registry key = log label. */
  readonly type: string;
  readonly scopes: readonly TargetScope[];
  readonly description: string;
  sync(ctx: SourceContext): Promise<SyncStats>;
  /**
   * Audit-log sources: whether the next sync backfills. `syncOnce` then keeps the store's filter indexes suspended
   * for its whole run, so that backfills one after the other (one per org) share one rebuild at the end.
   */
  auditBackfillPending?(ctx: Pick<SourceContext, "store" | "target" | "settings" | "clock">): Promise<boolean>;
  /** One cheap request that proves the stream would work (for `ghaudit test-connection`). */
  probe(ctx: ProbeContext): Promise<ProbeResult>;
}

/** The checkpoint / validator namespace of a stream for one target. */
export function streamKey(type: string, target: SyncTarget): string {
  return `${type}:${target.name.toLowerCase()}`;
}
