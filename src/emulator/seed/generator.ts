// Deterministic seeded world generator: same seed + same `now` => the same orgs, repos, alerts and audit log.
import type { EmulatorState } from "../state/state.js";
import type { OrgPlan as OrgPlanName } from "../state/types.js";
import { advisoryCatalog } from "./advisories.js";
import { seedAlerts } from "./alert-history.js";
import { writeAudit } from "./audit-background.js";
import { createAuditCtx } from "./audit-events.js";
import { addAdminToken, addApp, type SeededApp } from "./credentials.js";
import { subSeed } from "./ids.js";
import { buildWorld } from "./org-world.js";
import { createRng } from "./rng.js";
import { resolveSize } from "./sizes.js";

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
  /** Org plan; default "enterprise" (the org audit-log API needs Enterprise Cloud). */
  plan?: OrgPlanName;
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
  /** The ghaudit GitHub App, installed on every org. */
  app: SeededApp;
}

/**
 * Fills an empty state with a world of the given size. `state.baseUrl` must already be set (alert URLs use it).
 * Does not announce alert changes (no webhooks or simulator audit events for seeded history).
 */
export function seedWorld(state: EmulatorState, options: SeedOptions): SeededWorld {
  const size = resolveSize(options.size);
  const { seed, now } = options;
  if (!Number.isFinite(now)) throw new RangeError("seedWorld: now must be an epoch-ms number");
  advisoryCatalog(state, now);
  const plan = buildWorld(state, createRng(subSeed(seed, "world")), size, now);
  const credRng = createRng(subSeed(seed, "credentials"));
  const adminToken = addAdminToken(state, plan, credRng);
  const app = addApp(state, plan, credRng, now, plan.facts);
  seedAlerts(state, plan, size, createRng(subSeed(seed, "alerts")), now);
  const auditRng = createRng(subSeed(seed, "audit"));
  writeAudit(createAuditCtx(state, plan, auditRng), plan.facts, size.auditEvents, now);
  state.touch();
  return {
    adminToken,
    adminLogin: plan.admin.login,
    orgs: plan.orgs.map((o) => o.org.login),
    enterprise: plan.enterprise?.slug ?? null,
    size,
    app,
  };
}
