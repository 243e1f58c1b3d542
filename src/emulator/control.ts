// PLACEHOLDER (being written): the control API for tests.
import type { EmuApp } from "./http/context.js";

export function registerControl(_app: EmuApp, _deps: Record<string, unknown>): void {}
