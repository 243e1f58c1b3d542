// Secret scanning alerts through the org (or enterprise) list. GitHub lists generic secret types (passwords,
// private keys, connection strings) only when asked for by name, so they are walked separately.
import { GENERIC_SECRET_TYPES } from "../../core/github-facts.js";
import { normalizeSecretScanningAlert } from "../../pipeline/normalize/index.js";
import { ALERT_SUMMARIES, alertSource, type AlertStreamSpec } from "../util/alerts.js";
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

export const secretScanning: Source = alertSource(spec, "secret scanning alerts");
