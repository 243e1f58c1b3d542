// The store's tables as Kysely sees them (snake_case, one interface per table); docs/store.md explains each column.
//
// Conventions shared by every table, on SQLite and PostgreSQL alike:
// - every time is an integer: milliseconds since the Unix epoch, UTC (`bigint` column);
// - JSON is stored as text, exactly as written by `JSON.stringify` (or as received for `raw`);
// - booleans are integers 0/1;
// - `seq` is the record's position in the one monotonic record sequence (see outbox.ts); it changes when the
//   record changes, so "records after position N" always yields the latest version of each record once.
export type AuditScope = "org" | "enterprise";
export type AlertKind = "code_scanning" | "dependabot" | "secret_scanning";
export type AlertEventSource = "poll" | "webhook" | "audit_log";
export type WebhookStatus = "pending" | "processed" | "failed" | "ignored";

export interface AuditEventsTable {
  /** Position in the record sequence; the rowid on SQLite, so inserts append. */
  seq: number;
  /** GitHub's `_document_id`, or `h_` + a content hash when it is absent (ids.ts). Unique together with `at`. */
  id: string;
  scope: AuditScope;
  /** The org or enterprise slug the event was collected from. */
  scope_name: string;
  action: string;
  actor: string | null;
  /** GitHub's `user` field (the affected user); renamed because `user` is reserved in PostgreSQL. */
  user_login: string | null;
  org: string | null;
  /** `owner/name`. */
  repo: string | null;
  /** `@timestamp`: when the event happened. */
  at: number;
  /** GitHub's `created_at`: when it was recorded. */
  created_at: number | null;
  country: string | null;
  operation_type: string | null;
  severity: string | null;
  raw: string;
  normalized: string;
  first_seen: number;
}

export interface AlertsTable {
  /** `kind:repo_id:number` (ids.ts): survives repository renames and transfers. */
  id: string;
  kind: AlertKind;
  /** `owner/name` when last seen. */
  repository: string;
  repo_id: number;
  number: number;
  state: string;
  /** GitHub's own severity (critical/high/medium/low, or error/warning/note). */
  severity: string | null;
  risk_level: string | null;
  risk_score: number | null;
  created_at: number;
  updated_at: number | null;
  closed_at: number | null;
  closed_by: string | null;
  reason: string | null;
  comment: string | null;
  /** Code scanning rule id, or the advisory's GHSA id for Dependabot. */
  rule: string | null;
  tool: string | null;
  package: string | null;
  ecosystem: string | null;
  secret_type: string | null;
  /** File path of the most recent location or manifest. */
  location: string | null;
  url: string | null;
  raw: string;
  normalized: string;
  first_seen: number;
  last_seen: number;
  missing_since: number | null;
  seq: number;
}

export interface AlertEventsTable {
  /** Hash of (alert_id, to_state, at): re-recording the same transition is a no-op. */
  id: string;
  alert_id: string;
  kind: AlertKind;
  repository: string;
  number: number;
  from_state: string | null;
  to_state: string;
  at: number;
  actor: string | null;
  reason: string | null;
  comment: string | null;
  source: AlertEventSource;
  /** Webhook delivery id, audit-log `_document_id`, or poll stream name. */
  source_ref: string | null;
  recorded_at: number;
  seq: number;
}

export interface RepositoriesTable {
  /** GitHub's numeric repository id. */
  id: number;
  full_name: string;
  owner: string;
  name: string;
  visibility: string | null;
  archived: number;
  fork: number;
  default_branch: string | null;
  /** JSON: `security_and_analysis` feature flags plus alert-feature availability seen while polling. */
  security: string;
  raw: string;
  first_seen: number;
  last_seen: number;
  missing_since: number | null;
  seq: number;
}

export interface CheckpointsTable {
  stream: string;
  /** JSON. */
  cursor: string;
  updated_at: number;
}

export interface EtagsTable {
  stream: string;
  url: string;
  etag: string;
  last_modified: string | null;
  /** The page's `next` link when it was fetched (migration 0002), so a 304 can continue the walk. */
  next: string | null;
  updated_at: number;
}

export interface WebhookDeliveriesTable {
  /** `X-GitHub-Delivery`. */
  id: string;
  event: string;
  action: string | null;
  hook_id: string | null;
  received_at: number;
  /** JSON object of the request headers (lower-case names). */
  headers: string;
  /** The request body exactly as received. */
  body: string;
  status: WebhookStatus;
  attempts: number;
  error: string | null;
  processed_at: number | null;
  /** A pending delivery whose last attempt failed: not tried again before this time (migration 0003). */
  next_attempt_at: number | null;
}

export interface SequencesTable {
  name: string;
  value: number;
}

export interface SinkPositionsTable {
  sink: string;
  position: number;
  updated_at: number;
}

export interface LeasesTable {
  name: string;
  holder: string;
  /** Fencing token: grows by one each time the lease changes hands. */
  generation: number;
  acquired_at: number;
  expires_at: number;
}

export interface DetectionsTable {
  /** Hash of rule id and matched event ids (ids.ts): a rule re-run on the same events adds nothing. */
  id: string;
  rule_id: string;
  rule_title: string;
  level: string;
  severity: string | null;
  /** JSON array of the matched audit events as `{id, at}`: (at, id) is how audit events are keyed. */
  events: string;
  /** Time of the last matched event. */
  at: number;
  /** JSON with whatever the rule wants to show (fields, counts). */
  details: string;
  created_at: number;
  seq: number;
}

export interface Database {
  audit_events: AuditEventsTable;
  alerts: AlertsTable;
  alert_events: AlertEventsTable;
  repositories: RepositoriesTable;
  checkpoints: CheckpointsTable;
  etags: EtagsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  sequences: SequencesTable;
  sink_positions: SinkPositionsTable;
  leases: LeasesTable;
  detections: DetectionsTable;
}
