// Loads SigmaHQ-format rules for GitHub audit logs (logsource product github, service audit) from directories.
// Other logsources and unsupported features are skipped with a reason, never fatal.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { z } from "zod";
import type { RiskLevel } from "../core/records.js";
import type { Json } from "./fields.js";
import { compileCondition } from "./sigma-condition.js";
import { compileSearch, SigmaUnsupported, type CompiledSearch } from "./sigma-detection.js";
import { SIGMA_LEVELS, sigmaLevelToRisk, type SigmaLevel } from "./severity.js";
import type { ActionFilter } from "./types.js";

export interface SigmaRule {
  /** The rule's `id` (a UUID in SigmaHQ), or `sigma:<file>` when it has none. */
  ruleId: string;
  ruleTitle: string;
  level: SigmaLevel;
  severity: RiskLevel;
  description: string | null;
  status: string | null;
  author: string | null;
  references: readonly string[];
  tags: readonly string[];
  falsepositives: readonly string[];
  file: string;
  test(raw: Json): boolean;
  action: ActionFilter;
}

export interface SigmaProblem {
  file: string;
  /** The rule's title when it could be read. */
  rule: string | null;
  /** `skipped`: not a GitHub audit rule; `invalid`: broken or uses something unsupported. */
  kind: "skipped" | "invalid";
  message: string;
}

const Strings = z.union([z.string(), z.array(z.string())]).transform((v) => (typeof v === "string" ? [v] : v));

const SigmaDoc = z.looseObject({
  title: z.string().min(1),
  id: z.string().min(1).optional(),
  status: z.string().optional(),
  description: z.string().optional(),
  author: z.string().optional(),
  references: Strings.optional(),
  tags: Strings.optional(),
  falsepositives: Strings.optional(),
  level: z.enum(SIGMA_LEVELS).optional(),
  logsource: z.looseObject({ product: z.string().optional(), service: z.string().optional(), category: z.string().optional() }),
  detection: z.looseObject({ condition: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]) }),
});

/** Compiles one parsed Sigma document; throws SigmaUnsupported with the reason. Exported for tests. */
export function compileSigmaRule(doc: unknown, file: string): SigmaRule | { skip: string } {
  const parsed = SigmaDoc.safeParse(doc);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join(".") || "(rule)"}: ${i.message}`).join("; ");
    throw new SigmaUnsupported(`not a valid Sigma rule: ${why}`);
  }
  const d = parsed.data;
  const product = d.logsource.product?.toLowerCase();
  const service = d.logsource.service?.toLowerCase();
  if (product !== "github" || (service !== undefined && service !== "audit")) {
    const ls = Object.entries(d.logsource).filter(([k]) => ["product", "service", "category"].includes(k)).map(([k, v]) => `${k} ${String(v)}`).join(", ");
    return { skip: `logsource ${ls || "(empty)"} is not GitHub's audit log (product: github, service: audit)` };
  }
  const searches = new Map<string, CompiledSearch>();
  for (const [name, value] of Object.entries(d.detection)) {
    if (name !== "condition" && name !== "timeframe") searches.set(name, compileSearch(name, value));
  }
  if ("timeframe" in d.detection) throw new SigmaUnsupported("timeframe (correlation over time) is not supported");
  const compiled = compileCondition(d.detection.condition, searches);
  const level = d.level ?? "informational";
  return {
    ruleId: d.id ?? `sigma:${file}`,
    ruleTitle: d.title,
    level,
    severity: sigmaLevelToRisk(level),
    description: d.description ?? null,
    status: d.status ?? null,
    author: d.author ?? null,
    references: d.references ?? [],
    tags: d.tags ?? [],
    falsepositives: d.falsepositives ?? [],
    file,
    test: compiled.test,
    action: compiled.action,
  };
}

/** Parses Sigma YAML text (one or more documents); `file` names the rule in problems. */
export function parseSigmaRules(text: string, file: string): { rules: SigmaRule[]; problems: SigmaProblem[] } {
  const rules: SigmaRule[] = [];
  const problems: SigmaProblem[] = [];
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const title = (() => {
      const t: unknown = doc.errors.length === 0 ? doc.get("title") : undefined;
      return typeof t === "string" ? t : null;
    })();
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const pos = e.linePos?.[0];
      problems.push({ file, rule: null, kind: "invalid", message: `YAML${pos ? ` line ${pos.line}, column ${pos.col}` : ""}: ${e.message.split("\n")[0]}` });
      continue;
    }
    const data: unknown = doc.toJS();
    if (data === null || data === undefined) continue;
    if (typeof data === "object" && "action" in data) {
      problems.push({ file, rule: title, kind: "invalid", message: "rule collections (action: global/reset/repeat) are not supported" });
      continue;
    }
    try {
      const r = compileSigmaRule(data, file);
      if ("skip" in r) problems.push({ file, rule: title, kind: "skipped", message: r.skip });
      else rules.push(r);
    } catch (err) {
      if (!(err instanceof SigmaUnsupported)) throw err;
      problems.push({ file, rule: title, kind: "invalid", message: err.message });
    }
  }
  return { rules, problems };
}

function yamlFiles(dir: string): string[] {
  if (!statSync(dir).isDirectory()) return [dir];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/i.test(name)) out.push(path);
  }
  return out;
}

/**
 * Every `*.yml`/`*.yaml` under `dir` (recursively; `dir` may also be one rule file): the GitHub audit rules compiled, everything else listed in
 * `problems` with the reason (not GitHub, unsupported feature, broken YAML). A missing directory is a problem too.
 */
export function loadSigmaDirectory(dir: string): { rules: SigmaRule[]; problems: SigmaProblem[] } {
  let files: string[];
  try {
    files = yamlFiles(dir);
  } catch (err) {
    return { rules: [], problems: [{ file: dir, rule: null, kind: "invalid", message: `cannot read the directory: ${(err as Error).message}` }] };
  }
  const rules: SigmaRule[] = [];
  const problems: SigmaProblem[] = [];
  const ids = new Map<string, string>();
  for (const path of files) {
    const result = parseSigmaRules(readFileSync(path, "utf8"), path);
    for (const r of result.rules) {
      const first = ids.get(r.ruleId);
      if (first !== undefined) {
        problems.push({ file: path, rule: r.ruleTitle, kind: "invalid", message: `duplicate id ${r.ruleId} (also in ${first}); skipped` });
        continue;
      }
      ids.set(r.ruleId, path);
      rules.push(r);
    }
    problems.push(...result.problems);
  }
  return { rules, problems };
}
