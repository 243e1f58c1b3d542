// Test-only: a small hand-built world (enterprise, orgs, repos, users, tokens of every kind) on a real HTTP server,
// alert factories cloned from the spec's own examples, and a client that follows Link headers.
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createEmulatorApp } from "../../server.js";
import type { AlertChange, EmulatorState } from "../../state/state.js";
import type {
  CodeScanningAnalysis,
  CodeScanningRecord,
  DependabotAlert,
  EmuOrg,
  EmuRepo,
  EmuToken,
  Features,
  SecretScanningRecord,
} from "../../state/types.js";

type Json = Record<string, unknown>;
const examples = (createRequire(import.meta.url)("@octokit/openapi/generated/ghec.json") as {
  components: { examples: Record<string, { value: unknown }> };
}).components.examples;
const example = <T>(name: string): T => structuredClone(examples[name]!.value) as T;

export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const HOUR = 3_600_000;
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const ALL_ON: Features = {
  advanced_security: true,
  code_security: true,
  secret_scanning: true,
  secret_scanning_push_protection: true,
  secret_scanning_non_provider_patterns: true,
  secret_scanning_validity_checks: false,
  dependabot_security_updates: true,
  dependabot_alerts: true,
};

export interface TestWorld {
  url: string;
  state: EmulatorState;
  changes: AlertChange[];
  close(): Promise<void>;
}

export async function startWorld(): Promise<TestWorld> {
  const { app, state } = createEmulatorApp({ now: NOW, frozenClock: true });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.baseUrl = url;
  const changes: AlertChange[] = [];
  state.onAlertChange((change) => changes.push(change));
  seedPeople(state);
  return {
    url,
    state,
    changes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

let nextUserId = 500;
function seedPeople(state: EmulatorState): void {
  for (const login of ["alice", "sam", "mia", "olga", "eve"]) {
    state.addUser({ login, id: nextUserId++, type: "User", name: login, country: { code: "DE", name: "Germany" } });
  }
  state.addEnterprise({ slug: "megacorp", id: 77, name: "Megacorp", owners: ["alice"] });
  const org = (login: string, id: number, enterprise: string | null, extra: Partial<EmuOrg>): void =>
    state.addOrg({
      login, id, name: login, enterprise, plan: "enterprise", createdAt: NOW - 1000 * HOUR,
      twoFactorRequirementEnabled: true, members: [], owners: [], securityManagers: [], ...extra,
    });
  org("acme", 9001, "megacorp", { owners: ["alice"], securityManagers: ["sam"], members: ["mia"] });
  org("globex", 9002, "megacorp", { owners: ["eve", "alice"] });
  org("solo", 9003, null, { owners: ["alice"] });
  const token = (t: Partial<EmuToken> & Pick<EmuToken, "token" | "kind" | "login">): void =>
    state.addToken({
      userId: state.user(t.login)?.id ?? 99, scopes: [], permissions: {}, orgs: "*", expiresAt: null, installationId: null, ...t,
    });
  const all = ["repo", "security_events", "read:org", "admin:org", "read:audit_log"];
  token({ token: "alice", kind: "classic", login: "alice", scopes: all });
  token({ token: "alice-noscope", kind: "classic", login: "alice", scopes: ["read:org"] });
  token({ token: "sam", kind: "classic", login: "sam", scopes: ["repo"] });
  token({ token: "mia", kind: "classic", login: "mia", scopes: ["repo", "security_events"] });
  token({ token: "olga", kind: "classic", login: "olga", scopes: all });
  token({ token: "eve", kind: "classic", login: "eve", scopes: all });
  const perms = (level: "read" | "write") =>
    ({ security_events: level, vulnerability_alerts: level, secret_scanning_alerts: level }) as const;
  token({ token: "fg-read", kind: "fine-grained", login: "alice", permissions: perms("read"), orgs: ["acme"] });
  token({ token: "fg-write", kind: "fine-grained", login: "alice", permissions: perms("write"), orgs: ["acme"] });
  token({ token: "fg-none", kind: "fine-grained", login: "alice", permissions: { issues: "write" }, orgs: ["acme"] });
  const bot = { kind: "installation" as const, login: "ghaudit[bot]", installationId: 4242, orgs: ["acme"] };
  token({ token: "inst", ...bot, permissions: perms("write") });
  token({ token: "inst-none", ...bot, permissions: { issues: "write" } });
}

let nextRepoId = 3000;
export function addRepo(
  state: EmulatorState,
  owner: string,
  name: string,
  options: { visibility?: EmuRepo["visibility"]; archived?: boolean; features?: Partial<Features>; analyses?: number } = {},
): EmuRepo {
  const id = nextRepoId++;
  const repo: EmuRepo = {
    id, nodeId: `R_${id}`, name, owner, fullName: `${owner}/${name}`, visibility: options.visibility ?? "private",
    archived: options.archived ?? false, fork: false, description: null, defaultBranch: "main",
    createdAt: NOW - 900 * HOUR, updatedAt: NOW - HOUR, pushedAt: NOW - HOUR, hasIssues: true,
    features: { ...ALL_ON, ...options.features }, analyses: [], codeScanning: [], dependabot: [], secretScanning: [],
    next: { codeScanning: 1, dependabot: 1, secretScanning: 1, issue: 1 },
  };
  for (let i = 0; i < (options.analyses ?? 1); i++) repo.analyses.push(analysis(state, repo, i));
  state.addRepo(repo);
  return repo;
}

function analysis(state: EmulatorState, repo: EmuRepo, i: number): CodeScanningAnalysis {
  const a = example<CodeScanningAnalysis[]>("code-scanning-analysis-items")[i % 2]!;
  a.id = repo.id * 100 + i;
  a.url = `${state.baseUrl}/repos/${repo.fullName}/code-scanning/analyses/${a.id}`;
  a.created_at = iso(NOW - (i + 1) * HOUR);
  a.ref = i % 3 === 2 ? "refs/heads/dev" : "refs/heads/main";
  return a;
}

const urls = (state: EmulatorState, repo: EmuRepo, path: string, html: string, n: number) => ({
  url: `${state.baseUrl}/repos/${repo.fullName}/${path}/${n}`,
  html_url: `${state.baseUrl}/${repo.fullName}/${html}/${n}`,
});

/** An open code scanning alert cloned from the spec example; `created` is hours before NOW. */
export function addCodeScanning(state: EmulatorState, repo: EmuRepo, created: number, extra: Json = {}): CodeScanningRecord {
  const n = repo.next.codeScanning++;
  const alert = example<CodeScanningRecord["alert"]>("code-scanning-alert");
  Object.assign(alert, urls(state, repo, "code-scanning/alerts", "security/code-scanning", n), {
    number: n, created_at: iso(NOW - created * HOUR), updated_at: iso(NOW - created * HOUR), state: "open",
    dismissed_by: null, dismissed_at: null, dismissed_reason: null, dismissed_comment: null, assignees: [],
    instances_url: `${state.baseUrl}/repos/${repo.fullName}/code-scanning/alerts/${n}/instances`,
  }, extra);
  const instances = example<CodeScanningRecord["instances"]>("code-scanning-alert-instances");
  instances[0]!.ref = alert.most_recent_instance.ref ?? "refs/heads/main";
  const record = { alert, instances };
  repo.codeScanning.push(record);
  state.touch();
  return record;
}

export function addDependabot(state: EmulatorState, repo: EmuRepo, created: number, extra: Json = {}): DependabotAlert {
  const n = repo.next.dependabot++;
  const alert = example<DependabotAlert & Json>("dependabot-alert-open");
  // The spec's own example has `epss.percentile` as a string; the schema says number.
  Object.assign(alert.security_advisory, { epss: { percentage: 0.00045, percentile: 0.16001 } });
  Object.assign(alert, urls(state, repo, "dependabot/alerts", "security/dependabot", n), {
    number: n, created_at: iso(NOW - created * HOUR), updated_at: iso(NOW - created * HOUR), assignees: [],
  }, extra);
  repo.dependabot.push(alert);
  state.touch();
  return alert;
}

export function addSecret(state: EmulatorState, repo: EmuRepo, created: number, extra: Json = {}): SecretScanningRecord {
  const n = repo.next.secretScanning++;
  const alert = example<SecretScanningRecord["alert"]>("secret-scanning-alert-open");
  Object.assign(alert, urls(state, repo, "secret-scanning/alerts", "security/secret-scanning", n), {
    number: n, created_at: iso(NOW - created * HOUR), updated_at: iso(NOW - created * HOUR),
    locations_url: `${state.baseUrl}/repos/${repo.fullName}/secret-scanning/alerts/${n}/locations`,
    provider: "Mailchimp", provider_slug: "mailchimp", assigned_to: null,
  }, extra);
  const record = { alert, locations: example<SecretScanningRecord["locations"]>("secret-scanning-location-list") };
  repo.secretScanning.push(record);
  state.touch();
  return record;
}

export interface Res {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function call(
  base: string,
  path: string,
  options: { token?: string; method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Res> {
  const headers: Record<string, string> = { accept: "application/vnd.github+json", ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(path.startsWith("http") ? path : base + path, {
    method: options.method ?? "GET",
    headers,
    ...(options.raw !== undefined ? { body: options.raw } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : null };
}

/** `{rel: url}` of a Link header. */
export function links(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of (header ?? "").matchAll(/<([^>]+)>;\s*rel="(\w+)"/g)) out[m[2]!] = m[1]!;
  return out;
}

/** Follows `rel="next"` from `path` like a client would; returns every item and every page's Link header. */
export async function walk(base: string, path: string, token: string, maxPages = 5000) {
  const items: Json[] = [];
  const linkHeaders: string[] = [];
  let next: string | undefined = base + path;
  let pages = 0;
  while (next && pages < maxPages) {
    const res = await call(base, next, { token });
    if (res.status !== 200) throw new Error(`GET ${next} -> ${res.status} ${JSON.stringify(res.body)}`);
    items.push(...(res.body as Json[]));
    linkHeaders.push(res.headers.get("link") ?? "");
    next = links(res.headers.get("link")).next;
    pages++;
  }
  return { items, pages, linkHeaders };
}
