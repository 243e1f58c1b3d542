// One request per stream for `ghaudit test-connection`: success, or the fix in plain words.
import type { AppError } from "../../core/errors.js";
import { explainGitHubError } from "../../github/index.js";
import type { ProbeContext, ProbeResult } from "../types.js";

export async function probeRoute(
  ctx: ProbeContext,
  stream: string,
  route: string,
  params: Record<string, unknown>,
  /** The ✓ line, or a whole result when a 200 still shows something missing. */
  describe: (data: unknown, headers: Record<string, unknown>) => string | ProbeResult,
): Promise<ProbeResult> {
  try {
    const res = await ctx.client.request(route, { ...params, per_page: 1 });
    const described = describe(res.data, res.headers as Record<string, unknown>);
    return typeof described === "string" ? { ok: true, message: described } : described;
  } catch (err) {
    const explained = explainGitHubError(err, {
      ...(ctx.target.scope === "org" ? { org: ctx.target.name } : { enterprise: ctx.target.name }),
      stream,
      tokenKind: ctx.client.ghaudit.tokenKind,
    });
    return failedProbe(explained);
  }
}

/** A ✗ line from an explained failure, keeping the HTTP status GitHub answered. */
function failedProbe(explained: AppError): ProbeResult {
  const status = (explained.details as { status?: unknown } | undefined)?.status;
  return {
    ok: false,
    message: explained.message,
    ...(explained.hint ? { hint: explained.hint } : {}),
    ...(typeof status === "number" ? { status } : {}),
  };
}
