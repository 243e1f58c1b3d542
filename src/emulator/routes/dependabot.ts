// PLACEHOLDER (being written): dependabot endpoints.
import type { EmuApp, RouteDeps } from "../http/context.js";

export function registerDependabot(_app: EmuApp, _deps: RouteDeps): void {}
