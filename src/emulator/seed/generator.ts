// PLACEHOLDER (being written): deterministic seeded world generator.
import type { EmulatorState } from "../state/state.js";

export type SizeName = "tiny" | "small" | "demo" | "large" | "huge";

export interface SizeSpec {
  orgs: number;
  reposPerOrg: number;
  users: number;
  auditEvents: number;
  codeScanningAlerts: number;
  dependabotAlerts: number;
  secretScanningAlerts: number;
  /** Put the orgs in an enterprise account (GHEC). */
  enterprise: boolean;
}

export interface SeedOptions {
  seed: number;
  size: SizeName | Partial<SizeSpec>;
  /** The world's "now" (epoch ms): generated history lies before it. */
  now: number;
}

export interface SeededWorld {
  /** Classic PAT (all scopes) of a user who owns every org and the enterprise. */
  adminToken: string;
  adminLogin: string;
  orgs: string[];
  enterprise: string | null;
  size: SizeSpec;
}

export function seedWorld(_state: EmulatorState, _options: SeedOptions): SeededWorld {
  throw new Error("seedWorld: not written yet");
}
