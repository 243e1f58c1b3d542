// Parser and matcher for the audit log's `phrase` search syntax (docs: "Searching the audit log"):
// space-separated `key:value` terms, `-` negation, quoted values; a repeated key ORs its values, different keys AND.
import type { AuditRecord } from "../state/types.js";
import { parseCreated, PhraseSyntaxError, type TimeRange } from "./created.js";

export { PhraseSyntaxError };

/** Which endpoint the phrase is for: the enterprise audit log accepts more qualifiers. */
export type PhraseScope = "org" | "enterprise";

export interface PhraseTerm {
  key: string;
  value: string;
  negated: boolean;
}

export interface ParsedPhrase {
  terms: PhraseTerm[];
  /** A `created:` term lifts the default three-month window. */
  hasCreated: boolean;
  /** Order-independent text identifying the filter (cache key). */
  canonical: string;
}

export type RecordMatcher = (record: AuditRecord) => boolean;

type Compile = (value: string) => RecordMatcher;

const field = (r: AuditRecord, name: string): unknown => (r.event as Record<string, unknown>)[name];

/**
 * A case-insensitive whole-string test. A regular expression, because lower-casing every event's value allocates
 * a string per event and makes scanning a million events several times slower.
 */
const caseless = (value: string, suffix = "$"): RegExp =>
  new RegExp(`^${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${suffix}`, "i");

/** Case-insensitive equality with one of the event's string fields (the first one present). */
const textField =
  (...names: string[]): Compile =>
  (value) => {
    const re = caseless(value);
    return (r) => {
      for (const name of names) {
        const have = field(r, name);
        if (typeof have === "string") return re.test(have);
      }
      return false;
    };
  };

/** Numeric ids; the event field may be a number or an array of numbers (`org_id` on multi-org events). */
const idField =
  (...names: string[]): Compile =>
  (value) => {
    if (!/^\d+$/.test(value)) throw new PhraseSyntaxError(`"${value}" is not a numeric id`);
    const want = Number(value);
    return (r) => {
      for (const name of names) {
        const have = field(r, name);
        if (have === undefined || have === null) continue;
        return Array.isArray(have) ? have.some((v) => Number(v) === want) : Number(have) === want;
      }
      return false;
    };
  };

const QUALIFIERS: Record<string, { compile: Compile; enterpriseOnly?: boolean }> = {
  // `action:repo` is a category (matches `repo.create`, `repo.config.disable_...`); `action:repo.create` is exact.
  action: {
    compile: (value) => {
      const re = caseless(value, "(?:$|\\.)");
      return (r) => {
        const action = r.event.action;
        return typeof action === "string" && re.test(action);
      };
    },
  },
  actor: { compile: textField("actor") },
  user: { compile: textField("user") },
  org: {
    compile: (value) => {
      const re = caseless(value);
      return (r) => r.orgs.some((o) => re.test(o));
    },
  },
  // Must include the owner: `repo:our-repo` matches nothing. Git events name the repository in `repository`.
  repo: { compile: textField("repo", "repository") },
  created: {
    compile: (value) => {
      const { from, to } = parseCreated(value);
      return (r) => r.at >= from && r.at < to;
    },
  },
  country: {
    compile: (value) => {
      const re = caseless(value);
      return (r) => {
        const loc = field(r, "actor_location");
        if (typeof loc !== "object" || loc === null) return false;
        const { country_code: code, country_name: name } = loc as Record<string, unknown>;
        return (typeof code === "string" && re.test(code)) || (typeof name === "string" && re.test(name));
      };
    },
  },
  operation: { compile: textField("operation_type") },
  hashed_token: {
    compile: (value) => {
      let want = value;
      try {
        want = decodeURIComponent(value);
      } catch {
        // not URI-encoded
      }
      return (r) => field(r, "hashed_token") === want;
    },
  },
  business: { compile: textField("business"), enterpriseOnly: true },
  business_id: { compile: idField("business_id"), enterpriseOnly: true },
  actor_id: { compile: idField("actor_id"), enterpriseOnly: true },
  user_id: { compile: idField("user_id"), enterpriseOnly: true },
  repo_id: { compile: idField("repo_id", "repository_id"), enterpriseOnly: true },
  org_id: { compile: idField("org_id"), enterpriseOnly: true },
  oauth_app_id: { compile: idField("oauth_application_id"), enterpriseOnly: true },
  actor_ip: { compile: textField("actor_ip"), enterpriseOnly: true },
};

/** The qualifiers each endpoint accepts. */
export function qualifiersFor(scope: PhraseScope): string[] {
  return Object.keys(QUALIFIERS).filter((k) => scope === "enterprise" || !QUALIFIERS[k]!.enterpriseOnly);
}

function tokenize(text: string): { raw: string; key: string | null; value: string; negated: boolean }[] {
  const out: { raw: string; key: string | null; value: string; negated: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const start = i;
    let negated = false;
    if (text[i] === "-") {
      negated = true;
      i++;
    }
    const keyMatch = /^([A-Za-z_]+):/.exec(text.slice(i));
    if (!keyMatch) {
      while (i < text.length && !/\s/.test(text[i]!)) i++;
      out.push({ raw: text.slice(start, i), key: null, value: "", negated });
      continue;
    }
    i += keyMatch[0].length;
    let value = "";
    // A value is a run of non-space characters, any part of which may be quoted to include spaces.
    while (i < text.length && !/\s/.test(text[i]!)) {
      if (text[i] === '"') {
        const close = text.indexOf('"', i + 1);
        if (close < 0) throw new PhraseSyntaxError(`unterminated quote in "${text.slice(start)}"`);
        value += text.slice(i + 1, close);
        i = close + 1;
      } else {
        value += text[i];
        i++;
      }
    }
    out.push({ raw: text.slice(start, i), key: keyMatch[1]!.toLowerCase(), value, negated });
  }
  return out;
}

/** Parses a phrase for one endpoint; throws PhraseSyntaxError for anything GitHub would reject. */
export function parsePhrase(text: string, scope: PhraseScope): ParsedPhrase {
  const terms: PhraseTerm[] = [];
  for (const token of tokenize(text)) {
    if (token.key === null) {
      // The enterprise UI's explicit AND is the default anyway; anything else is free text, which is not searchable.
      if (token.raw === "AND") continue;
      throw new PhraseSyntaxError(`"${token.raw}" is not a qualifier (use key:value; free text is not searchable)`);
    }
    const q = QUALIFIERS[token.key];
    if (!q || (q.enterpriseOnly && scope !== "enterprise")) {
      throw new PhraseSyntaxError(`unknown qualifier "${token.key}:" (supported: ${qualifiersFor(scope).join(", ")})`);
    }
    if (token.value === "") throw new PhraseSyntaxError(`"${token.raw}" has no value`);
    q.compile(token.value); // validates the value now, so errors surface at parse time
    terms.push({ key: token.key, value: token.value, negated: token.negated });
  }
  const canonical = terms
    .map((t) => `${t.negated ? "-" : ""}${t.key}:${JSON.stringify(t.value)}`)
    .sort()
    .join(" ");
  return { terms, hasCreated: terms.some((t) => t.key === "created"), canonical };
}

/** Builds the predicate: per key, any positive term matches (OR) and no negated term matches; keys AND together. */
export function compilePhrase(phrase: ParsedPhrase): RecordMatcher {
  const groups = new Map<string, { any: RecordMatcher[]; none: RecordMatcher[] }>();
  for (const term of phrase.terms) {
    let group = groups.get(term.key);
    if (!group) groups.set(term.key, (group = { any: [], none: [] }));
    (term.negated ? group.none : group.any).push(QUALIFIERS[term.key]!.compile(term.value));
  }
  const checks: RecordMatcher[] = [];
  for (const { any, none } of groups.values()) {
    if (any.length === 1) checks.push(any[0]!);
    else if (any.length > 1) checks.push((r) => any.some((m) => m(r)));
    for (const m of none) checks.push((r) => !m(r));
  }
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0]!;
  return (r) => {
    for (const check of checks) if (!check(r)) return false;
    return true;
  };
}

/**
 * The smallest `[from, to)` holding every `@timestamp` the phrase can match: the positive `created:` terms are ORed,
 * so their hull; unbounded without one (negated terms only exclude, so they never narrow it).
 */
export function createdSpan(phrase: ParsedPhrase): TimeRange {
  let span: TimeRange | null = null;
  for (const term of phrase.terms) {
    if (term.key !== "created" || term.negated) continue;
    const range = parseCreated(term.value);
    span = span ? { from: Math.min(span.from, range.from), to: Math.max(span.to, range.to) } : range;
  }
  return span ?? { from: -Infinity, to: Infinity };
}
