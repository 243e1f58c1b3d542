// The emulator's in-memory model of GitHub: orgs, repos, alerts (stored in GitHub's own REST shapes), audit events, tokens.
import type { components } from "@octokit/openapi-types-ghec";

type Schemas = components["schemas"];
export type SimpleUser = Schemas["simple-user"];
/** Repo-level alert shapes: org/enterprise lists add `repository` when rendering. */
export type CodeScanningAlert = Schemas["code-scanning-alert"];
export type CodeScanningInstance = Schemas["code-scanning-alert-instance"];
export type CodeScanningAnalysis = Schemas["code-scanning-analysis"];
export type DependabotAlert = Schemas["dependabot-alert"];
export type SecretScanningAlert = Schemas["secret-scanning-alert"];
export type SecretScanningLocation = Schemas["secret-scanning-location"];
export type AuditLogEvent = Schemas["audit-log-event"] & Record<string, unknown>;

export type FeatureName =
  | "advanced_security"
  | "code_security"
  | "secret_scanning"
  | "secret_scanning_push_protection"
  | "secret_scanning_non_provider_patterns"
  | "secret_scanning_validity_checks"
  | "dependabot_security_updates"
  /** Not part of `security_and_analysis`: Dependabot alerts are a separate repo setting. */
  | "dependabot_alerts";

export type Features = Record<FeatureName, boolean>;

export interface EmuUser {
  login: string;
  id: number;
  type: "User" | "Bot";
  name: string;
  country: { code: string; name: string };
}

export interface EmuEnterprise {
  slug: string;
  id: number;
  name: string;
  /** Logins of enterprise owners. */
  owners: string[];
}

export type OrgPlan = "free" | "team" | "enterprise";

export interface EmuOrg {
  login: string;
  id: number;
  name: string;
  /** Enterprise slug when the org belongs to an enterprise account (GHEC). */
  enterprise: string | null;
  plan: OrgPlan;
  createdAt: number;
  twoFactorRequirementEnabled: boolean;
  members: string[];
  owners: string[];
  securityManagers: string[];
}

export interface CodeScanningRecord {
  alert: CodeScanningAlert;
  instances: CodeScanningInstance[];
}

export interface SecretScanningRecord {
  /** Includes the literal `secret`; `hide_secret=true` strips it when rendering. */
  alert: SecretScanningAlert;
  locations: SecretScanningLocation[];
}

export interface EmuRepo {
  id: number;
  nodeId: string;
  name: string;
  owner: string;
  fullName: string;
  visibility: "public" | "private" | "internal";
  archived: boolean;
  fork: boolean;
  description: string | null;
  defaultBranch: string;
  createdAt: number;
  updatedAt: number;
  pushedAt: number;
  hasIssues: boolean;
  features: Features;
  analyses: CodeScanningAnalysis[];
  codeScanning: CodeScanningRecord[];
  dependabot: DependabotAlert[];
  secretScanning: SecretScanningRecord[];
  /** Next number for each alert kind (GitHub numbers each kind separately per repo) and for issues. */
  next: { codeScanning: number; dependabot: number; secretScanning: number; issue: number };
}

/** An audit-log entry plus what the API does not show: when it became visible (late arrival) and its insertion order. */
export interface AuditRecord {
  event: AuditLogEvent;
  /** `@timestamp` in epoch ms (copied for speed). */
  at: number;
  /** When the event starts being returned by the API (≥ `at` for events that arrive late). */
  visibleAt: number;
  /** Monotonic insertion number, the tie-breaker in cursor order. */
  seq: number;
  /** Git events are only returned with `include=git|all`. */
  git: boolean;
  /** Org logins the event belongs to, and the enterprise (for enterprise audit log). */
  orgs: string[];
  enterprise: string | null;
}

export type TokenKind = "classic" | "fine-grained" | "installation" | "app-jwt";

export type PermissionLevel = "read" | "write" | "admin";

export interface EmuToken {
  token: string;
  kind: Exclude<TokenKind, "app-jwt">;
  /** The acting user; installation tokens act as `<app-slug>[bot]`. */
  login: string;
  userId: number;
  /** Classic PAT scopes (`repo`, `security_events`, `read:audit_log`, `admin:org`, `read:org`, ...). */
  scopes: string[];
  /** Fine-grained PAT / installation permissions (`security_events`, `vulnerability_alerts`, `secret_scanning_alerts`, `organization_administration`, `administration`, `issues`, ...). */
  permissions: Record<string, PermissionLevel>;
  /** Orgs the token may reach (fine-grained PATs and installations are bound to one owner). `*` = any org the user belongs to. */
  orgs: string[] | "*";
  expiresAt: number | null;
  /** Installation this token was minted for, if any. */
  installationId: number | null;
}

export interface EmuApp {
  id: number;
  clientId: string;
  slug: string;
  /** PEM (SPKI) public key used to verify the app's RS256 JWTs. */
  publicKeyPem: string;
}

export interface EmuInstallation {
  id: number;
  appId: number;
  org: string;
  permissions: Record<string, PermissionLevel>;
  repositorySelection: "all" | "selected";
  createdAt: number;
}

export interface WebhookTarget {
  url: string;
  secret: string | null;
  contentType: "json" | "form";
  /** Event names to deliver, or `*`. */
  events: string[] | "*";
  hookId: number;
}

export interface RateBucket {
  limit: number;
  used: number;
  /** Epoch ms when the window resets. */
  resetAt: number;
}
