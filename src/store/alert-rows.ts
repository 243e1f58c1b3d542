// The stored alert as the rest of ghaudit sees it (camelCase, JSON parsed), and the row mapping.
import type { Selectable } from "kysely";
import { parseJson } from "./context.js";
import type { AlertKind, AlertsTable } from "./schema.js";

export interface Alert {
  id: string;
  kind: AlertKind;
  repository: string;
  repoId: number;
  number: number;
  state: string;
  severity: string | null;
  riskLevel: string | null;
  riskScore: number | null;
  createdAt: number;
  updatedAt: number | null;
  closedAt: number | null;
  closedBy: string | null;
  reason: string | null;
  comment: string | null;
  rule: string | null;
  tool: string | null;
  package: string | null;
  ecosystem: string | null;
  secretType: string | null;
  location: string | null;
  url: string | null;
  raw: unknown;
  normalized: unknown;
  firstSeen: number;
  lastSeen: number;
  missingSince: number | null;
  /** Record position of the latest change. */
  seq: number;
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

export function rowToAlert(r: Selectable<AlertsTable>): Alert {
  return {
    id: r.id,
    kind: r.kind,
    repository: r.repository,
    repoId: Number(r.repo_id),
    number: Number(r.number),
    state: r.state,
    severity: r.severity,
    riskLevel: r.risk_level,
    riskScore: num(r.risk_score),
    createdAt: Number(r.created_at),
    updatedAt: num(r.updated_at),
    closedAt: num(r.closed_at),
    closedBy: r.closed_by,
    reason: r.reason,
    comment: r.comment,
    rule: r.rule,
    tool: r.tool,
    package: r.package,
    ecosystem: r.ecosystem,
    secretType: r.secret_type,
    location: r.location,
    url: r.url,
    raw: parseJson(r.raw),
    normalized: parseJson(r.normalized),
    firstSeen: Number(r.first_seen),
    lastSeen: Number(r.last_seen),
    missingSince: num(r.missing_since),
    seq: Number(r.seq),
  };
}
