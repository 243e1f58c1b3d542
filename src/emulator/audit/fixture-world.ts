// A small hand-built world for audit-log tests and the benchmark: an enterprise with two GHEC orgs, a free org,
// one token of every kind, and a seeded generator of plausible audit events.
import type { EmulatorState } from "../state/state.js";
import type { AuditLogEvent, EmuOrg, EmuToken } from "../state/types.js";
import { createRng } from "../seed/rng.js";

export const ENTERPRISE = { slug: "acme-ent", id: 9001 };
export const ORG = { login: "acme", id: 5001 };
export const ORG2 = { login: "acme-labs", id: 5002 };
export const FREE_ORG = { login: "free-org", id: 5003 };

/** Token names -> token values in the fixture world. */
export const TOKENS = {
  /** Enterprise owner and owner of every org; classic, `read:audit_log`. */
  boss: "ghp_boss",
  bossAdminEnterprise: "ghp_boss_admin_enterprise",
  bossNoScope: "ghp_boss_noscope",
  bossFineGrained: "github_pat_boss",
  /** Org owner (not enterprise owner). */
  owner: "ghp_owner",
  ownerAdminOrg: "ghp_owner_admin_org",
  ownerNoScope: "ghp_owner_noscope",
  ownerFineGrained: "github_pat_owner",
  ownerFineGrainedNoPerm: "github_pat_owner_noperm",
  /** Plain member of `acme`. */
  member: "ghp_member",
  /** Not in any org. */
  stranger: "ghp_stranger",
  installation: "ghs_installation",
  installationNoPerm: "ghs_installation_noperm",
} as const;

function org(login: string, id: number, plan: EmuOrg["plan"], enterprise: string | null): EmuOrg {
  return {
    login,
    id,
    name: login,
    enterprise,
    plan,
    createdAt: Date.UTC(2020, 0, 1),
    twoFactorRequirementEnabled: true,
    members: ["mel"],
    owners: ["boss", "olivia"],
    securityManagers: [],
  };
}

export function buildAuditWorld(state: EmulatorState): void {
  const users: [string, number][] = [["boss", 101], ["olivia", 102], ["mel", 103], ["stranger", 104]];
  for (const [login, id] of users) {
    state.addUser({ login, id, type: "User", name: login, country: { code: "US", name: "United States" } });
  }
  state.addEnterprise({ slug: ENTERPRISE.slug, id: ENTERPRISE.id, name: "Acme", owners: ["boss"] });
  state.addOrg(org(ORG.login, ORG.id, "enterprise", ENTERPRISE.slug));
  state.addOrg(org(ORG2.login, ORG2.id, "enterprise", ENTERPRISE.slug));
  state.addOrg(org(FREE_ORG.login, FREE_ORG.id, "free", null));
  const base = { expiresAt: null, installationId: null, orgs: "*" as const, permissions: {}, scopes: [] };
  const tokens: EmuToken[] = [
    { ...base, token: TOKENS.boss, kind: "classic", login: "boss", userId: 101, scopes: ["read:audit_log", "repo"] },
    { ...base, token: TOKENS.bossAdminEnterprise, kind: "classic", login: "boss", userId: 101, scopes: ["admin:enterprise"] },
    { ...base, token: TOKENS.bossNoScope, kind: "classic", login: "boss", userId: 101, scopes: ["repo"] },
    { ...base, token: TOKENS.bossFineGrained, kind: "fine-grained", login: "boss", userId: 101, orgs: [ORG.login], permissions: { organization_administration: "read" } },
    { ...base, token: TOKENS.owner, kind: "classic", login: "olivia", userId: 102, scopes: ["read:audit_log"] },
    { ...base, token: TOKENS.ownerAdminOrg, kind: "classic", login: "olivia", userId: 102, scopes: ["admin:org"] },
    { ...base, token: TOKENS.ownerNoScope, kind: "classic", login: "olivia", userId: 102, scopes: ["repo", "read:org"] },
    { ...base, token: TOKENS.ownerFineGrained, kind: "fine-grained", login: "olivia", userId: 102, orgs: [ORG.login], permissions: { organization_administration: "read" } },
    { ...base, token: TOKENS.ownerFineGrainedNoPerm, kind: "fine-grained", login: "olivia", userId: 102, orgs: [ORG.login], permissions: { security_events: "read" } },
    { ...base, token: TOKENS.member, kind: "classic", login: "mel", userId: 103, scopes: ["read:audit_log"] },
    { ...base, token: TOKENS.stranger, kind: "classic", login: "stranger", userId: 104, scopes: ["read:audit_log"] },
    { ...base, token: TOKENS.installation, kind: "installation", login: "ghaudit[bot]", userId: 900, orgs: [ORG.login], installationId: 1, permissions: { organization_administration: "read" } },
    { ...base, token: TOKENS.installationNoPerm, kind: "installation", login: "other[bot]", userId: 901, orgs: [ORG.login], installationId: 2, permissions: { security_events: "read" } },
  ];
  for (const t of tokens) state.addToken(t);
}

const ACTIONS: [string, string][] = [
  ["repo.create", "create"],
  ["repo.access", "modify"],
  ["repo.destroy", "remove"],
  ["org.add_member", "create"],
  ["org.remove_member", "remove"],
  ["team.add_member", "modify"],
  ["repository_vulnerability_alert.dismiss", "modify"],
  ["secret_scanning_alert.resolve", "modify"],
  ["code_scanning.alert_dismissed", "modify"],
  ["business.set_actions_retention_limit", "modify"],
  ["org.update_member", "modify"],
  ["protected_branch.destroy", "remove"],
];
const COUNTRIES: [string, string][] = [["US", "United States"], ["DE", "Germany"], ["NZ", "New Zealand"], ["JP", "Japan"]];
const ACTORS = ["boss", "olivia", "mel", "dependabot[bot]"];

export interface SyntheticOptions {
  org: string;
  count: number;
  /** Events are spread evenly over `[now - spanMs, now)`. */
  now: number;
  spanMs: number;
  seed?: number;
  /** Share of events that are Git events (`git.clone`, `git.push`). */
  gitShare?: number;
}

/** Appends `count` deterministic audit events for `org`, oldest first; returns the events. */
export function appendSyntheticAudit(state: EmulatorState, options: SyntheticOptions): AuditLogEvent[] {
  const rng = createRng(options.seed ?? 42);
  const orgRec = state.org(options.org);
  const step = options.spanMs / Math.max(1, options.count);
  const start = options.now - options.spanMs;
  const out: AuditLogEvent[] = [];
  for (let i = 0; i < options.count; i++) {
    const at = Math.floor(start + i * step);
    const actor = ACTORS[i % ACTORS.length]!;
    const [code, name] = COUNTRIES[i % COUNTRIES.length]!;
    const repo = `${options.org}/repo-${i % 50}`;
    const git = rng.next() < (options.gitShare ?? 0);
    const base = {
      "@timestamp": at,
      _document_id: Buffer.from(rng.hex(32), "hex").toString("base64url").slice(0, 22),
      actor,
      actor_id: 101 + (i % ACTORS.length),
      actor_location: { country_code: code, country_name: name },
      org: options.org,
      ...(orgRec ? { org_id: orgRec.id } : {}),
      ...(orgRec?.enterprise ? { business: orgRec.enterprise, business_id: ENTERPRISE.id } : {}),
    };
    const event: AuditLogEvent = git
      ? { ...base, action: i % 2 ? "git.clone" : "git.push", repository: repo, repository_public: false, transport_protocol: 1, transport_protocol_name: "http" }
      : (() => {
          const [action, operation] = ACTIONS[i % ACTIONS.length]!;
          return { ...base, action, operation_type: operation, repo, repo_id: 7000 + (i % 50), user: ACTORS[(i + 1) % ACTORS.length]!, hashed_token: `tok${i % 7}=` };
        })();
    state.appendAudit(event, { git });
    out.push(event);
  }
  return out;
}
