// Text patterns shared by user and Sigma rules: globs with `*` and `?`, and Sigma's escaped wildcards.

/** Escapes every RegExp metacharacter. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** A value split into literal text and wildcards; `\*`, `\?` and `\\` are literal (Sigma's escaping rules). */
export interface WildcardValue {
  /** The value with escapes resolved, when it has no wildcard. */
  literal: string | null;
  /** RegExp source for the value, wildcards as `.*` and `.`, unanchored. */
  source: string;
}

/**
 * Parses Sigma wildcards. A backslash escapes only `*`, `?` and a backslash; anywhere else it is a plain
 * backslash (so Windows paths need no doubling), as https://sigmahq.io/docs/basics/modifiers.html describes.
 */
export function parseWildcards(value: string, wildcards = true): WildcardValue {
  let literal = "";
  let source = "";
  let plain = true;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    const next = value[i + 1];
    if (c === "\\" && (next === "*" || next === "?" || next === "\\")) {
      literal += next;
      source += escapeRegExp(next);
      i++;
    } else if (wildcards && (c === "*" || c === "?")) {
      plain = false;
      source += c === "*" ? ".*" : ".";
    } else {
      literal += c;
      source += escapeRegExp(c);
    }
  }
  return { literal: plain ? literal : null, source };
}

/** A glob (`*` any text including dots, `?` one character) as an anchored, case-insensitive RegExp. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${parseWildcards(glob).source}$`, "is");
}

export function hasWildcard(s: string): boolean {
  return parseWildcards(s).literal === null;
}

/** How a user rule names actions. Strings with `*` or `?` are globs, others exact names. */
export interface ActionSpec {
  exact?: readonly string[];
  prefix?: readonly string[];
  glob?: readonly string[];
}

/** One case-insensitive test for a set of exact names, prefixes and globs. */
export function compileActionSpec(spec: ActionSpec): (action: string) => boolean {
  const exact = new Set((spec.exact ?? []).map((s) => s.toLowerCase()));
  const prefixes = (spec.prefix ?? []).map((s) => s.toLowerCase());
  const globs = (spec.glob ?? []).map(globToRegExp);
  return (action) => {
    const a = action.toLowerCase();
    if (exact.has(a)) return true;
    for (const p of prefixes) if (a.startsWith(p)) return true;
    for (const g of globs) if (g.test(a)) return true;
    return false;
  };
}
