// PATCH /repos/{owner}/{repo}/code-scanning/alerts/{n}: dismiss, reopen and (re)assign, with GitHub's validation.
import { isoSeconds } from "../../../core/clock.js";
import type { EmuContext } from "../../http/context.js";
import { GitHubHttpError } from "../../http/errors.js";
import { dismissCodeScanning, reopenCodeScanning } from "../../simulator/transitions.js";
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

  // The state change is the same one the activity simulator makes (fields set and cleared as GitHub does).
  if (target === "dismissed") {
    dismissCodeScanning(state, repo, alert.number, { by: token.login, reason: reason!, comment: comment ?? null });
  } else if (target === "open") {
    reopenCodeScanning(state, repo, alert.number, { by: token.login });
    if ("dismissal_approved_by" in alert) alert.dismissal_approved_by = null;
  }
  if (assignees !== undefined && loginSet(assignees) !== loginSet(alert.assignees)) {
    alert.assignees = assignees;
    alert.updated_at = isoSeconds(state.now());
    state.alertChanged({ kind: "code_scanning", repo, alert: stored, action: "updated_assignment", actor: token.login });
  }
  return stored;
}
