// User rules: YAML file -> validated, compiled rules. Every problem in a file is reported in one config-invalid error.
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { AppError } from "../core/errors.js";
import type { RiskLevel } from "../core/records.js";
import { compileCondition } from "./conditions.js";
import type { FieldView } from "./fields.js";
import type { ActionFilter } from "./types.js";
import { UserRulesFile, type UserRuleSpec } from "./user-schema.js";

export interface UserRule {
  ruleId: string;
  ruleTitle: string;
  file: string;
  /** 1-based position in the file. */
  index: number;
  test(view: FieldView): boolean;
  action: ActionFilter;
  /** Raises the severity (highest wins). */
  severity: RiskLevel | null;
  /** Sets the severity whatever the other rules say (the last matching rule wins). */
  setSeverity: RiskLevel | null;
  tags: readonly string[];
  /** true drops, false keeps an event the built-in rules would drop as noise, null leaves it alone. */
  drop: boolean | null;
  routes: readonly string[];
}

export interface UserRuleProblem {
  file: string;
  /** `rule "id" (#3)` or `rule #3`, or null for file-level problems. */
  rule: string | null;
  /** Dotted path inside the rule (`match.all[0].regex`), or inside the file. */
  field: string;
  message: string;
}

export interface UserRuleOptions {
  /** Sink names `routes:` may use; unchecked when omitted. */
  sinks?: readonly string[];
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `${out === "" ? "" : "."}${String(p)}`;
  return out;
}

function ruleLabel(doc: unknown, index: number): string {
  const rules = (doc as { rules?: unknown } | null)?.rules;
  const raw = Array.isArray(rules) ? (rules[index] as { id?: unknown } | undefined) : undefined;
  return typeof raw?.id === "string" && raw.id !== "" ? `rule "${raw.id}" (#${index + 1})` : `rule #${index + 1}`;
}

function toProblems(file: string, doc: unknown, error: z.ZodError): UserRuleProblem[] {
  const out: UserRuleProblem[] = [];
  for (const issue of error.issues) {
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
    for (const key of keys) {
      const path = key === undefined ? issue.path : [...issue.path, key];
      const message = key === undefined ? issue.message : "unknown key";
      if (path[0] === "rules" && typeof path[1] === "number") {
        out.push({ file, rule: ruleLabel(doc, path[1]), field: formatPath(path.slice(2)) || "(rule)", message });
      } else out.push({ file, rule: null, field: formatPath(path) || "(file)", message });
    }
  }
  return out;
}

export function userRulesError(problems: readonly UserRuleProblem[]): AppError {
  const files = [...new Set(problems.map((p) => p.file))].join(", ");
  const lines = problems.map((p) => `  - ${p.file}: ${p.rule === null ? "" : `${p.rule}, `}${p.field}: ${p.message}`);
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return new AppError("config-invalid", `Invalid user rules in ${files} (${count}):\n${lines.join("\n")}`, {
    hint: "Fix the rules listed above; docs/rules.md describes the rule format with examples.",
    status: 400,
    exitCode: 78,
    details: { problems },
  });
}

/** Checks across rules, on the raw input so they run even when some rules are invalid: duplicate ids, unknown sinks. */
function crossRuleProblems(file: string, input: unknown, options: UserRuleOptions): UserRuleProblem[] {
  const rules = (input as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return [];
  const out: UserRuleProblem[] = [];
  const seen = new Map<string, number>();
  const known = options.sinks ? new Set(options.sinks) : null;
  rules.forEach((r: unknown, i) => {
    const { id, routes } = (r ?? {}) as { id?: unknown; routes?: unknown };
    if (typeof id === "string") {
      const first = seen.get(id);
      if (first !== undefined) out.push({ file, rule: ruleLabel(input, i), field: "id", message: `duplicate id (rule #${first + 1} has it too)` });
      else seen.set(id, i);
    }
    if (known && Array.isArray(routes)) {
      routes.forEach((s: unknown, j) => {
        if (typeof s === "string" && !known.has(s)) {
          out.push({ file, rule: ruleLabel(input, i), field: `routes[${j}]`, message: `unknown sink "${s}" (configured: ${options.sinks!.join(", ") || "none"})` });
        }
      });
    }
  });
  return out;
}

function compileRule(file: string, spec: UserRuleSpec, index: number): UserRule {
  const c = compileCondition(spec.match);
  const ruleId = spec.id ?? `${file.split(/[\\/]/).pop()}#${index + 1}`;
  return {
    ruleId, ruleTitle: spec.title ?? ruleId, file, index: index + 1, test: c.test, action: c.action,
    severity: spec.severity ?? null, setSeverity: spec.set_severity ?? null, tags: spec.tags, drop: spec.drop ?? null, routes: spec.routes,
  };
}

/** Parses and compiles rules from YAML text; `file` is only used in messages and default ids. Throws config-invalid. */
export function parseUserRules(text: string, file: string, options: UserRuleOptions = {}): UserRule[] {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw userRulesError(doc.errors.map((e) => ({
      file, rule: null, field: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "(file)",
      message: `YAML: ${(e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "")}`,
    })));
  }
  const data: unknown = doc.toJS() ?? { rules: [] };
  const input = Array.isArray(data) ? { rules: data } : data;
  const parsed = UserRulesFile.safeParse(input);
  const problems = parsed.success ? [] : toProblems(file, input, parsed.error);
  problems.push(...crossRuleProblems(file, input, options));
  if (problems.length > 0 || !parsed.success) throw userRulesError(problems);
  return parsed.data.rules.flatMap((r, i) => (r.enabled ? [compileRule(file, r, i)] : []));
}

/** Reads one user rules file. Throws config-invalid naming the file, the rule and the field of every problem. */
export function loadUserRules(file: string, options: UserRuleOptions = {}): UserRule[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new AppError("config-invalid", `Cannot read user rules file ${file}: ${(err as Error).message}`, {
      hint: "Check the path given in rules.user_rules.", status: 400, exitCode: 78, cause: err,
    });
  }
  return parseUserRules(text, file, options);
}
