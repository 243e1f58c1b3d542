// PLACEHOLDER (being written): apps endpoints.
import type { EmuApp, RouteDeps } from "../http/context.js";

export function registerApps(_app: EmuApp, _deps: RouteDeps): void {}
