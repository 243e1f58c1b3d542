// Dependabot alerts through the org (or enterprise) list; cursor pagination only (GitHub rejects `page`).
import { normalizeDependabotAlert } from "../../pipeline/normalize/index.js";
import { ALERT_SUMMARIES, alertSource, type AlertStreamSpec } from "../util/alerts.js";
import type { Source } from "../types.js";

const spec: AlertStreamSpec = {
  type: "dependabot",
  kind: "dependabot",
  routes: { org: "GET /orgs/{org}/dependabot/alerts", enterprise: "GET /enterprises/{enterprise}/dependabot/alerts" },
  normalize: (raw, ctx) => normalizeDependabotAlert(raw, { [ctx.target.scope]: ctx.target.name }),
  summary: ALERT_SUMMARIES.dependabot,
};

export const dependabot: Source = alertSource(spec, "Dependabot alerts");
