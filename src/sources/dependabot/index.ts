// Dependabot alerts through the org (or enterprise) list; cursor pagination only (GitHub rejects `page`).
import { normalizeDependabotAlert } from "../../pipeline/normalize/index.js";
import { ALERT_SUMMARIES, syncAlerts, type AlertStreamSpec } from "../util/alerts.js";
import { probeRoute } from "../util/probe.js";
import type { Source } from "../types.js";

const spec: AlertStreamSpec = {
  type: "dependabot",
  kind: "dependabot",
  routes: { org: "GET /orgs/{org}/dependabot/alerts", enterprise: "GET /enterprises/{enterprise}/dependabot/alerts" },
  normalize: (raw, ctx) => normalizeDependabotAlert(raw, { [ctx.target.scope]: ctx.target.name }),
  summary: ALERT_SUMMARIES.dependabot,
};

export const dependabot: Source = {
  type: spec.type,
  scopes: ["org", "enterprise"],
  description: "Dependabot alerts",
  sync: (ctx) => syncAlerts(spec, ctx),
  probe: (ctx) =>
    probeRoute(ctx, spec.type, spec.routes[ctx.target.scope], { [ctx.target.scope]: ctx.target.name }, (d) =>
      (d as unknown[]).length ? "Dependabot alerts readable" : "readable, no Dependabot alerts yet"),
};
