// World sizes: how many orgs, repos, users, audit events and alerts each named size produces.
import type { SizeName, SizeSpec } from "./generator.js";

export const SIZES: Readonly<Record<SizeName, SizeSpec>> = {
  tiny: { orgs: 1, reposPerOrg: 3, users: 8, auditEvents: 60, codeScanningAlerts: 8, dependabotAlerts: 8, secretScanningAlerts: 4, enterprise: false },
  small: { orgs: 2, reposPerOrg: 6, users: 40, auditEvents: 1_000, codeScanningAlerts: 120, dependabotAlerts: 120, secretScanningAlerts: 60, enterprise: false },
  demo: { orgs: 3, reposPerOrg: 13, users: 150, auditEvents: 20_000, codeScanningAlerts: 1_200, dependabotAlerts: 1_200, secretScanningAlerts: 600, enterprise: true },
  large: { orgs: 5, reposPerOrg: 60, users: 600, auditEvents: 100_000, codeScanningAlerts: 4_000, dependabotAlerts: 4_000, secretScanningAlerts: 2_000, enterprise: true },
  huge: { orgs: 8, reposPerOrg: 63, users: 3_000, auditEvents: 1_000_000, codeScanningAlerts: 40_000, dependabotAlerts: 40_000, secretScanningAlerts: 20_000, enterprise: true },
};

/** A named size, or a partial spec layered over "small". */
export function resolveSize(size: SizeName | Partial<SizeSpec>): SizeSpec {
  if (typeof size === "string") {
    const spec = SIZES[size];
    if (!spec) throw new RangeError(`unknown world size "${size}" (expected ${Object.keys(SIZES).join(", ")})`);
    return { ...spec };
  }
  const spec: SizeSpec = { ...SIZES.small, ...size };
  for (const key of ["orgs", "reposPerOrg", "users", "auditEvents", "codeScanningAlerts", "dependabotAlerts", "secretScanningAlerts"] as const) {
    const v = spec[key];
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`world size: ${key} must be a non-negative integer, got ${String(v)}`);
  }
  if (spec.orgs < 1) throw new RangeError("world size: orgs must be at least 1");
  if (spec.reposPerOrg < 1) throw new RangeError("world size: reposPerOrg must be at least 1");
  if (spec.users < 2) throw new RangeError("world size: users must be at least 2");
  return spec;
}
