// PLACEHOLDER (being written): issues endpoints.
import type { EmuApp, RouteDeps } from "../http/context.js";

export function registerIssues(_app: EmuApp, _deps: RouteDeps): void {}
