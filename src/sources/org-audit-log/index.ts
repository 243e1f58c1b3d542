// The organization audit log (GET /orgs/{org}/audit-log; GitHub Enterprise Cloud).
import { auditBackfillPending, syncAuditLog } from "../util/audit-log.js";
import { probeRoute } from "../util/probe.js";
import type { Source } from "../types.js";

const ROUTE = "GET /orgs/{org}/audit-log";

export const orgAuditLog: Source = {
  type: "org-audit-log",
  scopes: ["org"],
  description: "organization audit log",
  sync: (ctx) => syncAuditLog(ctx, "org-audit-log", ROUTE, "org"),
  auditBackfillPending: (ctx) => auditBackfillPending(ctx.store, "org-audit-log", ctx.target, ctx.settings, ctx.clock.now()),
  probe: (ctx) =>
    probeRoute(ctx, "org-audit-log", ROUTE, { org: ctx.target.name }, (d) => `audit log readable (${(d as unknown[]).length ? "events present" : "no recent events"})`),
};
