// Sigma search identifiers -> predicates over a raw audit event: field lists, value modifiers, wildcards, null,
// lists (OR) and maps (AND), keywords. Semantics from https://sigmahq.io/docs/basics/rules.html and modifiers.html.
import { asText, rawGetter, scalars, type Json } from "./fields.js";
import { parseWildcards } from "./patterns.js";
import type { ActionFilter } from "./types.js";

export class SigmaUnsupported extends Error {}

export interface CompiledSearch {
  test(raw: Json): boolean;
  action: ActionFilter;
}

type ValueTest = (value: unknown) => boolean;

const TEXT_MODES = new Set(["contains", "startswith", "endswith"]);
const REGEX_FLAGS: Readonly<Record<string, string>> = { i: "i", ignorecase: "i", m: "m", multiline: "m", s: "s", dotall: "s" };
const COMPARE = new Set(["gt", "gte", "lt", "lte"]);
const KNOWN = new Set([...TEXT_MODES, "re", "all", "exists", "cased", ...COMPARE, ...Object.keys(REGEX_FLAGS)]);

/** `(?i)` and friends at the start of a PCRE pattern become JavaScript flags. */
function regexOf(pattern: string, flags: Set<string>): RegExp {
  let p = pattern;
  for (let m = /^\(\?([ims]+)\)/.exec(p); m !== null; m = /^\(\?([ims]+)\)/.exec(p)) {
    for (const f of m[1]!) flags.add(f);
    p = p.slice(m[0].length);
  }
  try {
    return new RegExp(p, [...flags].join(""));
  } catch (err) {
    throw new SigmaUnsupported(`invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

/** One expected value -> a test on one scalar of the event. */
function expectedTest(expected: unknown, mods: readonly string[]): ValueTest {
  const has = (m: string) => mods.includes(m);
  if (has("re")) {
    if (typeof expected !== "string") throw new SigmaUnsupported("|re needs a string value");
    const re = regexOf(expected, new Set(mods.filter((m) => m in REGEX_FLAGS).map((m) => REGEX_FLAGS[m]!)));
    return (v) => {
      const s = asText(v);
      return s !== null && re.test(s);
    };
  }
  const cmp = mods.find((m) => COMPARE.has(m));
  if (cmp !== undefined) {
    const n = Number(expected);
    if (!Number.isFinite(n)) throw new SigmaUnsupported(`|${cmp} needs a number, got ${JSON.stringify(expected)}`);
    return (v) => {
      const x = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
      return cmp === "gt" ? x > n : cmp === "gte" ? x >= n : cmp === "lt" ? x < n : x <= n;
    };
  }
  const text = asText(expected);
  if (text === null) throw new SigmaUnsupported(`unsupported value ${JSON.stringify(expected)}`);
  const cased = has("cased");
  const mode = mods.find((m) => TEXT_MODES.has(m)) ?? "equals";
  const w = parseWildcards(text, typeof expected === "string");
  if (w.literal !== null) {
    const lit = cased ? w.literal : w.literal.toLowerCase();
    const fold = cased ? (s: string) => s : (s: string) => s.toLowerCase();
    const op =
      mode === "contains" ? (s: string) => s.includes(lit)
      : mode === "startswith" ? (s: string) => s.startsWith(lit)
      : mode === "endswith" ? (s: string) => s.endsWith(lit)
      : (s: string) => s === lit;
    return (v) => {
      const s = asText(v);
      return s !== null && op(fold(s));
    };
  }
  const source = mode === "contains" ? w.source : mode === "startswith" ? `^${w.source}` : mode === "endswith" ? `${w.source}$` : `^${w.source}$`;
  const re = new RegExp(source, cased ? "s" : "is");
  return (v) => {
    const s = asText(v);
    return s !== null && re.test(s);
  };
}

/** `field|mod|mod: value(s)` -> a test on the field's value, and the field name. */
function fieldItem(key: string, value: unknown): { field: string; test: ValueTest; positive: boolean } {
  const [field = "", ...mods] = key.split("|");
  if (field === "") throw new SigmaUnsupported(`"${key}": a field name is needed before modifiers`);
  for (const m of mods) {
    if (!KNOWN.has(m)) throw new SigmaUnsupported(`modifier |${m} is not supported`);
  }
  if (mods.includes("exists")) {
    if (typeof value !== "boolean") throw new SigmaUnsupported(`${key} needs true or false`);
    return { field, test: (v) => (scalars(v).length > 0) === value, positive: value };
  }
  const values = Array.isArray(value) ? (value as unknown[]) : [value];
  if (values.length === 0) throw new SigmaUnsupported(`${key} has an empty list of values`);
  const all = mods.includes("all");
  const tests = values.map((e): ValueTest => (e === null ? (v) => scalars(v).length === 0 : nonNull(expectedTest(e, mods))));
  const positive = !values.includes(null);
  if (tests.length === 1) return { field, test: tests[0]!, positive };
  return { field, test: all ? (v) => tests.every((t) => t(v)) : (v) => tests.some((t) => t(v)), positive };
}

/** A non-null expectation holds when any scalar of the field (arrays: any element) satisfies it. */
function nonNull(t: ValueTest): ValueTest {
  return (v) => {
    if (Array.isArray(v)) return v.some((x) => t(x));
    return v !== undefined && v !== null && t(v);
  };
}

function compileMap(map: Json): CompiledSearch {
  const items = Object.entries(map).map(([k, v]) => ({ ...fieldItem(k, v), get: rawGetter(k.split("|")[0]!) }));
  const filters = items.filter((i) => i.field === "action" && i.positive).map((i) => i.test);
  const action: ActionFilter = filters.length === 0 ? null : (a) => filters.every((f) => f(a));
  return { test: (raw) => items.every((i) => i.test(i.get(raw))), action };
}

/** Keywords: a value anywhere in the event contains the text (case-insensitive, wildcards allowed). */
function compileKeywords(words: unknown[]): CompiledSearch {
  const tests = words.map((w) => expectedTest(w, ["contains"]));
  const anyText = (v: unknown, depth: number): boolean => {
    if (v === null || v === undefined || depth > 8) return false;
    if (typeof v === "object") return Object.values(v as Json).some((x) => anyText(x, depth + 1));
    return tests.some((t) => t(v));
  };
  return { test: (raw) => anyText(raw, 0), action: null };
}

export function compileSearch(name: string, value: unknown): CompiledSearch {
  const isMap = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
  if (isMap(value)) return compileMap(value);
  if (Array.isArray(value) && value.length > 0) {
    if (value.every(isMap)) {
      const maps = value.map(compileMap);
      const action: ActionFilter = maps.some((m) => m.action === null) ? null : (a) => maps.some((m) => m.action!(a));
      return { test: (raw) => maps.some((m) => m.test(raw)), action };
    }
    if (value.every((v) => !isMap(v) && !Array.isArray(v) && v !== null)) return compileKeywords(value);
    throw new SigmaUnsupported(`search "${name}" mixes maps and keywords`);
  }
  if (typeof value === "string" || typeof value === "number") return compileKeywords([value]);
  throw new SigmaUnsupported(`search "${name}" must be a map, a list of maps or a list of keywords`);
}
