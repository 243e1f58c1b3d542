// A small hand-built world for tests of the emulator's HTTP behaviour (independent of the seed generator).
import { generateKeyPairSync } from "node:crypto";
import type { EmulatorState } from "../state/state.js";
import type { EmuOrg, EmuRepo, EmuToken, Features } from "../state/types.js";

export const ALL_FEATURES: Features = {
  advanced_security: true,
  code_security: true,
  secret_scanning: true,
  secret_scanning_push_protection: true,
  secret_scanning_non_provider_patterns: false,
  secret_scanning_validity_checks: true,
  dependabot_security_updates: true,
  dependabot_alerts: true,
};

export function addOrg(state: EmulatorState, login: string, partial: Partial<EmuOrg> = {}): EmuOrg {
  const org: EmuOrg = {
    login,
    id: state.nextId(),
    name: login,
    enterprise: null,
    plan: "enterprise",
    createdAt: state.now() - 400 * 86_400_000,
    twoFactorRequirementEnabled: true,
    members: ["dev1"],
    owners: ["owner1"],
    securityManagers: ["sec1"],
    ...partial,
  };
  state.addOrg(org);
  for (const login of [...org.members, ...org.owners, ...org.securityManagers]) {
    if (!state.user(login)) state.addUser({ login, id: state.nextId(), type: "User", name: login, country: { code: "US", name: "United States" } });
  }
  return org;
}

export function addRepo(state: EmulatorState, owner: string, name: string, partial: Partial<EmuRepo> = {}): EmuRepo {
  const id = state.nextId();
  const repo: EmuRepo = {
    id,
    nodeId: Buffer.from(`010:Repository${id}`).toString("base64"),
    name,
    owner,
    fullName: `${owner}/${name}`,
    visibility: "private",
    archived: false,
    fork: false,
    description: null,
    defaultBranch: "main",
    createdAt: state.now() - 300 * 86_400_000,
    updatedAt: state.now() - 86_400_000,
    pushedAt: state.now() - 86_400_000,
    hasIssues: true,
    features: { ...ALL_FEATURES },
    analyses: [],
    codeScanning: [],
    dependabot: [],
    secretScanning: [],
    next: { codeScanning: 1, dependabot: 1, secretScanning: 1, issue: 1 },
    ...partial,
  };
  state.addRepo(repo);
  return repo;
}

let counter = 0;
export function addToken(state: EmulatorState, partial: Partial<EmuToken> & Pick<EmuToken, "login">): string {
  const kind = partial.kind ?? "classic";
  const token = `${kind === "classic" ? "ghp_" : kind === "fine-grained" ? "github_pat_" : "ghs_"}fixture${String(++counter).padStart(30, "0")}`;
  state.addToken({
    token,
    kind,
    userId: state.user(partial.login)?.id ?? 1,
    scopes: [],
    permissions: {},
    orgs: "*",
    expiresAt: null,
    installationId: null,
    ...partial,
  });
  return token;
}

/** Registers a GitHub App with an installation on `org`; returns its id and private key. */
export function addApp(state: EmulatorState, org: string, permissions: Record<string, "read" | "write"> = {}) {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const id = state.nextId();
  const app = { id, clientId: `Iv23li${id}`, slug: "ghaudit-test", publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
  state.apps.set(id, app);
  const installationId = state.nextId();
  state.installations.set(installationId, { id: installationId, appId: id, org, permissions, repositorySelection: "all", createdAt: state.now() });
  return { ...app, installationId, privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}
