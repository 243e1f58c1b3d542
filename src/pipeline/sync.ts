// One poll of every enabled stream of every configured org and enterprise: the work of `ghaudit sync --once`
// and of each scheduler tick. Streams run one after another per target; one failing stream does not stop the rest.
import { randomUUID } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { isAppError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { Config } from "../config/index.js";
import { githubClientOptions } from "../config/index.js";
import { createGitHubClient, explainGitHubError, type GitHubClient, type GitHubClientOptions } from "../github/index.js";
import { DEFAULT_SETTINGS, SOURCES, type Source, type StreamSettings, type SyncStats, type SyncTarget } from "../sources/index.js";
import type { Progress } from "../sources/types.js";
import type { Store } from "../store/index.js";
import { dirname } from "node:path";
import { loadRules, type RuleEngine } from "../rules/index.js";
import { reevaluateIfRulesChanged, rulesFingerprint } from "./reevaluate.js";

/** Config stream key of each source type. */
const STREAM_KEYS: Record<string, string> = {
  "org-audit-log": "audit_log",
  "enterprise-audit-log": "audit_log",
  "code-scanning": "code_scanning",
  dependabot: "dependabot",
  "secret-scanning": "secret_scanning",
  repositories: "repositories",
};

export interface PlannedStream {
  source: Source;
  target: SyncTarget;
  settings: StreamSettings;
  /** How often `serve` polls it: the stream's `interval`, else `poll.interval`. */
  intervalMs: number;
}

interface StreamConfig {
  enabled: boolean;
  interval?: number;
  include?: "web" | "git" | "all";
  lookback?: number | "all";
  overlap?: number;
}

/** Which streams run for which targets, with their settings, from the config. */
export function planStreams(config: Config): PlannedStream[] {
  const plan: PlannedStream[] = [];
  const targets: { target: SyncTarget; streams: Record<string, StreamConfig | undefined> }[] = [
    ...config.orgs.map((o) => ({ target: { scope: "org" as const, name: o.name }, streams: o.streams as Record<string, StreamConfig> })),
    ...config.enterprises.map((e) => ({ target: { scope: "enterprise" as const, name: e.slug }, streams: e.streams as Record<string, StreamConfig> })),
  ];
  for (const { target, streams } of targets) {
    for (const source of SOURCES) {
      if (!source.scopes.includes(target.scope)) continue;
      const stream = streams[STREAM_KEYS[source.type] ?? source.type];
      if (stream && !stream.enabled) continue;
      plan.push({
        source,
        target,
        settings: {
          include: stream?.include ?? DEFAULT_SETTINGS.include,
          lookbackMs: stream?.lookback ?? DEFAULT_SETTINGS.lookbackMs,
          overlapMs: stream?.overlap ?? DEFAULT_SETTINGS.overlapMs,
          reconcileEveryMs: config.poll.reconcile_every,
          secretRisk: config.risk.secret_scanning_default,
        },
        intervalMs: stream?.interval ?? config.poll.interval,
      });
    }
  }
  return plan;
}

export interface StreamOutcome {
  stream: string;
  target: string;
  ok: boolean;
  stats?: SyncStats;
  error?: { message: string; hint?: string };
}

export interface SyncOptions {
  config: Config;
  store: Store;
  logger: Logger;
  clock: Clock;
  /** Makes a progress reporter for one stream. */
  progress?: (stream: PlannedStream) => Progress;
  reconcile?: boolean;
  /** Reuse clients across runs (the scheduler does); keyed by target. Within one run they are always shared. */
  clients?: Map<string, GitHubClient>;
  /** Only these streams (e.g. from a lease the caller holds). */
  only?: (stream: PlannedStream) => boolean;
  /** The rules engine applied to audit events (see `rulesFor`). */
  rules?: RuleEngine;
  /**
   * Lets this run suspend the store's audit-log filter indexes while audit logs backfill, and rebuild them once at its
   * end (SQLite; see AuditEvents.suspendFilterIndexes). Faster, but the rebuild holds the database for ~1.5 s per
   * million stored events, so only for one-shot runs (`sync --once`), never in `serve`; and skipped when a `serve` is
   * running on the store (it holds `serve:` and `stream:` leases).
   */
  suspendIndexes?: boolean;
  /** Shown while this run rebuilds the suspended indexes at its end (`sync --once` on a terminal). */
  rebuildingIndexes?: () => { done(): void };
  /**
   * The caller shows failed streams itself (`sync --once` prints them with their hints): they are then logged at debug
   * level rather than as errors, so they do not appear twice.
   */
  showsFailures?: boolean;
}

/** The rules engine the config describes (built-ins, user rule files, Sigma directories). */
export function rulesFor(config: Config, logger: Logger): RuleEngine {
  const baseDir = config.source.file ? dirname(config.source.file) : process.cwd();
  const loaded = loadRules(config.rules, { baseDir });
  for (const p of loaded.sigmaProblems) logger.warn({ file: p.file, rule: p.rule }, `Sigma rule skipped: ${p.message}`);
  return loaded.engine;
}

/**
 * The client of `target`, made once per `options.clients` map: `extra` applies when it is made, so a caller that needs
 * other client options (test-connection: no waiting for rate limits) passes a map of its own.
 */
export function clientFor(
  options: Pick<SyncOptions, "config" | "logger" | "clock" | "clients">,
  target: SyncTarget,
  extra: Partial<GitHubClientOptions> = {},
): GitHubClient {
  const key = `${target.scope}:${target.name}`;
  let client = options.clients?.get(key);
  if (!client) {
    client = createGitHubClient(
      githubClientOptions(options.config, target.scope === "org" ? { org: target.name } : { enterprise: target.name }, {
        logger: options.logger,
        clock: options.clock,
        ...extra,
      }),
    );
    options.clients?.set(key, client);
  }
  return client;
}

export async function syncOnce(given: SyncOptions): Promise<StreamOutcome[]> {
  // One client per target for the whole run (a GitHub App then mints one installation token, not one per stream).
  const options: SyncOptions = { ...given, clients: given.clients ?? new Map() };
  const runId = `poll-${randomUUID()}`;
  if (options.rules) await reevaluateIfRulesChanged(options.store, options.rules, rulesFingerprint(options.config), options.logger);
  const plan = planStreams(options.config).filter((p) => !options.only || options.only(p));
  const run = () => syncStreams(options, plan, runId);
  // Backfills one after the other (one per org or enterprise) share one suspension of the audit log's filter indexes:
  // the store rebuilds them once, at the end of the run, rather than after each backfill over all events so far.
  return options.suspendIndexes && (await backfillsAhead(options, plan))
    ? withFilterIndexesSuspended(options.store, options.logger, run, options.rebuildingIndexes)
    : run();
}

/**
 * Runs a bulk load with the store's audit-log filter indexes suspended (when the store is small enough for that to pay
 * off; see AuditEvents.suspendFilterIndexes): they are rebuilt once it ends, also when it fails, unless another load
 * still holds them. Suspending only saves time, so a suspension or rebuild that fails is logged, not thrown: the
 * events are stored either way, listings are only slower, and the next start rebuilds missing indexes.
 */
async function withFilterIndexesSuspended<T>(
  store: Store,
  logger: Logger,
  load: () => Promise<T>,
  /** Shown while the indexes are rebuilt (it can take a while: ~1.5 s per million events). */
  rebuilding?: () => { done(): void },
): Promise<T> {
  const resume = await store.auditEvents.suspendFilterIndexes().catch((err: unknown) => {
    logger.warn({ err }, "could not suspend the audit log's filter indexes; loading with them");
    return (): Promise<boolean> => Promise.resolve(false);
  });
  try {
    return await load();
  } finally {
    const started = performance.now();
    let shown: { done(): void } | undefined;
    await resume(() => (shown = rebuilding?.())).then(
      (rebuilt) => rebuilt && logger.info({ ms: Math.round(performance.now() - started) }, "rebuilt the audit log's filter indexes after the backfill"),
      (err: unknown) => logger.warn({ err }, "could not rebuild the audit log's filter indexes; the next start does"),
    );
    shown?.done();
  }
}

/** Whether an audit log of the plan is about to backfill, and no `serve` uses the store (it holds `serve:` and `stream:` leases). */
async function backfillsAhead(options: SyncOptions, plan: PlannedStream[]): Promise<boolean> {
  const { store, clock } = options;
  const pending = await Promise.all(plan.map((p) => p.source.auditBackfillPending?.({ store, target: p.target, settings: p.settings, clock }) ?? false));
  if (!pending.some(Boolean)) return false;
  for (const prefix of ["serve:", "stream:"]) if ((await store.leases.heldWithPrefix(prefix)).length > 0) return false;
  return true;
}

async function syncStreams(options: SyncOptions, plan: PlannedStream[], runId: string): Promise<StreamOutcome[]> {
  const outcomes: StreamOutcome[] = [];
  for (const planned of plan) {
    const { source, target } = planned;
    const label = `${target.scope}:${target.name}`;
    const logger = options.logger.child({ component: source.type, target: label });
    let client: GitHubClient | undefined;
    try {
      client = clientFor(options, target);
      const stats = await source.sync({
        client,
        store: options.store,
        logger,
        clock: options.clock,
        target,
        settings: planned.settings,
        progress: options.progress?.(planned) ?? { update: () => undefined },
        runId,
        ...(options.reconcile ? { reconcile: true } : {}),
        ...(options.rules ? { rules: options.rules } : {}),
      });
      logger.debug({ stats }, "stream synced");
      outcomes.push({ stream: source.type, target: label, ok: true, stats });
    } catch (err) {
      const explained = isAppError(err)
        ? err
        : explainGitHubError(err, {
            ...(target.scope === "org" ? { org: target.name } : { enterprise: target.name }),
            stream: source.type,
            ...(client ? { tokenKind: client.ghaudit.tokenKind } : {}),
          });
      logger[options.showsFailures ? "debug" : "error"]({ code: explained.code }, explained.message);
      outcomes.push({ stream: source.type, target: label, ok: false, error: { message: explained.message, ...(explained.hint ? { hint: explained.hint } : {}) } });
    }
  }
  return outcomes;
}
