// PLACEHOLDER (being written): audit-log endpoints.
import type { EmuApp, RouteDeps } from "../http/context.js";

export function registerAuditLog(_app: EmuApp, _deps: RouteDeps): void {}
