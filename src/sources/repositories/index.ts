// The repository inventory (GET /orgs/{org}/repos) with `security_and_analysis`: which security features each
// repository has on, i.e. coverage. Unchanged pages answer 304; when something changed, a full walk notices
// repositories that are gone.
import { normalizeRepository } from "../../pipeline/normalize/index.js";
import type { RepositoryInput } from "../../store/repo-inventory.js";
import { probeRoute } from "../util/probe.js";
import { walkPages } from "../util/pages.js";
import { parseScopes, permissionSetting, streamNeeds, tokenKindLabel } from "../../github/index.js";
import { emptyStats, streamKey, type ProbeContext, type ProbeResult, type Source, type SourceContext, type SyncStats } from "../types.js";

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
    probeRoute(ctx, "repositories", ROUTE, { org: ctx.target.name }, (d, headers) => {
      const repos = d as { security_and_analysis?: unknown }[];
      if (repos.length === 0) return "no repositories visible";
      return repos[0]!.security_and_analysis ? "repositories and their security features readable" : securityHidden(ctx, headers);
    }),
};

/**
 * GitHub lists the repositories but leaves out `security_and_analysis`: the coverage columns would stay empty. Say
 * what this kind of token lacks (docs/config.md: `repo` scope, or Repository → Administration: read, of an org owner
 * or security manager).
 */
function securityHidden(ctx: ProbeContext, headers: Record<string, unknown>): ProbeResult {
  const kind = ctx.client.ghaudit.tokenKind;
  const setting = permissionSetting(streamNeeds("repositories")!.permission!);
  const what = "repositories readable, but GitHub hides their security features (coverage would stay empty)";
  if (kind === "installation" || kind === "app") {
    return {
      ok: false,
      message: `${what}: the GitHub App lacks ${setting}.`,
      hint: `In the GitHub App's settings (Permissions & events) set ${setting}; then an owner of ${ctx.target.name} must accept the new permissions.`,
    };
  }
  if (kind === "fine-grained") {
    return {
      ok: false,
      message: `${what}: the fine-grained token needs ${setting}, and its user must be an org owner or security manager.`,
      hint: `Edit the token under Settings → Developer settings → Fine-grained tokens: set ${setting}, with "${ctx.target.name}" as resource owner.`,
    };
  }
  const granted = headers["x-oauth-scopes"] === undefined ? null : parseScopes(String(headers["x-oauth-scopes"]));
  if (granted && !granted.includes("repo")) {
    return {
      ok: false,
      message: `${what}: the ${tokenKindLabel(kind)} lacks the scope \`repo\`${granted.length ? `; it has: ${granted.join(", ")}` : ""}.`,
      hint: "Edit the token under Settings → Developer settings → Personal access tokens (classic) and tick repo; its user must also be an org owner or security manager.",
    };
  }
  return {
    ok: false,
    message: `${what}: the token's user is not an owner or security manager of ${ctx.target.name}${granted ? "" : ", or the token lacks the `repo` scope"}.`,
    hint: `Use a token (with the repo scope) of an owner or security manager of ${ctx.target.name}, or a GitHub App with ${setting}.`,
  };
}
