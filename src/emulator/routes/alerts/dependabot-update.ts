// PATCH /repos/{owner}/{repo}/dependabot/alerts/{n}: dismiss, reopen and (re)assign, with GitHub's validation.
import { isoSeconds } from "../../../core/clock.js";
import type { EmuContext } from "../../http/context.js";
import { GitHubHttpError } from "../../http/errors.js";
import { dismissDependabot, reopenDependabot } from "../../simulator/transitions.js";
import type { EmulatorState } from "../../state/state.js";
import type { DependabotAlert, EmuRepo, SimpleUser } from "../../state/types.js";
import { loginSet, PatchBody, resolveAssignees } from "./body.js";
import type { RepoScope } from "./scope.js";

export const DEPENDABOT_REASONS = ["fix_started", "inaccurate", "no_bandwidth", "not_used", "tolerable_risk"] as const;
const AGENT_KEYS = ["custom_instructions", "custom_agent", "model"];

type Alert = DependabotAlert & { assignees?: SimpleUser[] };

/**
 * Body per the spec (`additionalProperties: false`, anyOf state/assignees, reason required when dismissing) -> 422.
 * Only open -> dismissed and dismissed/auto_dismissed -> open are transitions; anything else is a 409 Conflict,
 * e.g. "Alert 7 is already dismissed" (observed on GitHub for a repeated dismissal).
 */
export async function updateDependabotAlert(
  c: EmuContext,
  state: EmulatorState,
  scope: RepoScope,
  find: (repo: EmuRepo) => DependabotAlert,
  documentationUrl: string,
): Promise<DependabotAlert> {
  const body = await PatchBody.read(c, documentationUrl);
  body.onlyKeys(["state", "dismissed_reason", "dismissed_comment", "assignees", "agent_assignment"]);
  body.requireAny(["state", "assignees"]);
  const target = body.enumOf("state", ["dismissed", "open"] as const);
  const reason = body.enumOf("dismissed_reason", DEPENDABOT_REASONS);
  const comment = body.string("dismissed_comment", { maxLength: 280 });
  const logins = body.stringArray("assignees");
  const agent = body.object("agent_assignment");
  for (const [key, value] of Object.entries(agent ?? {})) {
    if (!AGENT_KEYS.includes(key)) throw body.invalid(`${JSON.stringify(key)} is not a permitted key.`);
    if (typeof value !== "string") {
      throw body.invalid(`For 'properties/agent_assignment/properties/${key}', ${JSON.stringify(value)} is not a string.`);
    }
  }
  if (target === "dismissed" && !reason) throw body.missing("dismissed_reason");

  const { repo, org, token } = scope;
  const alert = find(repo) as Alert;
  const assignees = logins === undefined ? undefined : resolveAssignees(state, org, logins, documentationUrl);
  const conflict = (message: string) => new GitHubHttpError(409, message, { documentationUrl });
  const n = alert.number;
  if (target === "dismissed" && alert.state !== "open") {
    throw conflict(
      alert.state === "fixed" ? `Alert ${n} is fixed and cannot be dismissed` : `Alert ${n} is already ${alert.state.replace("_", "-")}`,
    );
  }
  if (target === "open" && alert.state !== "dismissed" && alert.state !== "auto_dismissed") {
    throw conflict(alert.state === "fixed" ? `Alert ${n} is fixed and cannot be reopened` : `Alert ${n} is already open`);
  }

  // The state change is the same one the activity simulator makes (fields set and cleared as GitHub does).
  if (target === "dismissed") {
    dismissDependabot(state, repo, n, { by: token.login, reason: reason!, comment: comment ?? null });
  } else if (target === "open") {
    reopenDependabot(state, repo, n, { by: token.login });
  }
  if (assignees !== undefined && loginSet(assignees) !== loginSet(alert.assignees)) {
    alert.assignees = assignees;
    alert.updated_at = isoSeconds(state.now());
    state.alertChanged({ kind: "dependabot", repo, alert, action: "assignees_changed", actor: token.login });
  }
  return alert;
}
