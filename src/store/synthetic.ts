// Deterministic synthetic audit events shaped like GitHub's (random document ids, skewed actors and repositories),
// for store tests, the crash test and bench/store-insert.ts.
import { createHash } from "node:crypto";
import type { AuditEventInput } from "./audit-events.js";

const ACTIONS = [
  "repo.access", "repo.create", "repo.update_member", "team.add_member", "team.remove_member", "org.update_member",
  "org.add_member", "protected_branch.update", "protected_branch.destroy", "secret_scanning_alert.resolve",
  "repository_secret_scanning.disable", "dependabot_alerts.disable", "code_scanning_alert.dismiss", "hook.create",
  "hook.events_changed", "integration_installation.create", "org.config.disable_collaborators_only", "repo.destroy",
  "personal_access_token.request_created", "git.clone",
];

/** A fast deterministic 0..1 value from an integer (so every run builds the same data). */
function unit(n: number): number {
  let x = (n ^ 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
}

/** Zipf-like pick in 0..n-1: a few values are very common, most are rare, as actors and repositories are. */
function skewed(n: number, r: number): number {
  return Math.min(n - 1, Math.floor(Math.pow(n + 1, r) - 1));
}

export interface SyntheticOptions {
  org?: string;
  /** Epoch ms of event 0; later indexes are later in time. */
  start?: number;
  /** Milliseconds between consecutive events. */
  stepMs?: number;
}

/** The raw GitHub-shaped event number `i`. */
export function syntheticRawEvent(i: number, options: SyntheticOptions = {}): Record<string, unknown> {
  const org = options.org ?? "octo-org";
  const at = (options.start ?? Date.UTC(2025, 0, 1)) + i * (options.stepMs ?? 7);
  const action = ACTIONS[skewed(ACTIONS.length, unit(i * 3 + 1))] ?? "repo.access";
  const actor = `user${skewed(2000, unit(i * 3 + 2))}`;
  const repo = `${org}/repo-${skewed(1000, unit(i * 3 + 3))}`;
  return {
    "@timestamp": at,
    _document_id: createHash("sha1").update(`${org}:${i}`).digest("base64url").slice(0, 22),
    action,
    actor,
    actor_id: 1000 + Number(actor.slice(4)),
    actor_location: { country_code: unit(i) < 0.7 ? "US" : "DE" },
    business: "octo-enterprise",
    created_at: at + 3,
    operation_type: action.endsWith("create") ? "create" : action.endsWith("destroy") ? "remove" : "modify",
    org,
    org_id: 4242,
    repo,
    repo_id: 500000 + Number(repo.slice(repo.lastIndexOf("-") + 1)),
    user: unit(i * 5) < 0.3 ? `user${skewed(2000, unit(i * 7))}` : undefined,
    request_id: `C0DE:${(i * 2654435761 >>> 0).toString(16).toUpperCase()}:${i}`,
    user_agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    programmatic_access_type: unit(i * 11) < 0.5 ? "OAuth access token" : undefined,
    token_scopes: "repo,read:org,workflow",
  };
}

/** Audit event `i` as the pipeline would hand it to the store. */
export function syntheticAuditEvent(i: number, options: SyntheticOptions = {}): AuditEventInput {
  const raw = syntheticRawEvent(i, options);
  const at = raw["@timestamp"] as number;
  const action = raw["action"] as string;
  return {
    scope: "org",
    scopeName: raw["org"] as string,
    action,
    actor: raw["actor"] as string,
    user: (raw["user"] as string | undefined) ?? null,
    org: raw["org"] as string,
    repo: raw["repo"] as string,
    at,
    createdAt: raw["created_at"] as number,
    country: (raw["actor_location"] as { country_code: string }).country_code,
    operationType: raw["operation_type"] as string,
    severity: action.startsWith("repo.destroy") || action.includes("disable") ? "high" : "info",
    raw,
    normalized: { "@timestamp": new Date(at).toISOString(), event: { action }, user: { name: raw["actor"] } },
  };
}
