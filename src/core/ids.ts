// Content-derived ids, shared by the normalizer and the store so the same GitHub fact always gets one id.
import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level (undefined members dropped), so equal content gives equal text. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) {
    let out = "[";
    for (let i = 0; i < v.length; i++) out += (i === 0 ? "" : ",") + (v[i] === undefined ? "null" : canonicalJson(v[i]));
    return `${out}]`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  let out = "{";
  for (const k of keys) {
    const x = o[k];
    if (x !== undefined) out += (out.length === 1 ? "" : ",") + JSON.stringify(k) + ":" + canonicalJson(x);
  }
  return `${out}}`;
}

/** An audit event's id: GitHub's `_document_id`, or for older/exported events without one `sha256:` + hex SHA-256 of its canonical JSON. */
export function auditDocumentId(raw: Record<string, unknown>): string {
  const id = raw["_document_id"];
  if (typeof id === "string" && id !== "") return id;
  return `sha256:${createHash("sha256").update(canonicalJson(raw)).digest("hex")}`;
}
