// The enterprise audit log (GET /enterprises/{enterprise}/audit-log; enterprise owners, classic tokens).
import { auditBackfillPending, syncAuditLog } from "../util/audit-log.js";
import { probeRoute } from "../util/probe.js";
import type { Source } from "../types.js";

const ROUTE = "GET /enterprises/{enterprise}/audit-log";

export const enterpriseAuditLog: Source = {
  type: "enterprise-audit-log",
  scopes: ["enterprise"],
  description: "enterprise audit log",
  sync: (ctx) => syncAuditLog(ctx, "enterprise-audit-log", ROUTE, "enterprise"),
  auditBackfillPending: (ctx) => auditBackfillPending(ctx.store, "enterprise-audit-log", ctx.target, ctx.settings, ctx.clock.now()),
  probe: (ctx) =>
    probeRoute(ctx, "enterprise-audit-log", ROUTE, { enterprise: ctx.target.name }, (d) => `audit log readable (${(d as unknown[]).length ? "events present" : "no recent events"})`),
};
