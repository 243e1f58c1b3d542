// Audit-log events as GitHub writes them: the base field set (actor, org, business, repo) plus late arrival on demand.
import type { FaultInjector } from "../http/faults.js";
import type { EmulatorState } from "../state/state.js";
import type { AuditLogEvent, AuditRecord, EmuOrg, EmuRepo } from "../state/types.js";
import { GITHUB_ACTOR } from "../webhooks/payloads.js";

const BROWSER_AGENT =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export type OperationType = "access" | "authentication" | "create" | "modify" | "remove" | "restore" | "transfer";

export interface AuditInput {
  action: string;
  org: EmuOrg;
  /** Login of the acting user; null for GitHub itself. */
  actor: string | null;
  repo?: EmuRepo;
  operationType: OperationType;
  /** Action-specific fields (alert_number, user, team, ...). */
  fields?: Record<string, unknown>;
  userAgent?: string;
}

/** Builds the event with `@timestamp` = now (epoch ms) and the fields GitHub attaches to (almost) every action. */
export function auditEvent(state: EmulatorState, input: AuditInput): AuditLogEvent {
  const user = input.actor === null ? undefined : state.user(input.actor);
  const event: AuditLogEvent = {
    "@timestamp": state.now(),
    action: input.action,
    actor: input.actor ?? GITHUB_ACTOR.login,
    actor_id: input.actor === null ? GITHUB_ACTOR.id : (user?.id ?? 0),
    actor_is_bot: input.actor === null || user?.type === "Bot",
    operation_type: input.operationType,
    org: input.org.login,
    org_id: input.org.id,
  };
  if (user) {
    event.actor_location = { country_code: user.country.code, country_name: user.country.name } as AuditLogEvent["actor_location"];
    event.user_agent = input.userAgent ?? BROWSER_AGENT;
  }
  const ent = input.org.enterprise ? state.enterprise(input.org.enterprise) : undefined;
  if (ent) {
    event.business = ent.slug;
    event.business_id = ent.id;
  }
  if (input.repo) {
    event.repo = input.repo.fullName;
    event.repo_id = input.repo.id;
    event.public_repo = input.repo.visibility === "public";
    event.visibility = input.repo.visibility;
  }
  return Object.assign(event, input.fields ?? {});
}

/** Records the event, late by `faults.auditDelay()` ms when the fault injector says so. */
export function writeAudit(state: EmulatorState, faults: FaultInjector, input: AuditInput): AuditRecord {
  return state.appendAudit(auditEvent(state, input), { lateByMs: faults.auditDelay() });
}
