// PATCH /repos/{owner}/{repo}/code-scanning/alerts/{n}: dismiss, reopen and (re)assign, with GitHub's validation.
import { isoSeconds } from "../../../core/clock.js";
import type { EmuContext } from "../../http/context.js";
import { GitHubHttpError } from "../../http/errors.js";
import { renderUser } from "../../render.js";
import type { EmulatorState } from "../../state/state.js";
import type { CodeScanningAlert, CodeScanningRecord, EmuRepo, SimpleUser } from "../../state/types.js";
import { loginSet, PatchBody, resolveAssignees } from "./body.js";
import type { RepoScope } from "./scope.js";

export const CODE_SCANNING_REASONS = ["false positive", "won't fix", "used in tests", "mitigated"] as const;

/** The stored alert plus the fields newer than the generated types. */
type Alert = Omit<CodeScanningAlert, "dismissed_reason"> & {
  dismissed_reason: (typeof CODE_SCANNING_REASONS)[number] | null;
  assignees?: SimpleUser[];
  dismissal_approved_by?: SimpleUser | null;
};

/**
 * Validates the body (422 for schema violations and a dismissal without reason), then applies it.
 * Dismissing a dismissed alert, reopening an open one or changing a fixed one is a 400 (GitHub answers
 * "Alert is already dismissed." since 2025). Each change is announced through `state.alertChanged`.
 */
export async function updateCodeScanningAlert(
  c: EmuContext,
  state: EmulatorState,
  scope: RepoScope,
  find: (repo: EmuRepo) => CodeScanningRecord,
  documentationUrl: string,
): Promise<CodeScanningAlert> {
  const body = await PatchBody.read(c, documentationUrl);
  body.requireAny(["state", "assignees"]);
  const target = body.enumOf("state", ["open", "dismissed"] as const);
  const reason = body.enumOf("dismissed_reason", CODE_SCANNING_REASONS, true);
  const comment = body.string("dismissed_comment", { maxLength: 280, nullable: true });
  body.boolean("create_request");
  const logins = body.stringArray("assignees");
  if (target === "dismissed" && !reason) throw body.missing("dismissed_reason");

  const { repo, org, token } = scope;
  const stored = find(repo).alert;
  const alert = stored as Alert;
  const assignees = logins === undefined ? undefined : resolveAssignees(state, org, logins, documentationUrl);
  const current = alert.state ?? "open";
  if (target !== undefined) {
    const fail = (message: string) => new GitHubHttpError(400, message, { documentationUrl });
    if (current === "fixed") throw fail(`Alert is fixed and cannot be ${target === "open" ? "reopened" : "dismissed"}.`);
    if (target === current) throw fail(`Alert is already ${current}.`);
  }

  const now = isoSeconds(state.now());
  const actions: string[] = [];
  if (target === "dismissed") {
    alert.state = "dismissed";
    alert.dismissed_by = renderUser(state, token.login);
    alert.dismissed_at = now;
    alert.dismissed_reason = reason ?? null;
    alert.dismissed_comment = comment ?? null;
    alert.updated_at = now;
    actions.push("closed_by_user");
  } else if (target === "open") {
    alert.state = "open";
    alert.dismissed_by = null;
    alert.dismissed_at = null;
    alert.dismissed_reason = null;
    alert.dismissed_comment = null;
    if ("dismissal_approved_by" in alert) alert.dismissal_approved_by = null;
    alert.updated_at = now;
    actions.push("reopened_by_user");
  }
  if (assignees !== undefined && loginSet(assignees) !== loginSet(alert.assignees)) {
    alert.assignees = assignees;
    alert.updated_at = now;
    actions.push("updated_assignment");
  }
  for (const action of actions) state.alertChanged({ kind: "code_scanning", repo, alert: stored, action, actor: token.login });
  return stored;
}
