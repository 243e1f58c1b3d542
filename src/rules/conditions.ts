// Compiles a user rule's `match:` into a predicate over the event, plus the action filter used to index it.
import { asText, scalars, viewGetter, type FieldView } from "./fields.js";
import { compileActionSpec, hasWildcard } from "./patterns.js";
import type { ActionFilter } from "./types.js";
import type { ActionMatchSpec, ConditionSpec, FieldTestSpec } from "./user-schema.js";

export interface CompiledCondition {
  test(view: FieldView): boolean;
  /** Necessary condition on the action (null: any action may match). */
  action: ActionFilter;
}

const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === "string" ? [v] : [...v]);

/** `action: x` is exact unless it has `*` or `?` (then a glob); lists mean any of them. */
export function actionTest(spec: ActionMatchSpec): (action: string) => boolean {
  if (typeof spec === "string" || Array.isArray(spec)) {
    const names = list(spec);
    return compileActionSpec({ exact: names.filter((n) => !hasWildcard(n)), glob: names.filter(hasWildcard) });
  }
  const s = spec as { exact?: string | string[]; prefix?: string | string[]; glob?: string | string[] };
  return compileActionSpec({ exact: list(s.exact), prefix: list(s.prefix), glob: list(s.glob) });
}

/** Test on one field value (arrays: any element, except `contains`, which looks for an element). */
export function valueTest(t: FieldTestSpec): (value: unknown) => boolean {
  const fold = t.ignore_case ? (s: string) => s.toLowerCase() : (s: string) => s;
  const same = (a: unknown, b: unknown) => {
    const x = asText(a);
    const y = asText(b);
    return x !== null && y !== null && fold(x) === fold(y);
  };
  if (t.exists !== undefined) {
    const want = t.exists;
    return (v) => (scalars(v).length > 0) === want;
  }
  if (t.equals !== undefined || t.in !== undefined) {
    const wanted = t.in ?? [t.equals];
    const wantsNull = wanted.includes(null);
    const texts = new Set(wanted.filter((w) => w !== null).map((w) => fold(asText(w) ?? "")));
    return (v) => {
      const xs = scalars(v);
      if (xs.length === 0) return wantsNull;
      return xs.some((x) => {
        const s = asText(x);
        return s !== null && texts.has(fold(s));
      });
    };
  }
  if (t.contains !== undefined) {
    const needle = fold(String(t.contains));
    return (v) => {
      if (Array.isArray(v)) return v.some((x) => same(x, t.contains));
      const s = asText(v);
      return s !== null && fold(s).includes(needle);
    };
  }
  const re = new RegExp(t.regex ?? "", t.ignore_case ? "i" : "");
  return (v) =>
    scalars(v).some((x) => {
      const s = asText(x);
      return s !== null && re.test(s);
    });
}

const and = (a: ActionFilter, b: ActionFilter): ActionFilter => (a === null ? b : b === null ? a : (x) => a(x) && b(x));

export function compileCondition(c: ConditionSpec): CompiledCondition {
  if ("all" in c) {
    const parts = c.all.map(compileCondition);
    return { test: (v) => parts.every((p) => p.test(v)), action: parts.reduce<ActionFilter>((f, p) => and(f, p.action), null) };
  }
  if ("any" in c) {
    const parts = c.any.map(compileCondition);
    const filters = parts.map((p) => p.action);
    const action: ActionFilter = filters.some((f) => f === null) ? null : (x) => filters.some((f) => f!(x));
    return { test: (v) => parts.some((p) => p.test(v)), action };
  }
  if ("not" in c) {
    const inner = compileCondition(c.not);
    return { test: (v) => !inner.test(v), action: null };
  }
  if ("action" in c) {
    const t = actionTest(c.action);
    return { test: (v) => t(v.record.action), action: t };
  }
  // Severity words are matched in any case (`high` = `HIGH`), like actions.
  const t = valueTest(c.field === "severity" ? { ...c, ignore_case: true } : c);
  if (c.field === "action") return { test: (v) => t(v.record.action), action: t };
  const get = viewGetter(c.field);
  return { test: (v) => t(get(v)), action: null };
}
