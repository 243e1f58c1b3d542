// The one normalized event schema every ghaudit record follows (documented in docs/schema.md).
// A union on `kind`; the zod schemas are the source of the types and validate normalizer output in tests.
import { z } from "zod";

export const RISK_LEVELS = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const ALERT_KINDS = ["code_scanning", "dependabot", "secret_scanning"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const CHANGE_SOURCES = ["poll", "webhook", "audit_log"] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

/** ISO 8601 UTC with a `Z` (milliseconds optional). */
const isoUtc = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, "ISO 8601 UTC timestamp");

const base = {
  /** Stable id: the same GitHub fact always gets the same id (outbox and dedupe rely on it). */
  id: z.string().min(1),
  source: z.literal("github"),
  category: z.literal("vcs"),
  /** When it happened at GitHub. */
  timestamp: isoUtc,
  org: z.string().nullable(),
  enterprise: z.string().nullable(),
  /** `owner/name`. */
  repository: z.string().nullable(),
  actor: z.string().nullable(),
};

export const AuditEventRecord = z.object({
  ...base,
  kind: z.literal("audit_event"),
  event_type: z.literal("AUDIT_LOG"),
  action: z.string(),
  /** GitHub's `_document_id` (or a content hash when GitHub sent none). */
  document_id: z.string(),
  user: z.string().nullable(),
  country_code: z.string().nullable(),
  operation_type: z.string().nullable(),
  /** Assigned by rules; `INFO` until a rule says otherwise. */
  severity: z.enum(RISK_LEVELS),
  tags: z.array(z.string()),
  /** The event exactly as GitHub returned it. */
  raw: z.record(z.string(), z.unknown()),
});
export type AuditEventRecord = z.infer<typeof AuditEventRecord>;

export const AlertDetails = z.object({
  tool: z.string().nullable(),
  rule_id: z.string().nullable(),
  rule_name: z.string().nullable(),
  cwe: z.array(z.string()),
  ecosystem: z.string().nullable(),
  dependency_scope: z.string().nullable(),
  dependency_relationship: z.string().nullable(),
  ghsa_id: z.string().nullable(),
  cve_id: z.string().nullable(),
  epss_percentage: z.number().nullable(),
  epss_percentile: z.number().nullable(),
  secret_type: z.string().nullable(),
  secret_type_display_name: z.string().nullable(),
  validity: z.string().nullable(),
  publicly_leaked: z.boolean().nullable(),
  push_protection_bypassed: z.boolean().nullable(),
  push_protection_bypassed_by: z.string().nullable(),
  push_protection_bypassed_at: isoUtc.nullable(),
  /** Dependabot: CVSS v4 score when GitHub has one, else v3, else the legacy `cvss` (removed in API 2026-03-10).
   * Optional in the type only so hand-built records stay valid; the normalizers always set them. */
  cvss_score: z.number().nullable().optional(),
  cvss_vector: z.string().nullable().optional(),
});
export type AlertDetails = z.infer<typeof AlertDetails>;

export const Artifact = z.object({
  repository: z.string().nullable(),
  path: z.string().nullable(),
  package_name: z.string().nullable(),
  vulnerable_version_range: z.string().nullable(),
  first_patched_version: z.string().nullable(),
});

export const FindingRecord = z.object({
  ...base,
  kind: z.literal("alert"),
  event_type: z.literal("VULNERABILITY_FINDING"),
  alert_kind: z.enum(ALERT_KINDS),
  number: z.number().int(),
  /** GitHub's own state value (`open`, `dismissed`, `fixed`, `auto_dismissed`, `resolved`). */
  state: z.string(),
  open: z.boolean(),
  risk_level: z.enum(RISK_LEVELS),
  risk_score: z.number(),
  /** GitHub's own severity word (`critical`, `error`, `warning`, ...) or null for secrets. */
  severity_raw: z.string().nullable(),
  title: z.string(),
  html_url: z.string().nullable(),
  created_at: isoUtc,
  updated_at: isoUtc.nullable(),
  closed_at: isoUtc.nullable(),
  closed_by: z.string().nullable(),
  close_reason: z.string().nullable(),
  close_comment: z.string().nullable(),
  artifact: Artifact,
  github: AlertDetails,
  raw: z.record(z.string(), z.unknown()),
});
export type FindingRecord = z.infer<typeof FindingRecord>;

export const ScanRecord = z.object({
  ...base,
  kind: z.literal("coverage"),
  event_type: z.literal("VULNERABILITY_SCAN"),
  repository_id: z.number().int(),
  visibility: z.string().nullable(),
  archived: z.boolean(),
  default_branch: z.string().nullable(),
  /** Feature -> enabled; null when the token cannot see `security_and_analysis`. */
  features: z.record(z.string(), z.boolean()).nullable(),
  raw: z.record(z.string(), z.unknown()),
});
export type ScanRecord = z.infer<typeof ScanRecord>;

export const StateChangeRecord = z.object({
  ...base,
  kind: z.literal("alert_state_change"),
  event_type: z.literal("ALERT_STATE_CHANGE"),
  alert_id: z.string(),
  alert_kind: z.enum(ALERT_KINDS),
  number: z.number().int(),
  from_state: z.string().nullable(),
  to_state: z.string(),
  reason: z.string().nullable(),
  comment: z.string().nullable(),
  change_source: z.enum(CHANGE_SOURCES),
  /** Delivery id, `_document_id` or poll run that saw it. */
  source_ref: z.string().nullable(),
});
export type StateChangeRecord = z.infer<typeof StateChangeRecord>;

export const GhauditRecord = z.discriminatedUnion("kind", [AuditEventRecord, FindingRecord, ScanRecord, StateChangeRecord]);
export type GhauditRecord = z.infer<typeof GhauditRecord>;

/** Stable id of an alert across polls, webhooks and audit events. */
export function alertId(kind: AlertKind, repository: string, number: number): string {
  return `${kind}:${repository.toLowerCase()}#${number}`;
}
