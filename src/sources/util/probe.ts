// One request per stream for `ghaudit test-connection`: success, or the fix in plain words.
import { explainGitHubError } from "../../github/index.js";
import type { ProbeContext, ProbeResult } from "../types.js";

export async function probeRoute(
  ctx: ProbeContext,
  stream: string,
  route: string,
  params: Record<string, unknown>,
  describe: (data: unknown) => string,
): Promise<ProbeResult> {
  try {
    const res = await ctx.client.request(route, { ...params, per_page: 1 });
    return { ok: true, message: describe(res.data) };
  } catch (err) {
    const explained = explainGitHubError(err, {
      ...(ctx.target.scope === "org" ? { org: ctx.target.name } : { enterprise: ctx.target.name }),
      stream,
      tokenKind: ctx.client.ghaudit.tokenKind,
    });
    return { ok: false, message: explained.message, ...(explained.hint ? { hint: explained.hint } : {}) };
  }
}
