// Secret scanning alerts through the org (or enterprise) list. GitHub lists generic secret types (passwords,
// private keys, connection strings) only when asked for by name, so they are walked separately.
import { GENERIC_SECRET_TYPES } from "../../core/github-facts.js";
import { normalizeSecretScanningAlert } from "../../pipeline/normalize/index.js";
import { ALERT_SUMMARIES, syncAlerts, type AlertStreamSpec } from "../util/alerts.js";
import { probeRoute } from "../util/probe.js";
import type { Source } from "../types.js";


const spec: AlertStreamSpec = {
  type: "secret-scanning",
  kind: "secret_scanning",
  routes: { org: "GET /orgs/{org}/secret-scanning/alerts", enterprise: "GET /enterprises/{enterprise}/secret-scanning/alerts" },
  // The secret itself is never fetched nor stored.
  params: { hide_secret: true },
  variants: [{ secret_type: GENERIC_SECRET_TYPES.join(",") }],
  normalize: (raw, ctx) => normalizeSecretScanningAlert(raw, { [ctx.target.scope]: ctx.target.name }, { risk: ctx.settings.secretRisk }),
  summary: ALERT_SUMMARIES.secret_scanning,
};

export const secretScanning: Source = {
  type: spec.type,
  scopes: ["org", "enterprise"],
  description: "secret scanning alerts",
  sync: (ctx) => syncAlerts(spec, ctx),
  probe: (ctx) =>
    probeRoute(ctx, spec.type, spec.routes[ctx.target.scope], { [ctx.target.scope]: ctx.target.name, hide_secret: true }, (d) =>
      (d as unknown[]).length ? "secret scanning alerts readable" : "readable, no secret scanning alerts yet"),
};
