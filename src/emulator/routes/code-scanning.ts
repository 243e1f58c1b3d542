// PLACEHOLDER (being written): code-scanning endpoints.
import type { EmuApp, RouteDeps } from "../http/context.js";

export function registerCodeScanning(_app: EmuApp, _deps: RouteDeps): void {}
