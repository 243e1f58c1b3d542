// What each stream needs from a credential, and the names GitHub's settings pages give App / fine-grained
// permissions (docs: "Permissions required for fine-grained personal access tokens" / "... for GitHub Apps").

export interface PermissionName {
  label: string;
  /** Where the permission sits on the token / App settings page. */
  group: "Repository" | "Organization";
}

const PERMISSIONS: Record<string, PermissionName> = {
  security_events: { label: "Code scanning alerts", group: "Repository" },
  vulnerability_alerts: { label: "Dependabot alerts", group: "Repository" },
  secret_scanning_alerts: { label: "Secret scanning alerts", group: "Repository" },
  administration: { label: "Administration", group: "Repository" },
  metadata: { label: "Metadata", group: "Repository" },
  contents: { label: "Contents", group: "Repository" },
  issues: { label: "Issues", group: "Repository" },
  pull_requests: { label: "Pull requests", group: "Repository" },
  organization_administration: { label: "Administration", group: "Organization" },
  members: { label: "Members", group: "Organization" },
  organization_plan: { label: "Plan", group: "Organization" },
  organization_custom_properties: { label: "Custom properties", group: "Organization" },
};

export function permissionName(permission: string): PermissionName {
  return PERMISSIONS[permission] ?? { label: permission.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()), group: "Repository" };
}

/** `vulnerability_alerts=read` → `Dependabot alerts: read (vulnerability_alerts)`. */
export function describePermission(pair: string): string {
  const [name = pair, level = "read"] = pair.split("=").map((s) => s.trim());
  return `${permissionName(name).label}: ${level} (${name})`;
}

/** Where the permission is set: `vulnerability_alerts=read` → `Repository permissions → Dependabot alerts: Read-only`. */
export function permissionSetting(pair: string): string {
  const [name = pair, level = "read"] = pair.split("=").map((s) => s.trim());
  const { group, label } = permissionName(name);
  return `${group} permissions → ${label}: ${level === "write" ? "Read and write" : "Read-only"}`;
}

/** x-accepted-github-permissions: alternatives separated by `;`, each a `,`-separated list of `name=level`. */
export function parseAcceptedPermissions(header: string | undefined): string[][] {
  if (!header) return [];
  return header
    .split(";")
    .map((set) => set.split(",").map((p) => p.trim()).filter((p) => p.includes("=")))
    .filter((set) => set.length > 0);
}

export function parseScopes(header: string | undefined): string[] {
  return header ? header.split(",").map((s) => s.trim()).filter(Boolean) : [];
}

export interface StreamNeeds {
  /** Fine-grained PAT / App permission, `name=level`; null when only classic tokens work. */
  permission: string | null;
  /** Classic scopes, any one of which is enough. */
  scopes: string[];
  /** Role the token's user must hold (user tokens only), with its article: `an organization owner`. */
  role?: string;
  /** Whether a GitHub App (installation token) can read it at all. */
  apps: boolean;
}

/** Keyed by source type (kebab-case, as in src/sources/); config keys (snake_case) are accepted too. */
const STREAM_NEEDS: Record<string, StreamNeeds> = {
  "org-audit-log": { permission: "organization_administration=read", scopes: ["read:audit_log", "admin:org"], role: "an organization owner", apps: true },
  "enterprise-audit-log": { permission: null, scopes: ["read:audit_log", "admin:enterprise"], role: "an enterprise owner", apps: false },
  "code-scanning": { permission: "security_events=read", scopes: ["security_events", "repo"], role: "an org owner or security manager", apps: true },
  dependabot: { permission: "vulnerability_alerts=read", scopes: ["security_events", "repo"], role: "an org owner or security manager", apps: true },
  "secret-scanning": { permission: "secret_scanning_alerts=read", scopes: ["repo", "security_events"], role: "an org owner or security manager", apps: true },
  // `security_and_analysis` of each repository: org owners and security managers (any repository admin for theirs).
  repositories: { permission: "administration=read", scopes: ["repo"], role: "an org owner or security manager", apps: true },
};

export function normalizeStream(stream: string | undefined): string | undefined {
  if (!stream) return undefined;
  const s = stream.replace(/_/g, "-");
  return s === "audit-log" ? "org-audit-log" : s;
}

export function streamNeeds(stream: string | undefined): StreamNeeds | undefined {
  const key = normalizeStream(stream);
  return key ? STREAM_NEEDS[key] : undefined;
}
