// GET /rate_limit: the caller's budgets per resource; it does not spend the primary limit itself.
import type { EmuApp, RouteDeps } from "../http/context.js";
import { send } from "../http/respond.js";

const RESOURCES = ["core", "search", "graphql", "integration_manifest", "code_search", "code_scanning_upload", "audit_log"];

export function registerRateLimit(app: EmuApp, { limiter }: RouteDeps): void {
  app.get("/rate_limit", (c) => {
    const caller = c.get("caller");
    const ip = c.env?.incoming?.socket?.remoteAddress ?? "127.0.0.1";
    const resources = Object.fromEntries(
      RESOURCES.map((name) => {
        const b = limiter.bucketFor(caller, ip, name);
        const limit = name === "search" || name === "code_search" ? Math.min(b.limit, 30) : b.limit;
        return [
          name,
          { limit, used: Math.min(b.used, limit), remaining: Math.max(0, limit - b.used), reset: Math.ceil(b.resetAt / 1000) },
        ];
      }),
    );
    const body: Record<string, unknown> = { resources };
    // `rate` was removed in API version 2026-03-10 (use resources.core).
    if ((c.req.header("x-github-api-version") ?? "2022-11-28") === "2022-11-28") body["rate"] = resources["core"];
    return send(c, body);
  });
}
