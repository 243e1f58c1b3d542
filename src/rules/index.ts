// The rules engine's public surface: built-in heuristics, user rules (YAML), Sigma rules, the engine and helpers.
export { createRuleEngine, type RuleEngine, type RuleEngineOptions } from "./engine.js";
export type { ActionFilter, DetectionHit, EvaluationResult, Explanation, RuleInfo, RuleSource } from "./types.js";
export { BUILTIN_RULES, type BuiltinOptions } from "./builtins.js";
export { FEATURES, featureSwitchOff, type Feature, type FeatureId, type FeatureSwitch } from "./feature-switches.js";
export { evaluateFinding, FINDING_RULES, type FindingEvaluation } from "./findings.js";
export { loadUserRules, parseUserRules, type UserRule, type UserRuleOptions, type UserRuleProblem } from "./user-rules.js";
export { compileSigmaRule, loadSigmaDirectory, parseSigmaRules, type SigmaProblem, type SigmaRule } from "./sigma-load.js";
export { toDetectionInput, type DetectionDetails } from "./detections.js";
export { formatRulesTest, rulesTest, rulesTestStream, type RulesTestOptions, type RulesTestReport } from "./rules-test.js";
export { loadRules, RULES_SETTINGS_EXAMPLE, RulesSettings, type LoadedRules, type LoadRulesOptions } from "./config.js";
export { maxRisk, riskRank, riskToLevel, sigmaLevelToRisk, SIGMA_LEVELS, type SigmaLevel } from "./severity.js";
