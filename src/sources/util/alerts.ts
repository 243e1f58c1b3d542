// Shared by the three alert streams: the org (or enterprise) list endpoint sorted by `updated` descending,
// incremental (stops at what is already known) with a periodic full reconciliation that notices alerts that
// disappeared. Each page's alerts, their timeline entries and the checkpoint commit in one transaction.
import type { AlertKind, FindingRecord } from "../../core/records.js";
import { diffAlert } from "../../pipeline/history.js";
import { recordTransitions, type TransitionCandidate } from "../../pipeline/timeline.js";
import type { AlertInput } from "../../store/alerts.js";
import type { DetectionInput } from "../../store/detections.js";
import { detectionId } from "../../store/ids.js";
import type { RuleEngine } from "../../rules/index.js";
import type { Alert } from "../../store/alert-rows.js";
import { emptyStats, streamKey, type Source, type SourceContext, type SyncStats } from "../types.js";
import { explainEmptyList } from "./alert-probe.js";
import { probeRoute } from "./probe.js";
import { walkPages } from "./pages.js";

export interface AlertCursor {
  /** Highest `updated_at` (epoch ms) seen by the last walk that got to its end (or to what was known before it). */
  updatedHigh: number | null;
  /** When the last complete full walk started (epoch ms). */
  reconciledAt: number | null;
  /**
   * Set while a walk is under way (with each page it stores): a walk that failed part-way left it, so the next one
   * does not take a 304 on the first page for "nothing changed" and walks down to `updatedHigh` again.
   */
  interrupted?: true;
}

export interface AlertStreamSpec {
  type: string;
  kind: AlertKind;
  /** Route per scope, e.g. `GET /orgs/{org}/dependabot/alerts`. */
  routes: { org: string; enterprise: string };
  normalize(raw: Record<string, unknown>, ctx: SourceContext): FindingRecord;
  /** Parameters sent on every request of the stream. */
  params?: Record<string, unknown>;
  /** Extra walks of the same endpoint (secret scanning lists generic secret types only when asked). */
  variants?: Record<string, unknown>[];
  /** Summary columns the store indexes. */
  summary(record: FindingRecord): Pick<AlertInput, "rule" | "tool" | "package" | "ecosystem" | "secretType" | "location">;
}

/** The summary columns of each kind of alert, whichever way it arrived (poll or webhook). */
export const ALERT_SUMMARIES: Record<AlertKind, AlertStreamSpec["summary"]> = {
  code_scanning: (r) => ({ rule: r.github.rule_id, tool: r.github.tool, package: null, ecosystem: null, secretType: null, location: r.artifact.path }),
  dependabot: (r) => ({ rule: r.github.ghsa_id, tool: null, package: r.artifact.package_name, ecosystem: r.github.ecosystem, secretType: null, location: r.artifact.path }),
  secret_scanning: (r) => ({ rule: null, tool: null, package: null, ecosystem: null, secretType: r.github.secret_type, location: r.artifact.path }),
};

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/** What the store keeps of a normalized alert; `raw` is GitHub's object (its `repository.id` gives the repo id). */
export function toInput(spec: Pick<AlertStreamSpec, "kind" | "summary">, r: FindingRecord, raw: Record<string, unknown>): AlertInput {
  const repo = raw["repository"] as { id?: unknown } | undefined;
  return {
    kind: spec.kind,
    repository: r.repository ?? "",
    repoId: typeof repo?.id === "number" ? repo.id : 0,
    number: r.number,
    state: r.state,
    severity: r.severity_raw,
    riskLevel: r.risk_level,
    riskScore: r.risk_score,
    createdAt: Date.parse(r.created_at),
    updatedAt: ms(r.updated_at),
    closedAt: ms(r.closed_at),
    closedBy: r.closed_by,
    reason: r.close_reason,
    comment: r.close_comment,
    url: r.html_url,
    ...spec.summary(r),
    raw,
    // The same alert comes from org and enterprise lists: keep what is stored independent of which list it was.
    normalized: { ...r, org: r.repository?.split("/")[0] ?? r.org, enterprise: null, raw: undefined },
  };
}

/** The FindingRecord stored with an alert (its `normalized` column), or null when there is none. */
export function storedFinding(alert: Alert | undefined): FindingRecord | null {
  return alert && alert.normalized && typeof alert.normalized === "object" ? (alert.normalized as FindingRecord) : null;
}

export function toCandidates(changes: ReturnType<typeof diffAlert>): TransitionCandidate[] {
  return changes.map((c) => ({
    alertId: c.alert_id,
    kind: c.alert_kind,
    repository: c.repository ?? "",
    number: c.number,
    from: c.from_state,
    to: c.to_state,
    at: c.timestamp,
    actor: c.actor,
    reason: c.reason,
    comment: c.comment,
    source: c.change_source,
    sourceRef: c.source_ref,
  }));
}

/**
 * Detections the alert heuristics raise for a finding (e.g. a critical CodeQL alert). They refer to the alert, not
 * to audit events: same rule + same alert = same detection, so re-polling never duplicates them.
 */
export function findingDetections(rules: RuleEngine, record: FindingRecord): DetectionInput[] {
  return rules.evaluateFinding(record).detections.map((hit) => ({
    id: detectionId(hit.ruleId, [record.id]),
    ruleId: hit.ruleId,
    ruleTitle: hit.ruleTitle,
    level: hit.level,
    severity: hit.severity,
    events: [],
    at: Date.parse(record.created_at),
    details: { source: hit.source, alert_id: record.id, kind: record.alert_kind, repository: record.repository, number: record.number },
  }));
}

export async function syncAlerts(spec: AlertStreamSpec, ctx: SourceContext): Promise<SyncStats> {
  const stats = emptyStats(spec.type, ctx.target);
  const stream = streamKey(spec.type, ctx.target);
  const cursor = (await ctx.store.checkpoints.get<AlertCursor>(stream))?.cursor ?? { updatedHigh: null, reconciledAt: null };
  const startedAt = ctx.clock.now();
  const full =
    ctx.reconcile === true ||
    cursor.updatedHigh === null ||
    cursor.reconciledAt === null ||
    startedAt - cursor.reconciledAt >= ctx.settings.reconcileEveryMs;
  // The walk's high-water mark becomes the cursor only once the walk is complete: an alert changed on a page it never
  // reached must still be above the cursor next time.
  let high = cursor.updatedHigh;
  const resuming = cursor.interrupted === true;
  const observedAt = new Date(startedAt).toISOString();
  const route = spec.routes[ctx.target.scope];
  const base = { [ctx.target.scope]: ctx.target.name, sort: "updated", direction: "desc", per_page: 100, ...spec.params };
  let seen = 0;
  const repositories = new Set<string>();

  for (const variant of [{}, ...(spec.variants ?? [])]) {
    for await (const page of walkPages<Record<string, unknown>>(ctx.client, ctx.store, route, { ...base, ...variant }, { stream, unconditional: full || resuming })) {
      stats.pages++;
      if (!page.items) {
        // Sorted by last change: an unchanged first page means nothing changed at all.
        stats.notModified++;
        break;
      }
      const inputs: AlertInput[] = [];
      const records: FindingRecord[] = [];
      const detections: DetectionInput[] = [];
      let reachedKnown = false;
      for (const raw of page.items) {
        let record: FindingRecord;
        try {
          record = spec.normalize(raw, ctx);
        } catch (err) {
          ctx.logger.warn({ err, stream }, "skipped an alert that cannot be normalized");
          continue;
        }
        const updated = ms(record.updated_at) ?? Date.parse(record.created_at);
        if (!full && cursor.updatedHigh !== null && updated < cursor.updatedHigh) reachedKnown = true;
        if (high === null || updated > high) high = updated;
        records.push(record);
        inputs.push(toInput(spec, record, raw));
        if (ctx.rules) detections.push(...findingDetections(ctx.rules, record));
        if (record.repository) repositories.add(record.repository);
      }
      const written = await ctx.store.transaction(async (tx) => {
        const result = await tx.alerts.upsert(inputs);
        stats.detections += (await tx.detections.insert(detections)).inserted;
        const candidates: TransitionCandidate[] = [];
        result.results.forEach((r, i) => {
          if (r.status === "unchanged") return;
          const obs = { source: "poll" as const, sourceRef: ctx.runId, observedAt };
          // Stored meanwhile from a newer webhook: this older version is not diffed against it (that would run time
          // backwards), but a closing it shows is still history (already there, it is merged with its entry).
          const changes = r.status === "stale" ? diffAlert(null, records[i]!, obs) : diffAlert(storedFinding(r.previous), records[i]!, obs);
          candidates.push(...toCandidates(changes));
        });
        const recorded = await recordTransitions(tx, candidates);
        await tx.checkpoints.set(stream, { updatedHigh: cursor.updatedHigh, reconciledAt: cursor.reconciledAt, interrupted: true } satisfies AlertCursor);
        await page.commit(tx);
        return { result, recorded };
      });
      stats.added += written.result.inserted;
      stats.changed += written.result.changed;
      stats.transitions += written.recorded;
      seen += page.items.length;
      ctx.progress.update(seen);
      if (reachedKnown) break;
    }
  }

  if (full) {
    // Everything GitHub still lists was seen in this walk; what was not is gone (repo deleted, feature off, ...).
    const known = await ctx.store.alerts.repositoriesOf(spec.kind, `${ctx.target.scope === "org" ? ctx.target.name : ""}`);
    stats.missing = await ctx.store.alerts.markMissing(spec.kind, startedAt, ctx.target.scope === "org" ? known : undefined);
    await ctx.store.checkpoints.set(stream, { updatedHigh: high, reconciledAt: startedAt } satisfies AlertCursor);
  } else if (resuming || stats.pages > stats.notModified) {
    // A page was stored (it marked the walk under way) or an interrupted walk is now complete: the walk's mark is due.
    await ctx.store.checkpoints.set(stream, { updatedHigh: high, reconciledAt: cursor.reconciledAt } satisfies AlertCursor);
  }
  return stats;
}

/** An alert stream as a Source: its sync, and a probe of its list endpoint (with the stream's own parameters). */
export function alertSource(spec: AlertStreamSpec, description: string): Source {
  return {
    type: spec.type,
    scopes: ["org", "enterprise"],
    description,
    sync: (ctx) => syncAlerts(spec, ctx),
    probe: async (ctx) => {
      let empty = false;
      const listed = await probeRoute(ctx, spec.type, spec.routes[ctx.target.scope], { [ctx.target.scope]: ctx.target.name, ...spec.params }, (d) => {
        empty = (d as unknown[]).length === 0;
        return empty ? `readable, no ${description} yet` : `${description} readable`;
      });
      // An empty list may mean the feature is off everywhere, or code scanning never ran: GitHub does not say.
      return listed.ok && empty ? explainEmptyList(ctx, spec.kind, spec.type, description, listed) : listed;
    },
  };
}
