// One "records of this kind in (after, upTo], by position" query per sequenced table, for outbox.ts.
import type { Kysely } from "kysely";
import { rowToAlert, type Alert } from "./alert-rows.js";
import { toAlertEvent, type AlertEvent } from "./alert-events.js";
import { toAuditEvent, type AuditEvent } from "./audit-events.js";
import { toDetection, type Detection } from "./detections.js";
import { toRepository, type Repository } from "./repo-inventory.js";
import type { Database } from "./schema.js";

export type OutboxRecord =
  | { kind: "audit_event"; position: number; record: AuditEvent }
  | { kind: "alert"; position: number; record: Alert }
  | { kind: "alert_event"; position: number; record: AlertEvent }
  | { kind: "detection"; position: number; record: Detection }
  | { kind: "repository"; position: number; record: Repository };

export type RecordKind = OutboxRecord["kind"];

type Reader = (db: Kysely<Database>, after: number, upTo: number, limit: number) => Promise<OutboxRecord[]>;

export const auditEventsAfter: Reader = async (db, after, upTo, limit) => {
  const rows = await db
    .selectFrom("audit_events")
    .selectAll()
    .where("seq", ">", after)
    .where("seq", "<=", upTo)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ kind: "audit_event", position: Number(r.seq), record: toAuditEvent(r) }));
};

export const alertsAfter: Reader = async (db, after, upTo, limit) => {
  const rows = await db
    .selectFrom("alerts")
    .selectAll()
    .where("seq", ">", after)
    .where("seq", "<=", upTo)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ kind: "alert", position: Number(r.seq), record: rowToAlert(r) }));
};

export const alertEventsAfter: Reader = async (db, after, upTo, limit) => {
  const rows = await db
    .selectFrom("alert_events")
    .selectAll()
    .where("seq", ">", after)
    .where("seq", "<=", upTo)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ kind: "alert_event", position: Number(r.seq), record: toAlertEvent(r) }));
};

export const detectionsAfter: Reader = async (db, after, upTo, limit) => {
  const rows = await db
    .selectFrom("detections")
    .selectAll()
    .where("seq", ">", after)
    .where("seq", "<=", upTo)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ kind: "detection", position: Number(r.seq), record: toDetection(r) }));
};

export const repositoriesAfter: Reader = async (db, after, upTo, limit) => {
  const rows = await db
    .selectFrom("repositories")
    .selectAll()
    .where("seq", ">", after)
    .where("seq", "<=", upTo)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ kind: "repository", position: Number(r.seq), record: toRepository(r) }));
};
