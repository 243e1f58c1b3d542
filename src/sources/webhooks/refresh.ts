// Re-reads one alert through the REST API when a webhook lacks what the store and timeline need (code scanning
// webhooks carry no `rule.security_severity_level`, no `fixed_at` and mostly no `updated_at`; old secret scanning
// payloads no `created_at`).
import type { AlertKind } from "../../core/records.js";
import type { GitHubClient } from "../../github/index.js";
import type { JsonObject } from "./payload.js";
import { isObject } from "./payload.js";

/** The GitHub client for an org's data, or undefined when ghaudit has no credentials that apply to it. */
export type ClientResolver = (org: string) => GitHubClient | undefined;

const ROUTES: Record<AlertKind, string> = {
  code_scanning: "GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}",
  dependabot: "GET /repos/{owner}/{repo}/dependabot/alerts/{alert_number}",
  // The secret itself is never fetched nor stored.
  secret_scanning: "GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}",
};

/** Whether needsRefresh could say yes, whatever is stored (spares reading the stored alert first). */
export function mayNeedRefresh(kind: AlertKind, alert: JsonObject): boolean {
  return kind === "code_scanning" || (kind === "secret_scanning" && typeof alert["created_at"] !== "string");
}

/** Whether a webhook's alert lacks what only the REST alert has; `stored` is the raw alert ghaudit already has. */
export function needsRefresh(kind: AlertKind, alert: JsonObject, stored: JsonObject | null): boolean {
  if (kind === "code_scanning") {
    const rule = isObject(alert["rule"]) ? alert["rule"] : {};
    const storedRule = stored && isObject(stored["rule"]) ? stored["rule"] : {};
    const severityKnown = "security_severity_level" in rule || "security_severity_level" in storedRule;
    // Webhooks send `fixed_at: null` (or nothing) even for fixed alerts; the timeline needs when it was fixed.
    const fixTimeMissing = alert["state"] === "fixed" && typeof alert["fixed_at"] !== "string";
    // Most actions' payloads have no `updated_at` (only `created` and `reopened` do): without the REST alert, a late
    // or redelivered one could not be told from a new change.
    const timeMissing = typeof alert["updated_at"] !== "string";
    return !severityKnown || fixTimeMissing || timeMissing;
  }
  if (kind === "secret_scanning") return typeof alert["created_at"] !== "string" && stored === null;
  // Dependabot webhooks carry the REST alert; the legacy event is refreshed by its caller.
  return false;
}

/** GitHub's current REST alert, or null when no client serves the org. API errors are thrown. */
export async function fetchAlert(
  clients: ClientResolver | undefined,
  kind: AlertKind,
  org: string | null,
  repository: string,
  number: number,
): Promise<JsonObject | null> {
  const [owner, repo] = repository.split("/");
  const client = clients?.(org ?? owner ?? "");
  if (!client || !owner || !repo) return null;
  const res = await client.request(ROUTES[kind], {
    owner,
    repo,
    alert_number: number,
    ...(kind === "secret_scanning" ? { hide_secret: true } : {}),
    // A webhook is processed now or retried later: no long back-off inside one attempt.
    request: { retries: 1 },
  });
  return isObject(res.data) ? res.data : null;
}
