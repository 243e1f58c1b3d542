// Reading a field by dotted path from an audit event: from the normalized record, or from `raw` as GitHub sent it.
import { AuditEventRecord } from "../core/records.js";

export type Json = Record<string, unknown>;

/** The record's own top-level fields (`action`, `actor`, `repository`, `severity`, `tags`, `raw` ...). */
export const RECORD_FIELDS: ReadonlySet<string> = new Set(Object.keys(AuditEventRecord.shape));

/** Follows `segments` through objects; arrays on the way are searched element by element (values flattened). */
export function walk(value: unknown, segments: readonly string[], from = 0): unknown {
  let v = value;
  for (let i = from; i < segments.length; i++) {
    if (v === null || typeof v !== "object") return undefined;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const x of v) {
        const y = walk(x, segments, i);
        if (Array.isArray(y)) out.push(...(y as unknown[]));
        else if (y !== undefined) out.push(y);
      }
      return out.length === 0 ? undefined : out;
    }
    v = (v as Json)[segments[i]!];
  }
  return v;
}

/**
 * A getter for a raw event field: the key itself when the event has it (`@timestamp`, keys that contain dots),
 * else the dotted path (`actor_location.country_code`, `data.team`).
 */
export function rawGetter(name: string): (raw: Json) => unknown {
  const segments = name.split(".");
  if (segments.length === 1) return (raw) => raw[name];
  return (raw) => (name in raw ? raw[name] : walk(raw, segments));
}

/** What a user rule's `field:` reads besides the record itself: the severity and tags decided so far. */
export interface FieldView {
  record: AuditEventRecord;
  severity: string;
  tags: readonly string[];
}

/**
 * A getter for a user rule's `field:`. The first segment picks the record field when there is one (`actor`,
 * `repository`, `raw.visibility`), else the path is read from `raw` (`visibility` = `raw.visibility`).
 * `severity` and `tags` are the values decided so far by built-in rules and earlier user rules.
 */
export function viewGetter(path: string): (view: FieldView) => unknown {
  const segments = path.split(".");
  const head = segments[0]!;
  if (path === "severity") return (v) => v.severity;
  if (path === "tags") return (v) => v.tags;
  if (head === "raw") {
    const rest = segments.slice(1).join(".");
    if (rest === "") return (v) => v.record.raw;
    const get = rawGetter(rest);
    return (v) => get(v.record.raw);
  }
  if (RECORD_FIELDS.has(head)) {
    if (segments.length === 1) return (v) => (v.record as unknown as Json)[head];
    return (v) => walk(v.record, segments);
  }
  const get = rawGetter(path);
  return (v) => get(v.record.raw);
}

/** Scalars of a value: arrays give their elements, null/undefined give nothing. */
export function scalars(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Text form used to compare: strings as they are, numbers and booleans written out, objects not comparable. */
export function asText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return null;
}
