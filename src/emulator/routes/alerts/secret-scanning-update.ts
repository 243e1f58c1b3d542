// PATCH /repos/{owner}/{repo}/secret-scanning/alerts/{n}: resolve, reopen, (un)assign and override validity.
import { isoSeconds } from "../../../core/clock.js";
import type { EmuContext } from "../../http/context.js";
import { GitHubHttpError } from "../../http/errors.js";
import { renderUser } from "../../render.js";
import type { EmulatorState } from "../../state/state.js";
import type { EmuRepo, SecretScanningAlert, SimpleUser } from "../../state/types.js";
import { PatchBody, resolveAssignees } from "./body.js";
import type { RepoScope } from "./scope.js";

export const SECRET_RESOLUTIONS = ["false_positive", "wont_fix", "revoked", "used_in_tests"] as const;

type Alert = SecretScanningAlert & { assigned_to?: SimpleUser | null };

/**
 * 422 for schema violations, a `resolved` state without `resolution` and a resolution sent with `open`;
 * 400 when the state/resolution would not change (spec: "the resolution was not changed").
 * Announces `resolved` / `reopened` / `assigned` / `unassigned` / `validated` through `state.alertChanged`.
 */
export async function updateSecretScanningAlert(
  c: EmuContext,
  state: EmulatorState,
  scope: RepoScope,
  find: (repo: EmuRepo) => SecretScanningAlert,
  documentationUrl: string,
): Promise<SecretScanningAlert> {
  const body = await PatchBody.read(c, documentationUrl);
  body.requireAny(["state", "assignee", "validity"]);
  const target = body.enumOf("state", ["open", "resolved"] as const);
  const resolution = body.enumOf("resolution", SECRET_RESOLUTIONS, true);
  const comment = body.string("resolution_comment", { nullable: true });
  const assigneeLogin = body.string("assignee", { nullable: true });
  const validity = body.enumOf("validity", ["active", "inactive"] as const, true);
  if (target === "resolved" && !resolution) throw body.missing("resolution");
  if (target === "open" && resolution) throw body.invalid(`"resolution" must not be set when "state" is "open".`);

  const { repo, org, token } = scope;
  const alert = find(repo) as Alert;
  const assignee =
    assigneeLogin === undefined ? undefined : assigneeLogin === null ? null : resolveAssignees(state, org, [assigneeLogin], documentationUrl)[0]!;
  const current = alert.state ?? "open";
  if (target !== undefined && target === current && (target === "open" || resolution === alert.resolution)) {
    throw new GitHubHttpError(400, "The alert resolution was not changed.", { documentationUrl });
  }

  const now = isoSeconds(state.now());
  const actions: string[] = [];
  if (target === "resolved") {
    alert.state = "resolved";
    alert.resolution = resolution ?? null;
    alert.resolved_at = now;
    alert.resolved_by = renderUser(state, token.login);
    alert.resolution_comment = comment ?? null;
    actions.push("resolved");
  } else if (target === "open") {
    alert.state = "open";
    alert.resolution = null;
    alert.resolved_at = null;
    alert.resolved_by = null;
    alert.resolution_comment = comment ?? null;
    actions.push("reopened");
  }
  if (assignee !== undefined && (assignee?.login.toLowerCase() ?? null) !== (alert.assigned_to?.login.toLowerCase() ?? null)) {
    alert.assigned_to = assignee;
    actions.push(assignee ? "assigned" : "unassigned");
  }
  if (validity !== undefined && (validity ?? "unknown") !== (alert.validity ?? "unknown")) {
    alert.validity = validity ?? "unknown";
    actions.push("validated");
  }
  if (actions.length) alert.updated_at = now;
  for (const action of actions) state.alertChanged({ kind: "secret_scanning", repo, alert, action, actor: token.login });
  return alert;
}
