// Defensive readers for GitHub JSON: real payloads drift from the spec, so every field is read as `unknown`.

/** A JSON object as GitHub sent it. */
export type JsonObject = Record<string, unknown>;

export function obj(v: unknown): JsonObject | null {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonObject) : null;
}

/** A non-empty string, else null (GitHub sends `""` for "none" in a few audit fields). */
export function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}

/** A finite number; numeric strings such as EPSS's `"0.16001e0"` are parsed. */
export function num(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

export function bool(v: unknown): boolean | null {
  return typeof v === "boolean" ? v : null;
}

/** A user reference: a `simple-user` object (its `login`) or, in older payloads, a bare login string. */
export function login(v: unknown): string | null {
  if (typeof v === "string") return str(v);
  const o = obj(v);
  return o === null ? null : str(o.login);
}

/** `a.b.c` without optional-chaining through `unknown`. */
export function path(v: unknown, ...keys: string[]): unknown {
  let cur: unknown = v;
  for (const k of keys) {
    const o = obj(cur);
    if (o === null) return undefined;
    cur = o[k];
  }
  return cur;
}

export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Lower-cased string, for GitHub's enum words that differ in case by surface (REST `open`, GraphQL `OPEN`). */
export function lower(v: unknown): string | null {
  const s = str(v);
  return s === null ? null : s.toLowerCase();
}
