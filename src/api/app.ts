// The JSON API under /api (health, alerts and their timelines, audit events). The UI and other tools use only this.
import { Hono } from "hono";
import { AppError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { ALERT_KINDS, type AlertKind } from "../core/records.js";
import type { Scheduler } from "../pipeline/scheduler.js";
import { alertView, detectionView, isoOrNull, timelineView } from "../pipeline/views.js";
import type { Store } from "../store/index.js";
import { badRequest, errorHandler } from "./errors.js";
import type { WebhookService } from "./webhooks/index.js";

export interface ApiDeps {
  store: Store;
  logger: Logger;
  scheduler?: Scheduler;
  /** `POST /webhooks/github` and its counters in /api/health. */
  webhooks?: WebhookService;
}

const iso = isoOrNull;

function limitOf(value: string | undefined): number {
  if (value === undefined) return 100;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw badRequest(`limit must be a whole number from 1 to 1000, got "${value}"`);
  return n;
}

function timeOf(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest(`${name} must be an ISO 8601 time, got "${value}"`);
  return ms;
}

/** At most this many `action` entries in one audit-log search (GitHub's own search takes a handful). */
const MAX_ACTION_ENTRIES = 50;

/** `action=repo,team.add_member`: comma-separated, each an action or a category (GitHub's `action:`). */
function actionsOf(value: string | undefined): string[] | undefined {
  if (value === undefined || value === "") return undefined;
  const actions = [...new Set(value.split(",").map((a) => a.trim()))];
  if (actions.some((a) => a === "")) throw badRequest(`action has an empty entry: "${value}"`, "Separate actions or categories with single commas, e.g. action=repo,team.add_member.");
  if (actions.length > MAX_ACTION_ENTRIES) throw badRequest(`action lists ${actions.length} actions or categories; at most ${MAX_ACTION_ENTRIES} are allowed`, "Search by category (e.g. repo) instead of listing its actions.");
  return actions;
}

function kindsOf(value: string | undefined): AlertKind[] | undefined {
  if (value === undefined) return undefined;
  const kinds = value.split(",");
  for (const k of kinds) {
    if (!(ALERT_KINDS as readonly string[]).includes(k)) throw badRequest(`unknown alert kind "${k}"`, `Use ${ALERT_KINDS.join(", ")}.`);
  }
  return kinds as AlertKind[];
}

export function createApiApp(deps: ApiDeps): Hono {
  const { store } = deps;
  const app = new Hono();
  app.onError(errorHandler(deps.logger));
  app.notFound((c) => c.json(new AppError("not-found", `No such endpoint: ${c.req.method} ${c.req.path}`, { status: 404 }).toJSON(), 404));

  deps.webhooks?.register(app);

  app.get("/api/health", (c) =>
    c.json({
      ok: true,
      store: store.dialect,
      streams: (deps.scheduler?.status() ?? []).map((s) => ({
        stream: s.stream,
        target: s.target,
        running: s.running,
        last_run_at: iso(s.lastRunAt),
        ok: s.lastOutcome?.ok ?? null,
        error: s.lastOutcome?.error ?? null,
        stats: s.lastOutcome?.stats ?? null,
      })),
      webhooks: deps.webhooks?.stats() ?? null,
    }),
  );

  app.get("/api/alerts", async (c) => {
    const q = c.req.query();
    const kinds = kindsOf(q["kind"]);
    const page = await store.alerts.list(
      {
        ...(kinds ? { kinds } : {}),
        ...(q["state"] ? { states: q["state"].split(",") } : {}),
        ...(q["repository"] ? { repository: q["repository"] } : {}),
        // GitHub's severities are lower-case (critical, high, ..., error, warning, note); CRITICAL means the same.
        ...(q["severity"] ? { severities: q["severity"].split(",").map((v) => v.trim().toLowerCase()) } : {}),
      },
      { limit: limitOf(q["limit"]), ...(q["cursor"] ? { cursor: q["cursor"] } : {}) },
    );
    return c.json({ items: page.items.map(alertView), next_cursor: page.nextCursor ?? null });
  });

  app.get("/api/alerts/:id", async (c) => {
    const alert = await store.alerts.get(c.req.param("id"));
    if (!alert) throw new AppError("not-found", `No alert with id "${c.req.param("id")}".`, { status: 404 });
    const timeline = await store.alertEvents.timeline(alert.id);
    return c.json({
      alert: alertView(alert),
      timeline: timeline.map((t, i) => timelineView(t, timeline[i - 1]?.toState ?? null)),
    });
  });

  app.get("/api/timeline", async (c) => {
    const q = c.req.query();
    const kinds = kindsOf(q["kind"]);
    const from = timeOf("from", q["from"]);
    const to = timeOf("to", q["to"]);
    const page = await store.alertEvents.list(
      {
        ...(kinds ? { kinds } : {}),
        ...(q["repository"] ? { repository: q["repository"] } : {}),
        ...(q["to_state"] ? { toStates: q["to_state"].split(",") } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      },
      { limit: limitOf(q["limit"]), ...(q["cursor"] ? { cursor: q["cursor"] } : {}) },
    );
    return c.json({
      items: page.items.map((t) => timelineView(t)),
      next_cursor: page.nextCursor ?? null,
    });
  });

  app.get("/api/detections", async (c) => {
    const q = c.req.query();
    const from = timeOf("from", q["from"]);
    const to = timeOf("to", q["to"]);
    const page = await store.detections.list(
      {
        ...(q["rule_id"] ? { ruleId: q["rule_id"] } : {}),
        ...(q["level"] ? { levels: q["level"].split(",") } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      },
      { limit: limitOf(q["limit"]), ...(q["cursor"] ? { cursor: q["cursor"] } : {}) },
    );
    return c.json({
      items: page.items.map(detectionView),
      next_cursor: page.nextCursor ?? null,
    });
  });

  app.get("/api/audit-events", async (c) => {
    const q = c.req.query();
    const from = timeOf("from", q["from"]);
    const to = timeOf("to", q["to"]);
    const actions = actionsOf(q["action"]);
    const page = await store.auditEvents.list(
      {
        ...(actions ? { actions } : {}),
        ...(q["actor"] ? { actor: q["actor"] } : {}),
        ...(q["repo"] ? { repo: q["repo"] } : {}),
        ...(q["org"] ? { org: q["org"] } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      },
      { limit: limitOf(q["limit"]), ...(q["cursor"] ? { cursor: q["cursor"] } : {}) },
    );
    return c.json({
      items: page.items.map((e) => ({
        id: e.id,
        timestamp: iso(e.at),
        action: e.action,
        actor: e.actor,
        user: e.user,
        org: e.org,
        repo: e.repo,
        country: e.country,
        severity: e.severity,
        raw: e.raw,
      })),
      next_cursor: page.nextCursor ?? null,
    });
  });

  return app;
}
