// One "records of this kind in (after, upTo], by position" query per sequenced table, for outbox.ts.
import type { Kysely, Selectable } from "kysely";
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

export type Reader = (db: Kysely<Database>, after: number, upTo: number, limit: number) => Promise<OutboxRecord[]>;

/** The tables whose rows carry a position (`seq`) in the record sequence. */
type SequencedTable = "audit_events" | "alerts" | "alert_events" | "detections" | "repositories";

/** A reader of `table`'s rows in (after, upTo] by position, each made into a record of `kind` by `toRecord`. */
function reader<T extends SequencedTable, K extends RecordKind>(
  table: T,
  kind: K,
  toRecord: (row: Selectable<Database[T]>) => Extract<OutboxRecord, { kind: K }>["record"],
): Reader {
  return async (db, after, upTo, limit) => {
    // Kysely cannot type a query over a table given as a type parameter; every sequenced table has `seq`.
    const rows = await (db as unknown as Kysely<Record<SequencedTable, { seq: number }>>)
      .selectFrom(table as SequencedTable)
      .selectAll()
      .where("seq", ">", after)
      .where("seq", "<=", upTo)
      .orderBy("seq")
      .limit(limit)
      .execute();
    return rows.map((r) => ({ kind, position: Number(r.seq), record: toRecord(r as Selectable<Database[T]>) }) as OutboxRecord);
  };
}

export const READERS: Record<RecordKind, Reader> = {
  audit_event: reader("audit_events", "audit_event", toAuditEvent),
  alert: reader("alerts", "alert", rowToAlert),
  alert_event: reader("alert_events", "alert_event", toAlertEvent),
  detection: reader("detections", "detection", toDetection),
  repository: reader("repositories", "repository", toRepository),
};
