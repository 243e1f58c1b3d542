// PLACEHOLDER (being written): secret-scanning endpoints.
import type { EmuApp, RouteDeps } from "../http/context.js";

export function registerSecretScanning(_app: EmuApp, _deps: RouteDeps): void {}
