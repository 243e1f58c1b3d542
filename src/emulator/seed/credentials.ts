// Credentials of the seeded world: the admin's classic PAT and the ghaudit GitHub App with one installation per org.
import { generateKeyPairSync } from "node:crypto";
import type { EmulatorState } from "../state/state.js";
import type { PermissionLevel } from "../state/types.js";
import { DAY, between } from "./common.js";
import { base62, githubToken } from "./ids.js";
import type { WorldPlan } from "./org-world.js";
import type { Rng } from "./rng.js";
import type { Fact } from "./world-facts.js";

export const ADMIN_SCOPES = ["repo", "security_events", "read:audit_log", "admin:org", "admin:enterprise", "read:org"] as const;

export const APP_SLUG = "ghaudit-app";

export const APP_PERMISSIONS: Readonly<Record<string, PermissionLevel>> = {
  security_events: "read",
  vulnerability_alerts: "read",
  secret_scanning_alerts: "read",
  organization_administration: "read",
  issues: "write",
  metadata: "read",
};

export interface SeededApp {
  id: number;
  clientId: string;
  slug: string;
  privateKeyPem: string;
  /** Installation id per org login. */
  installations: Record<string, number>;
}

let keyPair: { publicKeyPem: string; privateKeyPem: string } | null = null;

/** RSA-2048 key pair, generated once per process (it does not need to be reproducible, and it is slow). */
function appKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  if (!keyPair) {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
    });
    keyPair = { publicKeyPem: publicKey, privateKeyPem: privateKey };
  }
  return keyPair;
}

export function addAdminToken(state: EmulatorState, plan: WorldPlan, rng: Rng): string {
  const token = githubToken(rng, "ghp");
  state.addToken({
    token,
    kind: "classic",
    login: plan.admin.login,
    userId: plan.admin.id,
    scopes: [...ADMIN_SCOPES],
    permissions: {},
    orgs: "*",
    expiresAt: null,
    installationId: null,
  });
  return token;
}

/** Registers the app, its bot user and an installation on every org; records `integration_installation.create`. */
export function addApp(state: EmulatorState, plan: WorldPlan, rng: Rng, now: number, facts: Fact[]): SeededApp {
  const { publicKeyPem, privateKeyPem } = appKeyPair();
  const id = rng.int(300_000, 1_200_000);
  const clientId = `Iv23li${base62(rng, 14)}`;
  state.apps.set(id, { id, clientId, slug: APP_SLUG, publicKeyPem });
  state.addUser({ login: `${APP_SLUG}[bot]`, id: rng.int(150_000_000, 190_000_000), type: "Bot", name: `${APP_SLUG}[bot]`, country: { code: "US", name: "United States" } });
  const installations: Record<string, number> = {};
  let installationId = rng.int(40_000_000, 70_000_000);
  for (const { org } of plan.orgs) {
    installationId += rng.int(1, 400_000);
    const createdAt = between(rng, now - 60 * DAY, now - 20 * DAY);
    state.installations.set(installationId, {
      id: installationId,
      appId: id,
      org: org.login,
      permissions: { ...APP_PERMISSIONS },
      repositorySelection: "all",
      createdAt,
    });
    installations[org.login] = installationId;
    facts.push({ at: createdAt, action: "integration_installation.create", actor: plan.admin.login, org, extra: { name: APP_SLUG, integration: APP_SLUG, installation_id: installationId } });
  }
  return { id, clientId, slug: APP_SLUG, privateKeyPem, installations };
}
