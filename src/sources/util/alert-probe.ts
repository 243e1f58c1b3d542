// test-connection for an alert stream: the org list, and when it is empty, why. GitHub's org lists answer [] when
// the feature is off everywhere or code scanning never ran, so two more requests tell those apart: the org's
// repositories (`security_and_analysis`) and one repository's endpoint, which answers GitHub's feature error.
import type { AlertKind } from "../../core/records.js";
import { explainGitHubError } from "../../github/index.js";
import type { ProbeContext, ProbeResult } from "../types.js";

interface RepoRow {
  name: string;
  full_name: string;
  archived?: boolean;
  visibility?: string;
  security_and_analysis?: Record<string, { status?: string } | undefined> | null;
}

interface FeatureCheck {
  /** A repository endpoint that answers the feature-off error (`no analysis found` for code scanning). */
  route: string;
  /** Whether `security_and_analysis` shows the feature on; null when it does not tell. */
  enabled(repo: RepoRow): boolean | null;
  /** The feature, for the "on none of the repositories" line, and the setting to turn on. */
  feature: string;
  setting: string;
}

const on = (repo: RepoRow, key: string): boolean | null => {
  const status = repo.security_and_analysis?.[key]?.status;
  return status === undefined ? null : status === "enabled";
};

const CHECKS: Record<AlertKind, FeatureCheck> = {
  code_scanning: {
    route: "GET /repos/{owner}/{repo}/code-scanning/analyses",
    // Public repositories get code scanning without Code Security / Advanced Security.
    enabled: (r) => (r.visibility === "public" ? true : on(r, "code_security") || on(r, "advanced_security")),
    feature: "code scanning (GitHub Code Security / Advanced Security, for private repositories)",
    setting: "Enable GitHub Code Security (formerly Advanced Security) on the private repositories (Org settings → Code security → Configurations), then set up code scanning.",
  },
  dependabot: {
    route: "GET /repos/{owner}/{repo}/dependabot/alerts",
    // security_and_analysis has no Dependabot alerts key (only security updates): the repository endpoint tells.
    enabled: () => null,
    feature: "Dependabot alerts",
    setting: "Turn on Dependabot alerts (Org settings → Code security → Configurations, or each repository's Settings → Code security).",
  },
  secret_scanning: {
    route: "GET /repos/{owner}/{repo}/secret-scanning/alerts",
    enabled: (r) => on(r, "secret_scanning"),
    feature: "secret scanning",
    setting: "Enable secret scanning / Secret Protection (Org settings → Code security → Configurations, or each repository's Settings → Code security).",
  },
};

/** After an empty org list: feature off on every repository, code scanning without analyses, or simply no alerts. */
export async function explainEmptyList(ctx: ProbeContext, kind: AlertKind, stream: string, description: string, empty: ProbeResult): Promise<ProbeResult> {
  if (ctx.target.scope !== "org") return empty;
  const check = CHECKS[kind];
  const org = ctx.target.name;
  let repos: RepoRow[];
  try {
    const res = await ctx.client.request("GET /orgs/{org}/repos", { org, type: "all", sort: "pushed", per_page: 100 });
    repos = res.data as RepoRow[];
  } catch {
    return empty;
  }
  const active = repos.filter((r) => r.archived !== true);
  if (active.length === 0) return { ok: true, message: `readable, no ${description} yet (no active repositories)` };
  const states = active.map((r) => check.enabled(r));
  if (states.every((s) => s === false)) {
    return {
      ok: false,
      // One page of the org's repositories (100, most recently pushed first): a bigger org is judged by those.
      message: `no ${description}: ${check.feature} is not enabled on any of the ${active.length} active repositories${repos.length < 100 ? "" : " among the 100 most recently pushed"} (their security_and_analysis).`,
      hint: check.setting,
    };
  }
  const repo = active[states.findIndex((s) => s !== false)]!;
  try {
    await ctx.client.request(check.route, { owner: org, repo: repo.name, per_page: 1 });
  } catch (err) {
    const explained = explainGitHubError(err, { org, repo: repo.full_name, stream, tokenKind: ctx.client.ghaudit.tokenKind });
    if (explained.code !== "github-feature-disabled") return empty;
    const which = states[active.indexOf(repo)] === true
      ? `${repo.full_name}, where security_and_analysis shows the feature on`
      : `${repo.full_name}, the most recently pushed of ${active.length} active repositories`;
    // One repository tells about itself only (the org may have the feature on elsewhere, with no alerts): readable,
    // with what that repository says and the fix. Only every repository showing the feature off is a ✗ (above).
    return { ok: true, message: `readable, no ${description} listed; but ${which}: ${explained.message}`, ...(explained.hint ? { hint: explained.hint } : {}) };
  }
  return empty;
}
