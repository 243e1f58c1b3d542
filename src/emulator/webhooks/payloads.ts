// Webhook bodies in the shapes of GitHub's official webhook schemas (@octokit/openapi-webhooks), built from the state.
import { isoSeconds } from "../../core/clock.js";
import { minimalRepository, renderUser, simpleOrganization } from "../render.js";
import type { EmulatorState } from "../state/state.js";
import type {
  CodeScanningAlert,
  DependabotAlert,
  EmuOrg,
  EmuRepo,
  SecretScanningAlert,
  SecretScanningLocation,
  SimpleUser,
  WebhookTarget,
} from "../state/types.js";

export type JsonObject = { [key: string]: unknown };

/** GitHub itself, as the `sender` of changes nobody made by hand (the official examples use the `github` org). */
export const GITHUB_ACTOR = { login: "github", id: 9919 } as const;

export function githubSender(state: EmulatorState): SimpleUser {
  return {
    ...renderUser(state, GITHUB_ACTOR.login),
    id: GITHUB_ACTOR.id,
    node_id: Buffer.from(`012:Organization${GITHUB_ACTOR.id}`).toString("base64"),
    type: "Organization",
  };
}

/** `sender`: the acting user, or GitHub for automatic changes. */
export function webhookSender(state: EmulatorState, actor: string | null): SimpleUser {
  return actor === null ? githubSender(state) : renderUser(state, actor);
}

/** `repository-webhooks`: minimal-repository plus the fields only webhook repositories carry. */
export function webhookRepository(state: EmulatorState, repo: EmuRepo): JsonObject {
  return {
    ...minimalRepository(state, repo, false),
    has_downloads: true,
    license: null,
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
  };
}

/** `organization-simple-webhooks`. */
export function webhookOrganization(state: EmulatorState, org: EmuOrg): JsonObject {
  return simpleOrganization(state, org);
}

/** `enterprise-webhooks`, when the org belongs to an enterprise account. */
export function webhookEnterprise(state: EmulatorState, org: EmuOrg): JsonObject | null {
  const ent = org.enterprise ? state.enterprise(org.enterprise) : undefined;
  if (!ent) return null;
  return {
    id: ent.id,
    node_id: Buffer.from(`010:Enterprise${ent.id}`).toString("base64"),
    name: ent.name,
    slug: ent.slug,
    description: null,
    website_url: null,
    html_url: `${state.baseUrl}/enterprises/${ent.slug}`,
    created_at: isoSeconds(org.createdAt),
    updated_at: isoSeconds(org.createdAt),
    avatar_url: `${state.baseUrl}/avatars/b/${ent.id}?v=4`,
  };
}

/** `simple-installation` of the org's GitHub App installation, if there is one. */
export function webhookInstallation(state: EmulatorState, orgLogin: string): JsonObject | null {
  const key = orgLogin.toLowerCase();
  for (const inst of state.installations.values()) {
    if (inst.org.toLowerCase() === key) {
      return { id: inst.id, node_id: Buffer.from(`023:IntegrationInstallation${inst.id}`).toString("base64") };
    }
  }
  return null;
}

/** The envelope every repository event shares: repository, sender, organization, enterprise, installation. */
export function repoEnvelope(state: EmulatorState, repo: EmuRepo, actor: string | null): JsonObject {
  const org = state.org(repo.owner);
  const envelope: JsonObject = { repository: webhookRepository(state, repo) };
  if (org) {
    envelope.organization = webhookOrganization(state, org);
    const enterprise = webhookEnterprise(state, org);
    if (enterprise) envelope.enterprise = enterprise;
  }
  const installation = webhookInstallation(state, repo.owner);
  if (installation) envelope.installation = installation;
  envelope.sender = webhookSender(state, actor);
  return envelope;
}

const USER_KEYS = [
  "login", "id", "node_id", "avatar_url", "gravatar_id", "url", "html_url", "followers_url", "following_url",
  "gists_url", "starred_url", "subscriptions_url", "organizations_url", "repos_url", "events_url",
  "received_events_url", "type", "site_admin", "user_view_type", "name", "email",
] as const;

/** The webhook schemas' slimmer `User` (no `starred_at`, nothing outside the list). */
export function webhookUser(user: SimpleUser | null | undefined): JsonObject | null {
  if (!user) return null;
  const out: JsonObject = {};
  for (const key of USER_KEYS) if (user[key] !== undefined) out[key] = user[key];
  return out;
}

/** Actions whose payload carries the reduced rule {id, severity, description} and tool {name, version}. */
const REDUCED_RULE_ACTIONS = new Set(["appeared_in_branch", "reopened_by_user", "updated_assignment"]);

/** `code_scanning_alert.alert`: REST alert without `security_severity_level`, slim users, `fixed_at` always null. */
export function codeScanningWebhookAlert(alert: CodeScanningAlert, action: string): JsonObject {
  const reduced = REDUCED_RULE_ACTIONS.has(action);
  const r = alert.rule;
  const rule: JsonObject = reduced
    ? { id: r.id ?? "", severity: r.severity ?? null, description: r.description ?? "" }
    : {
        id: r.id ?? "",
        name: r.name ?? r.id ?? "",
        severity: r.severity ?? null,
        description: r.description ?? "",
        full_description: r.full_description ?? r.description ?? "",
        tags: r.tags ?? null,
        help: r.help ?? null,
        help_uri: r.help_uri ?? null,
      };
  const tool: JsonObject = reduced
    ? { name: alert.tool.name ?? "CodeQL", version: alert.tool.version ?? null }
    : { name: alert.tool.name ?? "CodeQL", version: alert.tool.version ?? null, guid: alert.tool.guid ?? null };
  const mri = alert.most_recent_instance;
  const instance: JsonObject = {
    ref: mri.ref ?? "",
    analysis_key: mri.analysis_key ?? "",
    environment: mri.environment ?? "{}",
    category: mri.category ?? "",
    state: mri.state ?? "open",
    commit_sha: mri.commit_sha ?? "",
    message: { text: mri.message?.text ?? "" },
    location: { ...mri.location },
    classifications: mri.classifications ?? [],
  };
  // The schemas type these as null for actions where the alert cannot be dismissed (created, reopened_by_user).
  const dismissable = action !== "created" && action !== "reopened_by_user";
  // GitHub's webhook schemas have `updated_at` only for `created` and `reopened` (and the example payloads agree).
  const withUpdatedAt = action === "created" || action === "reopened";
  return {
    number: alert.number,
    created_at: alert.created_at,
    ...(withUpdatedAt ? { updated_at: alert.updated_at ?? alert.created_at } : {}),
    url: alert.url,
    html_url: alert.html_url,
    instances_url: alert.instances_url,
    state: alert.state ?? null,
    fixed_at: null,
    dismissed_by: dismissable ? webhookUser(alert.dismissed_by) : null,
    dismissed_at: dismissable ? (alert.dismissed_at ?? null) : null,
    dismissed_reason: dismissable ? (alert.dismissed_reason ?? null) : null,
    dismissed_comment: dismissable ? (alert.dismissed_comment ?? null) : null,
    dismissal_approved_by:
      action === "closed_by_user" ? webhookUser((alert as { dismissal_approved_by?: SimpleUser | null }).dismissal_approved_by) : null,
    assignees: (alert as { assignees?: SimpleUser[] }).assignees ?? [],
    rule,
    tool,
    most_recent_instance: instance,
  };
}

const SECRET_WEBHOOK_KEYS = [
  "number", "created_at", "updated_at", "url", "html_url", "locations_url", "state", "resolution", "resolved_at",
  "resolved_by", "resolution_comment", "secret_type", "secret_type_display_name", "validity",
  "push_protection_bypassed", "push_protection_bypassed_by", "push_protection_bypassed_at",
  "push_protection_bypass_request_reviewer", "push_protection_bypass_request_reviewer_comment",
  "push_protection_bypass_request_comment", "push_protection_bypass_request_html_url", "publicly_leaked",
  "multi_repo", "assigned_to",
] as const;

/** `secret-scanning-alert-webhook`: no literal `secret`; `state` kept, as in GitHub's own example payload. */
export function secretScanningWebhookAlert(alert: SecretScanningAlert): JsonObject {
  const out: JsonObject = {};
  const source = alert as Record<string, unknown>;
  for (const key of SECRET_WEBHOOK_KEYS) if (source[key] !== undefined) out[key] = source[key];
  out.updated_at ??= null;
  return out;
}

/**
 * `dependabot_alert.alert`: the REST alert as the webhook schema knows it. That schema (additionalProperties: false)
 * predates `assignees`, `dismissal_request` and `security_advisory.classification`, so they are left out.
 */
export function dependabotWebhookAlert(alert: DependabotAlert): JsonObject {
  const { assignees: _a, dismissal_request: _d, ...rest } = structuredClone(alert) as DependabotAlert & {
    assignees?: unknown;
    dismissal_request?: unknown;
  };
  const { classification: _c, ...advisory } = rest.security_advisory as DependabotAlert["security_advisory"] & { classification?: unknown };
  return { ...rest, security_advisory: advisory };
}

/** `code_scanning_alert` payload; `ref`/`commit_oid` are empty for the `*_by_user` actions, as GitHub sends them. */
export function codeScanningPayload(
  state: EmulatorState,
  repo: EmuRepo,
  alert: CodeScanningAlert,
  action: string,
  actor: string | null,
  ref?: string,
): JsonObject {
  const byUser = action.endsWith("_by_user");
  const body = codeScanningWebhookAlert(alert, action);
  // "Events for alerts found outside the default branch will return a null state until they are dismissed or fixed."
  if (body.state === "open" && alert.most_recent_instance.ref !== `refs/heads/${repo.defaultBranch}`) body.state = null;
  return {
    action,
    alert: body,
    ref: byUser ? "" : (ref ?? alert.most_recent_instance.ref ?? `refs/heads/${repo.defaultBranch}`),
    commit_oid: byUser ? "" : (alert.most_recent_instance.commit_sha ?? ""),
    ...repoEnvelope(state, repo, actor),
  };
}

export function secretLocationPayload(
  state: EmulatorState,
  repo: EmuRepo,
  alert: SecretScanningAlert,
  location: SecretScanningLocation,
  actor: string | null,
): JsonObject {
  return { action: "created", alert: secretScanningWebhookAlert(alert), location, ...repoEnvelope(state, repo, actor) };
}

/** `ping`, sent when a hook is created (or on demand). */
export function pingPayload(state: EmulatorState, hook: WebhookTarget, org?: EmuOrg): JsonObject {
  const api = org ? `${state.baseUrl}/orgs/${org.login}/hooks/${hook.hookId}` : `${state.baseUrl}/hooks/${hook.hookId}`;
  const at = isoSeconds(state.now());
  const payload: JsonObject = {
    zen: "Design for failure.",
    hook_id: hook.hookId,
    hook: {
      type: org ? "Organization" : "Repository",
      id: hook.hookId,
      name: "web",
      active: true,
      events: hook.events === "*" ? ["*"] : hook.events,
      config: {
        content_type: hook.contentType,
        insecure_ssl: "0",
        url: hook.url,
        ...(hook.secret ? { secret: "********" } : {}),
      },
      updated_at: at,
      created_at: at,
      url: api,
      ping_url: `${api}/pings`,
      deliveries_url: `${api}/deliveries`,
    },
  };
  if (org) {
    payload.organization = webhookOrganization(state, org);
    payload.sender = renderUser(state, org.owners[0] ?? org.login);
  }
  return payload;
}
