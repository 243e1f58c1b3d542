// PLACEHOLDER (being written): orgs endpoints.
import type { EmuApp, RouteDeps } from "../http/context.js";

export function registerOrgs(_app: EmuApp, _deps: RouteDeps): void {}
