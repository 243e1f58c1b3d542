// Test helpers for the seed generator: a fresh seeded state, and flattened views of its alerts and audit log.
import { ManualClock } from "../../core/clock.js";
import { EmulatorState } from "../state/state.js";
import { seedWorld, type SeedOptions, type SeededWorld } from "./generator.js";

/** A fixed "now" for tests: 2026-09-20T12:00:00Z. */
export const TEST_NOW = Date.UTC(2026, 8, 20, 12, 0, 0);

export function seeded(seed: number, size: SeedOptions["size"], now = TEST_NOW): { state: EmulatorState; world: SeededWorld } {
  const state = new EmulatorState(new ManualClock({ start: now, frozen: true }));
  state.baseUrl = "http://127.0.0.1:4010";
  const world = seedWorld(state, { seed, size, now });
  return { state, world };
}

/** Everything the generator wrote that must be reproducible, as one JSON string. */
export function snapshot(state: EmulatorState): string {
  const repos = [...state.repos.values()].map((r) => ({
    name: r.fullName,
    id: r.id,
    visibility: r.visibility,
    features: r.features,
    analyses: r.analyses,
    codeScanning: r.codeScanning,
    dependabot: r.dependabot,
    secretScanning: r.secretScanning,
  }));
  return JSON.stringify({
    users: [...state.users.values()],
    orgs: [...state.orgs.values()],
    repos,
    audit: state.audit.map((r) => r.event),
    tokens: [...state.tokens.keys()],
  });
}

export function allRepos(state: EmulatorState) {
  return [...state.repos.values()];
}
