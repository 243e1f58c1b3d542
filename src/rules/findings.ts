// Built-in heuristics for security alerts (FindingRecord): code scanning results by CodeQL severity.
import type { FindingRecord, RiskLevel } from "../core/records.js";
import { asText, walk } from "./fields.js";
import { maxRisk, riskToLevel } from "./severity.js";
import type { DetectionHit, RuleInfo } from "./types.js";

export interface FindingEvaluation {
  /** Highest heuristic result; INFO when none applies. */
  severity: RiskLevel;
  detections: readonly DetectionHit[];
}

interface FindingRule {
  id: string;
  title: string;
  severity: RiskLevel;
  applies(f: FindingRecord): boolean;
}

const lower = (v: unknown): string | null => asText(v)?.toLowerCase() ?? null;

/** `rule.security_severity_level` (security queries) and `rule.severity` (`error`/`warning`/`note`), GITHUB-API.md 2.1. */
const securityLevel = (f: FindingRecord) => lower(walk(f.raw, ["rule", "security_severity_level"]));
const ruleSeverity = (f: FindingRecord) => lower(walk(f.raw, ["rule", "severity"])) ?? (securityLevel(f) === null ? f.severity_raw : null);
const isCodeQl = (f: FindingRecord) => (f.github.tool ?? lower(walk(f.raw, ["tool", "name"])) ?? "").toLowerCase() === "codeql";

export const FINDING_RULES: readonly FindingRule[] = [
  {
    id: "ghaudit.codeql-critical",
    title: "Critical CodeQL code scanning alert",
    severity: "HIGH",
    applies: (f) => f.alert_kind === "code_scanning" && isCodeQl(f) && securityLevel(f) === "critical",
  },
  {
    id: "ghaudit.code-scanning-error",
    title: "Code scanning alert of severity error",
    severity: "MEDIUM",
    applies: (f) => f.alert_kind === "code_scanning" && ruleSeverity(f) === "error",
  },
];

const NONE: FindingEvaluation = Object.freeze({ severity: "INFO", detections: Object.freeze([]) });

export function evaluateFinding(f: FindingRecord): FindingEvaluation {
  if (f.alert_kind !== "code_scanning") return NONE;
  let severity: RiskLevel = "INFO";
  const detections: DetectionHit[] = [];
  for (const rule of FINDING_RULES) {
    if (!rule.applies(f)) continue;
    severity = maxRisk(severity, rule.severity);
    detections.push({
      ruleId: rule.id, ruleTitle: rule.title, level: riskToLevel(rule.severity), severity: rule.severity,
      references: [], source: "builtin", tags: ["code-scanning"], author: null,
    });
  }
  return detections.length === 0 ? NONE : { severity, detections };
}

export function findingRuleInfos(): RuleInfo[] {
  return FINDING_RULES.map((r) => ({ ruleId: r.id, ruleTitle: r.title, source: "builtin", appliesTo: "alert" }));
}
