// Ordering of ghaudit's risk levels and the mapping from Sigma's level words.
import { RISK_LEVELS, type RiskLevel } from "../core/records.js";

const RANK: Readonly<Record<RiskLevel, number>> = { INFO: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

export function riskRank(level: RiskLevel): number {
  return RANK[level];
}

export function maxRisk(a: RiskLevel, b: RiskLevel): RiskLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Sigma's `level` values (https://sigmahq.io/docs/basics/rules.html#level). */
export const SIGMA_LEVELS = ["informational", "low", "medium", "high", "critical"] as const;
export type SigmaLevel = (typeof SIGMA_LEVELS)[number];

const FROM_SIGMA: Readonly<Record<SigmaLevel, RiskLevel>> = {
  informational: "INFO",
  low: "LOW",
  medium: "MEDIUM",
  high: "HIGH",
  critical: "CRITICAL",
};

export function sigmaLevelToRisk(level: SigmaLevel): RiskLevel {
  return FROM_SIGMA[level];
}

/** `HIGH` -> `high`, `INFO` -> `informational` (the words the detections table stores). */
export function riskToLevel(level: RiskLevel): string {
  return level === "INFO" ? "informational" : level.toLowerCase();
}

/** Accepts `high`, `HIGH`, `informational`, `info`; null for anything else. */
export function parseRisk(word: string): RiskLevel | null {
  const w = word.trim().toLowerCase();
  if (w === "informational") return "INFO";
  const upper = w.toUpperCase();
  return (RISK_LEVELS as readonly string[]).includes(upper) ? (upper as RiskLevel) : null;
}
