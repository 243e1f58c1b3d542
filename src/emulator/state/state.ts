// The emulator's mutable world: every route reads it, the seed generator and the activity simulator write it.
import { randomBytes } from "node:crypto";
import type { ManualClock } from "../../core/clock.js";
import type {
  AuditLogEvent,
  AuditRecord,
  CodeScanningAlert,
  DependabotAlert,
  SecretScanningAlert,
  EmuApp,
  EmuEnterprise,
  EmuInstallation,
  EmuOrg,
  EmuRepo,
  EmuToken,
  EmuUser,
  RateBucket,
  WebhookTarget,
} from "./types.js";

/** A change to an alert, announced so the audit log and webhooks follow it the way GitHub's do. */
export interface AlertChange {
  kind: "code_scanning" | "dependabot" | "secret_scanning";
  repo: EmuRepo;
  /** The alert after the change (REST shape). */
  alert: CodeScanningAlert | DependabotAlert | SecretScanningAlert;
  /** The webhook action, e.g. `created`, `dismissed`, `reopened`, `fixed`, `auto_dismissed`, `resolved`, `closed_by_user`. */
  action: string;
  /** Who made the change; null for GitHub itself (fixes found by analysis, auto-dismissal). */
  actor: string | null;
}

export type AlertChangeListener = (change: AlertChange) => void;

export interface AuditAppendOptions {
  /** Delay (ms) between the event's `@timestamp` and the moment the API starts returning it. */
  lateByMs?: number;
  git?: boolean;
}

export class EmulatorState {
  readonly clock: ManualClock;
  /** Base URL the server listens on (no trailing slash); set once listening. */
  baseUrl = "http://127.0.0.1";
  readonly users = new Map<string, EmuUser>();
  readonly enterprises = new Map<string, EmuEnterprise>();
  readonly orgs = new Map<string, EmuOrg>();
  /** Keyed by lower-case `owner/name`. */
  readonly repos = new Map<string, EmuRepo>();
  /** Kept sorted by (`at`, `seq`) ascending. */
  readonly audit: AuditRecord[] = [];
  readonly tokens = new Map<string, EmuToken>();
  readonly apps = new Map<number, EmuApp>();
  readonly installations = new Map<number, EmuInstallation>();
  readonly webhooks: WebhookTarget[] = [];
  /** Issues opened through the API (ghaudit's "open an issue" action), for tests to read back. */
  readonly issues: { repo: string; number: number; title: string; body: string | null; labels: string[]; by: string; at: number }[] = [];
  /** Per token, per rate-limit resource. */
  readonly buckets = new Map<string, Map<string, RateBucket>>();
  /** Bumped on every mutation, so list endpoints can cache sorted views safely. */
  version = 0;
  readonly #alertListeners: AlertChangeListener[] = [];
  #auditSeq = 0;
  #nextId = 1_000_000;

  constructor(clock: ManualClock) {
    this.clock = clock;
  }

  now(): number {
    return this.clock.now();
  }

  nextId(): number {
    return this.#nextId++;
  }

  touch(): void {
    this.version++;
  }

  org(login: string): EmuOrg | undefined {
    return this.orgs.get(login.toLowerCase());
  }

  orgById(id: number): EmuOrg | undefined {
    for (const org of this.orgs.values()) if (org.id === id) return org;
    return undefined;
  }

  enterprise(slug: string): EmuEnterprise | undefined {
    return this.enterprises.get(slug.toLowerCase());
  }

  enterpriseById(id: number): EmuEnterprise | undefined {
    for (const ent of this.enterprises.values()) if (ent.id === id) return ent;
    return undefined;
  }

  repo(owner: string, name: string): EmuRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  repoById(id: number): EmuRepo | undefined {
    for (const repo of this.repos.values()) if (repo.id === id) return repo;
    return undefined;
  }

  reposOf(org: string): EmuRepo[] {
    const key = org.toLowerCase();
    return [...this.repos.values()].filter((r) => r.owner.toLowerCase() === key);
  }

  orgsOfEnterprise(slug: string): EmuOrg[] {
    const key = slug.toLowerCase();
    return [...this.orgs.values()].filter((o) => o.enterprise?.toLowerCase() === key);
  }

  addUser(user: EmuUser): void {
    this.users.set(user.login.toLowerCase(), user);
  }

  user(login: string): EmuUser | undefined {
    return this.users.get(login.toLowerCase());
  }

  addOrg(org: EmuOrg): void {
    this.orgs.set(org.login.toLowerCase(), org);
    this.touch();
  }

  addEnterprise(ent: EmuEnterprise): void {
    this.enterprises.set(ent.slug.toLowerCase(), ent);
    this.touch();
  }

  addRepo(repo: EmuRepo): void {
    this.repos.set(repo.fullName.toLowerCase(), repo);
    this.touch();
  }

  /**
   * Records an audit event. `_document_id` is filled in when missing; events are kept in timestamp order,
   * so an event that arrives late lands in the past (as on GitHub).
   */
  appendAudit(event: AuditLogEvent, options: AuditAppendOptions = {}): AuditRecord {
    const at = typeof event["@timestamp"] === "number" ? event["@timestamp"] : this.now();
    event["@timestamp"] = at;
    event.created_at ??= at + (options.lateByMs ?? 0);
    event._document_id ??= randomBytes(16).toString("base64url").slice(0, 22);
    const orgField = event.org as unknown;
    const orgs = Array.isArray(orgField) ? (orgField as string[]) : typeof orgField === "string" ? [orgField] : [];
    const enterprise =
      typeof event.business === "string"
        ? event.business
        : (orgs.map((o) => this.org(o)?.enterprise).find((e): e is string => typeof e === "string") ?? null);
    const record: AuditRecord = {
      event,
      at,
      visibleAt: at + (options.lateByMs ?? 0),
      seq: this.#auditSeq++,
      git: options.git ?? event.action?.startsWith("git.") ?? false,
      orgs,
      enterprise,
    };
    const list = this.audit;
    if (list.length === 0 || list[list.length - 1]!.at <= at) {
      list.push(record);
    } else {
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (list[mid]!.at <= at) lo = mid + 1;
        else hi = mid;
      }
      list.splice(lo, 0, record);
    }
    this.touch();
    return record;
  }

  /** Subscribe to alert changes (the simulator's audit writer and webhook sender do). */
  onAlertChange(listener: AlertChangeListener): () => void {
    this.#alertListeners.push(listener);
    return () => {
      const i = this.#alertListeners.indexOf(listener);
      if (i >= 0) this.#alertListeners.splice(i, 1);
    };
  }

  /** Every mutation of an alert (API PATCH, simulator) ends here. */
  alertChanged(change: AlertChange): void {
    this.touch();
    for (const listener of this.#alertListeners) listener(change);
  }

  addToken(token: EmuToken): void {
    this.tokens.set(token.token, token);
  }

  addWebhook(target: Omit<WebhookTarget, "hookId">): WebhookTarget {
    const hook = { ...target, hookId: this.nextId() };
    this.webhooks.push(hook);
    return hook;
  }
}
