// The rules engine's public shapes: what a rule hit looks like and what evaluating one event returns.
import type { RiskLevel } from "../core/records.js";

/** Where a detection came from. */
export type RuleSource = "builtin" | "user" | "sigma";

/** One rule that fired on one event. Maps onto the store's DetectionInput with `toDetectionInput`. */
export interface DetectionHit {
  ruleId: string;
  ruleTitle: string;
  /** Sigma's level word (`informational` … `critical`), or the severity in lower case for built-in and user rules. */
  level: string;
  /** The level as ghaudit's risk scale. */
  severity: RiskLevel;
  references: readonly string[];
  source: RuleSource;
  /** The rule's own tags (Sigma: `attack.t1098` …); not copied into the event's tags. */
  tags: readonly string[];
  /** Sigma authors (the Detection Rule License asks to keep attribution); null for ghaudit's own rules. */
  author: string | null;
}

/** The verdict for one audit event. Arrays may be shared with the input or frozen: copy before changing them. */
export interface EvaluationResult {
  /** Highest of the built-in and user results, unless a user rule set it explicitly (`set_severity`). */
  severity: RiskLevel;
  /** The event's tags plus those added by built-in and user rules (no duplicates). */
  tags: readonly string[];
  /**
   * True: routine noise (or a user rule said so). ghaudit still stores the event, tagged `dropped`, so the audit
   * trail stays complete; it is not forwarded to sinks and is hidden by default.
   */
  drop: boolean;
  /** Sink names user rules routed the event to (in rule order, no duplicates). */
  routes: readonly string[];
  detections: readonly DetectionHit[];
}

/** `evaluate` plus every rule that matched, including ones with no detection (drop, route or tag only). */
export interface Explanation extends EvaluationResult {
  matched: readonly { ruleId: string; source: RuleSource; effect: string }[];
}

/** One rule as the engine lists it (for `rules test`). */
export interface RuleInfo {
  ruleId: string;
  ruleTitle: string;
  source: RuleSource;
  /** What the rule reads: audit events, or security alerts (`evaluateFinding`). */
  appliesTo: "audit_event" | "alert";
}

/** A necessary condition on the action, used to index rules: null means "any action may match". */
export type ActionFilter = ((action: string) => boolean) | null;
