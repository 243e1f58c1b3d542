// PLACEHOLDER (being written): rate-limit endpoints.
import type { EmuApp, RouteDeps } from "../http/context.js";

export function registerRateLimit(_app: EmuApp, _deps: RouteDeps): void {}
