// DetectionHit -> the store's DetectionInput (src/store/detections.ts), keeping the rule's attribution in details.
import type { AuditEventRecord } from "../core/records.js";
import type { AuditEventRef } from "../store/audit-events.js";
import type { DetectionInput } from "../store/detections.js";
import type { DetectionHit } from "./types.js";

/** What `details` holds for every detection the rules engine raises. */
export interface DetectionDetails {
  source: DetectionHit["source"];
  references: readonly string[];
  tags: readonly string[];
  author: string | null;
  /** The action of the matched event, for lists that do not load the event. */
  action: string;
}

/**
 * One hit on one event as a row for `store.detections.insert`. Pass the stored event's ref when the store keys the
 * event differently from `record.id` (events without a `_document_id`); the default ref is (record.id, timestamp).
 */
export function toDetectionInput(hit: DetectionHit, record: AuditEventRecord, ref?: AuditEventRef): DetectionInput {
  const event = ref ?? { id: record.id, at: Date.parse(record.timestamp) };
  const details: DetectionDetails = { source: hit.source, references: hit.references, tags: hit.tags, author: hit.author, action: record.action };
  return { ruleId: hit.ruleId, ruleTitle: hit.ruleTitle, level: hit.level, severity: hit.severity, events: [event], at: event.at, details };
}
