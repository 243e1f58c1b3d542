// The zod schema of a user rules file (docs/rules.md "User rules"); the types are derived from it.
import { z } from "zod";
import { parseRisk } from "./severity.js";
import type { RiskLevel } from "../core/records.js";

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const OneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const Risk = z.string().transform((s, ctx): RiskLevel => {
  const level = parseRisk(s);
  if (level === null) {
    ctx.addIssue({ code: "custom", message: `unknown severity "${s}" (expected critical, high, medium, low or info)` });
    return z.NEVER;
  }
  return level;
});

const ActionSpec = z.union([
  OneOrMany,
  z.strictObject({ exact: OneOrMany.optional(), prefix: OneOrMany.optional(), glob: OneOrMany.optional() }).refine(
    (s) => s.exact !== undefined || s.prefix !== undefined || s.glob !== undefined,
    "give exact, prefix or glob",
  ),
]);

const FIELD_OPERATORS = ["equals", "in", "contains", "regex", "exists"] as const;

const FieldTest = z
  .strictObject({
    field: z.string().min(1).regex(/^[^.]+(\.[^.]+)*$/, "a dotted path such as raw.actor_location.country_code"),
    equals: Scalar.optional(),
    in: z.array(Scalar).min(1).optional(),
    contains: z.union([z.string(), z.number(), z.boolean()]).optional(),
    regex: z.string().optional(),
    exists: z.boolean().optional(),
    ignore_case: z.boolean().default(false),
  })
  .superRefine((t, ctx) => {
    const given = FIELD_OPERATORS.filter((op) => op in t && t[op] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: "custom", message: `give exactly one of ${FIELD_OPERATORS.join(", ")} (got ${given.length === 0 ? "none" : given.join(", ")})` });
    }
    if (t.regex !== undefined) {
      try {
        new RegExp(t.regex, t.ignore_case ? "i" : "");
      } catch (err) {
        ctx.addIssue({ code: "custom", path: ["regex"], message: `invalid regular expression: ${(err as Error).message}` });
      }
    }
  });

export type FieldTestSpec = z.infer<typeof FieldTest>;
export type ActionMatchSpec = z.infer<typeof ActionSpec>;
export type ConditionSpec =
  | { all: ConditionSpec[] }
  | { any: ConditionSpec[] }
  | { not: ConditionSpec }
  | { action: ActionMatchSpec }
  | FieldTestSpec;

const KINDS = ["all", "any", "not", "action", "field"] as const;

/** Picks the variant by its key, so an error names the real problem instead of "no union member matched". */
export const Condition: z.ZodType<ConditionSpec, unknown> = z.unknown().transform((v, ctx): ConditionSpec => {
  if (v === undefined) {
    ctx.addIssue({ code: "custom", message: "required: the condition the rule matches" });
    return z.NEVER;
  }
  if (Array.isArray(v)) return parseInto(z.array(Condition).min(1), v, ctx, (all) => ({ all }));
  if (v === null || typeof v !== "object") {
    ctx.addIssue({ code: "custom", message: `a condition is a mapping with one of ${KINDS.join(", ")}` });
    return z.NEVER;
  }
  const keys = KINDS.filter((k) => k in v);
  if (keys.length !== 1) {
    ctx.addIssue({ code: "custom", message: `a condition needs exactly one of ${KINDS.join(", ")} (got ${keys.length === 0 ? Object.keys(v).join(", ") || "none" : keys.join(", ")})` });
    return z.NEVER;
  }
  const kind = keys[0]!;
  if (kind === "field") return parseInto(FieldTest, v, ctx, (t) => t);
  if (kind === "not") return parseInto(z.strictObject({ not: Condition }), v, ctx, (t) => t);
  if (kind === "action") return parseInto(z.strictObject({ action: ActionSpec }), v, ctx, (t) => t);
  const list = z.array(Condition).min(1, `${kind} needs at least one condition`);
  return kind === "all"
    ? parseInto(z.strictObject({ all: list }), v, ctx, (t) => t)
    : parseInto(z.strictObject({ any: list }), v, ctx, (t) => t);
});

function parseInto<T>(schema: z.ZodType<T, unknown>, v: unknown, ctx: z.RefinementCtx, wrap: (t: T) => ConditionSpec): ConditionSpec {
  const r = schema.safeParse(v);
  if (r.success) return wrap(r.data);
  for (const issue of r.error.issues) ctx.addIssue({ ...issue, path: issue.path });
  return z.NEVER;
}

export const UserRuleSpec = z
  .strictObject({
    id: z.string().min(1).regex(/^[A-Za-z0-9][\w.:/-]*$/, "letters, digits and . _ : / -").optional(),
    title: z.string().min(1).optional(),
    description: z.string().optional(),
    enabled: z.boolean().default(true),
    match: Condition,
    severity: Risk.optional(),
    set_severity: Risk.optional(),
    tags: z.array(z.string().min(1)).default([]),
    drop: z.boolean().optional(),
    routes: z.array(z.string().min(1)).default([]),
  })
  .superRefine(
    (r, ctx) => {
      // Runs even when other fields failed (so every problem is reported at once): fields may hold raw input here.
      const given = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
      if (given(r.severity) && given(r.set_severity)) {
        ctx.addIssue({ code: "custom", path: ["set_severity"], message: "give severity (raise) or set_severity (override), not both" });
      }
      if (![r.severity, r.set_severity, r.tags, r.drop, r.routes].some(given)) {
        ctx.addIssue({ code: "custom", message: "the rule does nothing: give severity, set_severity, tags, drop or routes" });
      }
    },
    { when: () => true },
  );
export type UserRuleSpec = z.infer<typeof UserRuleSpec>;

export const UserRulesFile = z.strictObject({ rules: z.array(UserRuleSpec) });
