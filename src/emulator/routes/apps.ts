// GitHub App endpoints: the App (JWT) finds its installation on an org and mints 1-hour installation tokens
// (docs: "Authenticating as a GitHub App installation").
import { randomBytes } from "node:crypto";
import { isoSeconds } from "../../core/clock.js";
import type { EmuApp, EmuContext, RouteDeps } from "../http/context.js";
import { GitHubHttpError, notFound } from "../http/errors.js";
import { send } from "../http/respond.js";
import { renderOrgOwner } from "../render.js";
import type { EmulatorState } from "../state/state.js";
import type { EmuInstallation, PermissionLevel } from "../state/types.js";

const DOCS_TOKEN = "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app";
const DOCS_ORG_INSTALLATION = "https://docs.github.com/rest/apps/apps#get-an-organization-installation-for-the-authenticated-app";
const TOKEN_TTL_MS = 3_600_000;
const LEVELS: Record<PermissionLevel, number> = { read: 1, write: 2, admin: 3 };

function requireAppJwt(c: EmuContext): number {
  const caller = c.get("caller");
  if (caller.kind !== "app-jwt" || caller.appId === null) {
    throw new GitHubHttpError(401, "A JSON web token could not be decoded", { documentationUrl: "https://docs.github.com/rest" });
  }
  return caller.appId;
}

function renderInstallation(state: EmulatorState, inst: EmuInstallation) {
  const app = state.apps.get(inst.appId)!;
  const org = state.org(inst.org)!;
  const base = state.baseUrl;
  return {
    id: inst.id,
    account: renderOrgOwner(state, org.login),
    repository_selection: inst.repositorySelection,
    access_tokens_url: `${base}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${base}/installation/repositories`,
    html_url: `${base}/organizations/${org.login}/settings/installations/${inst.id}`,
    app_id: app.id,
    client_id: app.clientId,
    app_slug: app.slug,
    target_id: org.id,
    target_type: "Organization",
    permissions: inst.permissions,
    events: ["code_scanning_alert", "dependabot_alert", "secret_scanning_alert", "secret_scanning_alert_location"],
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    created_at: isoSeconds(inst.createdAt),
    updated_at: isoSeconds(inst.createdAt),
    suspended_by: null,
    suspended_at: null,
  };
}

export function registerApps(app: EmuApp, { state }: RouteDeps): void {
  app.get("/orgs/:org/installation", (c) => {
    const appId = requireAppJwt(c);
    const org = state.org(c.req.param("org"));
    const inst = org ? [...state.installations.values()].find((i) => i.appId === appId && i.org === org.login) : undefined;
    if (!inst) throw notFound(DOCS_ORG_INSTALLATION);
    return send(c, renderInstallation(state, inst));
  });

  app.post("/app/installations/:id/access_tokens", async (c) => {
    const appId = requireAppJwt(c);
    const inst = state.installations.get(Number(c.req.param("id")));
    if (!inst || inst.appId !== appId) throw notFound(DOCS_TOKEN);
    let requested: Record<string, PermissionLevel> | undefined;
    const text = await c.req.text();
    if (text.trim() !== "") {
      let body: { permissions?: Record<string, PermissionLevel> };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new GitHubHttpError(400, "Problems parsing JSON", { documentationUrl: DOCS_TOKEN });
      }
      requested = body.permissions;
    }
    if (requested) {
      for (const [name, level] of Object.entries(requested)) {
        const granted = inst.permissions[name];
        if (!granted || !(level in LEVELS) || LEVELS[granted] < LEVELS[level]) {
          throw new GitHubHttpError(422, "The permissions requested are not granted to this installation.", {
            documentationUrl: DOCS_TOKEN,
          });
        }
      }
    }
    const permissions = requested ?? inst.permissions;
    const token = `ghs_${randomBytes(27).toString("base64url").replace(/[-_]/g, "0").slice(0, 36)}`;
    const expiresAt = state.now() + TOKEN_TTL_MS;
    const appRecord = state.apps.get(appId)!;
    state.addToken({
      token,
      kind: "installation",
      login: `${appRecord.slug}[bot]`,
      userId: appRecord.id,
      scopes: [],
      permissions,
      orgs: [inst.org],
      expiresAt,
      installationId: inst.id,
    });
    return send(c, { token, expires_at: isoSeconds(expiresAt), permissions, repository_selection: inst.repositorySelection }, 201);
  });
}
