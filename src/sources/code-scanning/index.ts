// Code scanning alerts through the org (or enterprise) list, page and cursor pagination both accepted.
import { normalizeCodeScanningAlert } from "../../pipeline/normalize/index.js";
import { ALERT_SUMMARIES, alertSource, type AlertStreamSpec } from "../util/alerts.js";
import type { Source } from "../types.js";

const spec: AlertStreamSpec = {
  type: "code-scanning",
  kind: "code_scanning",
  routes: { org: "GET /orgs/{org}/code-scanning/alerts", enterprise: "GET /enterprises/{enterprise}/code-scanning/alerts" },
  normalize: (raw, ctx) => normalizeCodeScanningAlert(raw, { [ctx.target.scope]: ctx.target.name }),
  summary: ALERT_SUMMARIES.code_scanning,
};

export const codeScanning: Source = alertSource(spec, "code scanning alerts");
