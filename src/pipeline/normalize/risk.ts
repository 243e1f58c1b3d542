// GitHub severity words -> ghaudit's risk level and score (the table in docs/schema.md).
import type { RiskLevel } from "../../core/records.js";

/** The score that goes with each level (upper bound of the CVSS v3 band, so SIEMs can sort on it). */
export const RISK_SCORES: Readonly<Record<RiskLevel, number>> = {
  CRITICAL: 10.0,
  HIGH: 8.9,
  MEDIUM: 6.9,
  LOW: 3.9,
  INFO: 0.0,
};

/**
 * Every severity word GitHub uses on any surface: advisory words (REST `medium`, GraphQL/old webhook
 * `moderate`) and code scanning `rule.severity` words (`error`, `warning`, `note`).
 */
const WORDS: ReadonlyMap<string, RiskLevel> = new Map<string, RiskLevel>([
  ["critical", "CRITICAL"],
  ["high", "HIGH"],
  ["error", "HIGH"],
  ["medium", "MEDIUM"],
  ["moderate", "MEDIUM"],
  ["warning", "MEDIUM"],
  ["low", "LOW"],
  ["note", "LOW"],
]);

export interface Risk {
  level: RiskLevel;
  score: number;
}

/** Risk for a level chosen by configuration (secret scanning has no severity of its own). */
export function riskForLevel(level: RiskLevel): Risk {
  return { level, score: RISK_SCORES[level] };
}

/** Case-insensitive; `none`, unknown words and null give INFO 0.0 (GitHub says "no severity"). */
export function riskFromSeverity(word: string | null | undefined): Risk {
  const level = word ? WORDS.get(word.toLowerCase()) : undefined;
  return riskForLevel(level ?? "INFO");
}

/** The default risk of every secret scanning alert unless configured otherwise. */
export const DEFAULT_SECRET_SCANNING_RISK: RiskLevel = "HIGH";
