// Code scanning alerts through the org (or enterprise) list, page and cursor pagination both accepted.
import { normalizeCodeScanningAlert } from "../../pipeline/normalize/index.js";
import { ALERT_SUMMARIES, syncAlerts, type AlertStreamSpec } from "../util/alerts.js";
import { probeRoute } from "../util/probe.js";
import type { Source } from "../types.js";

const spec: AlertStreamSpec = {
  type: "code-scanning",
  kind: "code_scanning",
  routes: { org: "GET /orgs/{org}/code-scanning/alerts", enterprise: "GET /enterprises/{enterprise}/code-scanning/alerts" },
  normalize: (raw, ctx) => normalizeCodeScanningAlert(raw, { [ctx.target.scope]: ctx.target.name }),
  summary: ALERT_SUMMARIES.code_scanning,
};

export const codeScanning: Source = {
  type: spec.type,
  scopes: ["org", "enterprise"],
  description: "code scanning alerts",
  sync: (ctx) => syncAlerts(spec, ctx),
  probe: (ctx) =>
    probeRoute(ctx, spec.type, spec.routes[ctx.target.scope], { [ctx.target.scope]: ctx.target.name }, (d) =>
      (d as unknown[]).length ? "code scanning alerts readable" : "readable, no code scanning alerts yet"),
};
