// The repository inventory (GET /orgs/{org}/repos) with `security_and_analysis`: which security features each
// repository has on, i.e. coverage. Unchanged pages answer 304; when something changed, a full walk notices
// repositories that are gone.
import { normalizeRepository } from "../../pipeline/normalize/index.js";
import type { RepositoryInput } from "../../store/repo-inventory.js";
import { probeRoute } from "../util/probe.js";
import { walkPages } from "../util/pages.js";
import { emptyStats, streamKey, type Source, type SourceContext, type SyncStats } from "../types.js";

const ROUTE = "GET /orgs/{org}/repos";

async function walk(ctx: SourceContext, stats: SyncStats, unconditional: boolean): Promise<{ changedPages: number; cachedPages: number }> {
  const stream = streamKey("repositories", ctx.target);
  let changedPages = 0;
  let cachedPages = 0;
  let seen = 0;
  const params = { org: ctx.target.name, type: "all", sort: "full_name", per_page: 100 };
  for await (const page of walkPages<Record<string, unknown>>(ctx.client, ctx.store, ROUTE, params, { stream, unconditional })) {
    stats.pages++;
    if (!page.items) {
      stats.notModified++;
      cachedPages++;
      continue;
    }
    changedPages++;
    const inputs: RepositoryInput[] = page.items.map((raw) => {
      const record = normalizeRepository(raw, { org: ctx.target.name });
      return {
        id: record.repository_id,
        fullName: record.repository ?? String(raw["full_name"]),
        visibility: record.visibility,
        archived: record.archived,
        fork: raw["fork"] === true,
        defaultBranch: record.default_branch,
        security: { features: record.features },
        raw,
      };
    });
    const result = await ctx.store.transaction(async (tx) => {
      const r = await tx.repoInventory.upsert(inputs);
      await page.commit(tx);
      return r;
    });
    if (!unconditional) {
      stats.added += result.inserted;
      stats.changed += result.changed;
    }
    seen += page.items.length;
    ctx.progress.update(seen);
  }
  return { changedPages, cachedPages };
}

export const repositories: Source = {
  type: "repositories",
  scopes: ["org"],
  description: "repository inventory and security features (coverage)",
  async sync(ctx) {
    const stats = emptyStats("repositories", ctx.target);
    const startedAt = ctx.clock.now();
    const first = await walk(ctx, stats, false);
    if (first.changedPages > 0) {
      // Pages answered 304 re-confirm nothing, so notice removals from a walk that saw every repository.
      if (first.cachedPages > 0) await walk(ctx, stats, true);
      stats.missing = await ctx.store.repoInventory.markMissing(startedAt, ctx.target.name);
    }
    return stats;
  },
  probe: (ctx) =>
    probeRoute(ctx, "repositories", ROUTE, { org: ctx.target.name }, (d) => {
      const repos = d as { security_and_analysis?: unknown }[];
      if (repos.length === 0) return "no repositories visible";
      return repos[0]!.security_and_analysis
        ? "repositories and their security features readable"
        : "repositories readable, but not their security features (needs an org owner or security manager token)";
    }),
};
