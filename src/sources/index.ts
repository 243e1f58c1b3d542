// The registry of sources: adding a stream is one folder and one line here.
import { codeScanning } from "./code-scanning/index.js";
import { dependabot } from "./dependabot/index.js";
import { enterpriseAuditLog } from "./enterprise-audit-log/index.js";
import { orgAuditLog } from "./org-audit-log/index.js";
import { repositories } from "./repositories/index.js";
import { secretScanning } from "./secret-scanning/index.js";
import type { Source } from "./types.js";

export const SOURCES: readonly Source[] = [repositories, orgAuditLog, enterpriseAuditLog, codeScanning, dependabot, secretScanning];

export type { Source, SourceContext, SyncStats, SyncTarget, StreamSettings, ProbeResult } from "./types.js";
export { DEFAULT_SETTINGS, streamKey } from "./types.js";
