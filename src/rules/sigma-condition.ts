// Sigma `condition:` expressions: and/or/not, parentheses, `1 of x*`, `all of x*`, `1 of them`, `all of them`.
// Precedence as in Sigma: not > and > or. Aggregations (`| count() ...`) are not supported.
import type { Json } from "./fields.js";
import { SigmaUnsupported, type CompiledSearch } from "./sigma-detection.js";
import type { ActionFilter } from "./types.js";

type Node =
  | { k: "id"; name: string }
  | { k: "and" | "or"; parts: Node[] }
  | { k: "not"; x: Node }
  | { k: "of"; count: number | "all"; pattern: string };

const TOKEN = /\s*(\(|\)|\||[^\s()|]+)/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text);
    if (m === null) break;
    out.push(m[1]!);
  }
  return out;
}

function parse(text: string): Node {
  const tokens = tokenize(text.trim());
  let i = 0;
  const peek = () => tokens[i]?.toLowerCase();
  const fail = (msg: string): never => {
    throw new SigmaUnsupported(`condition "${text}": ${msg}`);
  };
  const expr = (): Node => {
    const parts = [term()];
    while (peek() === "or") {
      i++;
      parts.push(term());
    }
    return parts.length === 1 ? parts[0]! : { k: "or", parts };
  };
  const term = (): Node => {
    const parts = [factor()];
    while (peek() === "and") {
      i++;
      parts.push(factor());
    }
    return parts.length === 1 ? parts[0]! : { k: "and", parts };
  };
  const factor = (): Node => {
    const t = tokens[i];
    const low = t?.toLowerCase();
    if (t === undefined || low === undefined) return fail("ends too early");
    if (low === "|") return fail("aggregations (| count() ...) are not supported");
    i++;
    if (low === "not") return { k: "not", x: factor() };
    if (t === "(") {
      const inner = expr();
      if (tokens[i] !== ")") fail("missing )");
      i++;
      return inner;
    }
    if (peek() === "of") {
      i++;
      const target = tokens[i++];
      if (target === undefined) return fail(`"${t} of" needs a name pattern or "them"`);
      const count = low === "all" ? "all" : low === "any" ? 1 : /^[1-9]\d*$/.test(t) ? Number(t) : fail(`"${t} of": expected 1, any or all`);
      return { k: "of", count, pattern: target };
    }
    if (t === ")" || ["and", "or", "of"].includes(low)) fail(`unexpected "${t}"`);
    return { k: "id", name: t };
  };
  const node = expr();
  if (i < tokens.length) fail(tokens[i] === "|" ? "aggregations (| count() ...) are not supported" : `unexpected "${tokens[i]}"`);
  return node;
}

function namesFor(pattern: string, searches: ReadonlyMap<string, CompiledSearch>): string[] {
  if (pattern.toLowerCase() === "them") return [...searches.keys()].filter((n) => !n.startsWith("_"));
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".")}$`);
  return [...searches.keys()].filter((n) => re.test(n));
}

interface Compiled {
  test(raw: Json): boolean;
  action: ActionFilter;
}

const both = (fs: ActionFilter[]): ActionFilter => {
  const real = fs.filter((f): f is (a: string) => boolean => f !== null);
  return real.length === 0 ? null : (a) => real.every((f) => f(a));
};
const either = (fs: ActionFilter[]): ActionFilter => (fs.some((f) => f === null) ? null : (a) => fs.some((f) => f!(a)));

function build(node: Node, searches: ReadonlyMap<string, CompiledSearch>, text: string): Compiled {
  switch (node.k) {
    case "id": {
      const s = searches.get(node.name);
      if (!s) throw new SigmaUnsupported(`condition "${text}" names "${node.name}", which the detection does not define`);
      return s;
    }
    case "not": {
      const x = build(node.x, searches, text);
      return { test: (raw) => !x.test(raw), action: null };
    }
    case "and":
    case "or": {
      const parts = node.parts.map((p) => build(p, searches, text));
      if (node.k === "and") return { test: (raw) => parts.every((p) => p.test(raw)), action: both(parts.map((p) => p.action)) };
      return { test: (raw) => parts.some((p) => p.test(raw)), action: either(parts.map((p) => p.action)) };
    }
    case "of": {
      const parts = namesFor(node.pattern, searches).map((n) => searches.get(n)!);
      if (parts.length === 0) throw new SigmaUnsupported(`condition "${text}": no search matches "${node.pattern}"`);
      if (node.count === "all") return { test: (raw) => parts.every((p) => p.test(raw)), action: both(parts.map((p) => p.action)) };
      const need = node.count;
      if (need > parts.length) throw new SigmaUnsupported(`condition "${text}": ${need} of ${parts.length} searches can never match`);
      const test = need === 1
        ? (raw: Json) => parts.some((p) => p.test(raw))
        : (raw: Json) => {
          let n = 0;
          for (const p of parts) if (p.test(raw) && ++n >= need) return true;
          return false;
        };
      return { test, action: either(parts.map((p) => p.action)) };
    }
  }
}

/** Compiles one condition (or Sigma's legacy list of conditions, which means any of them). */
export function compileCondition(condition: string | readonly string[], searches: ReadonlyMap<string, CompiledSearch>): Compiled {
  const texts = typeof condition === "string" ? [condition] : condition;
  const parts = texts.map((t) => build(parse(t), searches, t));
  if (parts.length === 1) return parts[0]!;
  return { test: (raw) => parts.some((p) => p.test(raw)), action: either(parts.map((p) => p.action)) };
}

/** Parses without compiling (exported for tests). */
export const parseSigmaCondition = parse;
