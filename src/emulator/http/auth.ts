// Who is calling: PATs (classic, fine-grained), installation tokens and App JWTs (RS256, verified against the
// app's public key), and the permission checks GitHub applies to each kind, with GitHub's error texts.
import { decodeJwt, importSPKI, jwtVerify } from "jose";
import type { EmulatorState } from "../state/state.js";
import type { EmuOrg, EmuToken, PermissionLevel } from "../state/types.js";
import type { Caller, EmuContext } from "./context.js";
import { GitHubHttpError, notFound } from "./errors.js";

const JWT_DOCS = "https://docs.github.com/rest";

function badCredentials(): GitHubHttpError {
  return new GitHubHttpError(401, "Bad credentials", { documentationUrl: JWT_DOCS });
}

async function verifyAppJwt(state: EmulatorState, jwt: string): Promise<number> {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(jwt);
  } catch {
    throw new GitHubHttpError(401, "A JSON web token could not be decoded", { documentationUrl: JWT_DOCS });
  }
  const iss = String(claims.iss ?? "");
  const app = [...state.apps.values()].find((a) => String(a.id) === iss || a.clientId === iss);
  if (!app) throw new GitHubHttpError(401, "'Issuer' claim ('iss') must be an Integer", { documentationUrl: JWT_DOCS });
  if (typeof claims.exp === "number" && typeof claims.iat === "number" && claims.exp - claims.iat > 600) {
    throw new GitHubHttpError(401, "'Expiration time' claim ('exp') is too far in the future", { documentationUrl: JWT_DOCS });
  }
  try {
    const key = await importSPKI(app.publicKeyPem, "RS256");
    await jwtVerify(jwt, key, { algorithms: ["RS256"], currentDate: new Date(state.now()), clockTolerance: 60 });
  } catch {
    throw new GitHubHttpError(401, "A JSON web token could not be decoded", { documentationUrl: JWT_DOCS });
  }
  return app.id;
}

/** Resolves the caller from the Authorization header; throws GitHub's 401 for bad or expired credentials. */
export async function resolveCaller(state: EmulatorState, header: string | undefined): Promise<Caller> {
  if (!header) return { kind: "anonymous", token: null, appId: null };
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
  if (!match) throw badCredentials();
  const value = match[1]!;
  if (value.split(".").length === 3 && value.startsWith("ey")) {
    return { kind: "app-jwt", token: null, appId: await verifyAppJwt(state, value) };
  }
  const token = state.tokens.get(value);
  if (!token || (token.expiresAt !== null && token.expiresAt <= state.now())) throw badCredentials();
  return { kind: "token", token, appId: null };
}

const LEVELS: Record<PermissionLevel, number> = { read: 1, write: 2, admin: 3 };

export interface AccessNeed {
  /** Fine-grained / App permission name, e.g. `security_events`. */
  permission: string;
  level: "read" | "write";
  /** Classic scopes, any one of which suffices. */
  scopes: string[];
  /** Minimum org role for user tokens (installations act as the app). */
  role?: "member" | "security" | "owner";
}

export function requireCaller(c: EmuContext): EmuToken {
  const caller = c.get("caller");
  if (caller.kind === "anonymous") throw new GitHubHttpError(401, "Requires authentication", { documentationUrl: JWT_DOCS });
  if (caller.kind === "app-jwt" || !caller.token) {
    throw new GitHubHttpError(403, "Resource not accessible by integration", {
      documentationUrl: JWT_DOCS,
    });
  }
  return caller.token;
}

export function isMember(org: EmuOrg, login: string): boolean {
  const l = login.toLowerCase();
  return org.members.some((m) => m.toLowerCase() === l) || org.owners.some((m) => m.toLowerCase() === l);
}

function roleOf(org: EmuOrg, login: string): "owner" | "security" | "member" | null {
  const l = login.toLowerCase();
  if (org.owners.some((m) => m.toLowerCase() === l)) return "owner";
  if (org.securityManagers.some((m) => m.toLowerCase() === l)) return "security";
  if (org.members.some((m) => m.toLowerCase() === l)) return "member";
  return null;
}

const RANK = { member: 1, security: 2, owner: 3 } as const;

/** True when the token may act inside `org` at all (installation on it, or a user token of a member). */
export function reachesOrg(token: EmuToken, org: EmuOrg): boolean {
  if (token.orgs !== "*" && !token.orgs.some((o) => o.toLowerCase() === org.login.toLowerCase())) return false;
  return token.kind === "installation" || roleOf(org, token.login) !== null;
}

/** Enforces GitHub's access rules for an org-scoped resource; throws GitHub's 403/404 otherwise. */
export function requireAccess(c: EmuContext, org: EmuOrg, need: AccessNeed, documentationUrl?: string): EmuToken {
  const token = requireCaller(c);
  if (!reachesOrg(token, org)) throw notFound(documentationUrl);
  if (token.kind !== "installation" && need.role) {
    const role = roleOf(org, token.login);
    if (!role || RANK[role] < RANK[need.role]) {
      // GitHub's texts are not all captured; an owner-only endpoint says what its docs say ("must be an organization
      // owner"), the security views what GitHub answers them ("owner or security manager").
      const who = need.role === "owner" ? "an organization owner" : "an organization owner or security manager";
      throw new GitHubHttpError(403, `You must be ${who} to access this resource.`, {
        ...(documentationUrl ? { documentationUrl } : {}),
      });
    }
  }
  if (token.kind === "classic") {
    if (!need.scopes.some((s) => token.scopes.includes(s))) {
      throw new GitHubHttpError(403, "Resource not accessible by personal access token", {
        headers: { "x-accepted-oauth-scopes": need.scopes.join(", ") },
        ...(documentationUrl ? { documentationUrl } : {}),
      });
    }
    return token;
  }
  const have = token.permissions[need.permission];
  if (!have || LEVELS[have] < LEVELS[need.level]) {
    const message =
      token.kind === "installation"
        ? "Resource not accessible by integration"
        : "Resource not accessible by personal access token";
    throw new GitHubHttpError(403, message, {
      headers: { "x-accepted-github-permissions": `${need.permission}=${need.level}` },
      ...(documentationUrl ? { documentationUrl } : {}),
    });
  }
  return token;
}
