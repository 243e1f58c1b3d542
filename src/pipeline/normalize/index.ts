// Normalization: pure functions from GitHub objects to ghaudit's one record schema (docs/schema.md).
export { type AuditContext, type AuditLogEvent, auditDocumentId, auditEventMillis, canonicalJson, normalizeAuditEvent } from "./audit-event.js";
export { type CodeScanningAlert, cweFromTags, normalizeCodeScanningAlert } from "./code-scanning.js";
export { type DependabotAlert, normalizeDependabotAlert } from "./dependabot.js";
export { isDependabotGraphqlNode, normalizeDependabotGraphqlNode } from "./dependabot-graphql.js";
export { type SecretScanningAlert, type SecretScanningOptions, normalizeSecretScanningAlert } from "./secret-scanning.js";
export { type MinimalRepository, type RepositoryContext, featuresOf, normalizeRepository } from "./coverage.js";
export { type AlertContext } from "./finding.js";
export { DEFAULT_SECRET_SCANNING_RISK, RISK_SCORES, type Risk, riskForLevel, riskFromSeverity } from "./risk.js";
export { epochToMillis, toIsoUtc } from "./time.js";
