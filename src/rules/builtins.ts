// ghaudit's built-in severity heuristics for audit events (the table in docs/rules.md), one entry per rule.
import type { AuditEventRecord, RiskLevel } from "../core/records.js";
import { FEATURES, featureSwitchOff } from "./feature-switches.js";
import { asText, walk, type Json } from "./fields.js";
import { globToRegExp } from "./patterns.js";
import type { RuleInfo } from "./types.js";

export interface BuiltinOptions {
  /** Switch every built-in heuristic off (noise dropping too). Default true. */
  enabled?: boolean;
  /** OAuth apps and GitHub Apps that may be created or installed without a detection: names (any case) or ids. */
  allowedApps?: readonly (string | number)[];
  /** Drop routine events (`git.*`, `repo.access` without a visibility change). Default true. */
  dropNoise?: boolean;
  /** Globs of routine actions to drop; default `["git.*"]`. `repo.access` reads are always routine. */
  noiseActions?: readonly string[];
  /** The default branch of `owner/name` (e.g. from the repository inventory); undefined when not known. */
  defaultBranch?: (repository: string) => string | null | undefined;
  /** Branch names taken as default when `defaultBranch` does not know the repository. Default main, master. */
  defaultBranchNames?: readonly string[];
  /** Built-in rule ids to switch off, e.g. `ghaudit.public-repo-created`. */
  disabled?: readonly string[];
}

export interface ResolvedBuiltinOptions {
  allowedNames: ReadonlySet<string>;
  allowedIds: ReadonlySet<string>;
  defaultBranch: (repository: string) => string | null | undefined;
  defaultBranchNames: readonly string[];
}

/** What one built-in rule says about one event; `hit: false` adds tags (or marks noise) without a detection. */
export interface BuiltinVerdict {
  severity: RiskLevel;
  tags: readonly string[];
  hit: boolean;
  /** Rule id and title when they depend on the event (one id per security feature). */
  ruleId?: string;
  ruleTitle?: string;
}

export interface BuiltinRule {
  id: string;
  title: string;
  /** A necessary condition on the action (indexed once per distinct action). */
  accepts(action: string): boolean;
  evaluate(record: AuditEventRecord, options: ResolvedBuiltinOptions): BuiltinVerdict | null;
}

/** First non-empty text among top-level fields and the same fields under `data` (older exports nest them). */
function field(raw: Json, ...names: string[]): string | null {
  for (const n of names) {
    const v = asText(raw[n]) ?? asText(walk(raw, ["data", n]));
    if (v !== null && v !== "") return v;
  }
  return null;
}

const exact = (...names: string[]) => {
  const set = new Set(names);
  return (action: string) => set.has(action);
};
/** GitHub's audit-log action references, attached to every built-in detection. */
export const BUILTIN_REFERENCES: readonly string[] = Object.freeze([
  "https://docs.github.com/en/organizations/keeping-your-organization-secure/managing-security-settings-for-your-organization/reviewing-the-audit-log-for-your-organization",
  "https://docs.github.com/en/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/audit-log-events-for-your-enterprise",
]);

const verdict = (severity: RiskLevel, tags: readonly string[], hit = true): BuiltinVerdict => ({ severity, tags, hit });
const ADMIN = new Set(["admin", "owner", "owners", "administrator"]);

export const BUILTIN_RULES: readonly BuiltinRule[] = [
  {
    id: "ghaudit.org-admin-granted",
    title: "Organization or enterprise admin granted",
    accepts: exact("org.add_member", "org.update_member", "business.add_admin"),
    evaluate(r) {
      if (r.action === "business.add_admin") return verdict("HIGH", ["privilege-change"]);
      const permission = field(r.raw, "permission", "role");
      return permission !== null && ADMIN.has(permission.toLowerCase()) ? verdict("HIGH", ["privilege-change"]) : null;
    },
  },
  {
    id: "ghaudit.repo-made-public",
    title: "Repository made public",
    accepts: exact("repo.access"),
    evaluate(r) {
      const now = field(r.raw, "visibility");
      const before = field(r.raw, "previous_visibility");
      if (now === null && before === null) return null;
      if (now?.toLowerCase() === "public" && before?.toLowerCase() !== "public") return verdict("HIGH", ["visibility-change", "exposure"]);
      return verdict("INFO", ["visibility-change"], false);
    },
  },
  {
    id: "ghaudit.public-repo-created",
    title: "Public repository created",
    accepts: exact("repo.create"),
    evaluate: (r) => (field(r.raw, "visibility")?.toLowerCase() === "public" ? verdict("LOW", ["exposure"]) : null),
  },
  {
    id: "ghaudit.org-actions-secret-updated",
    title: "Organization Actions secret changed",
    accepts: exact("org.update_actions_secret"),
    evaluate: () => verdict("MEDIUM", ["secrets"]),
  },
  {
    id: "ghaudit.branch-protection-deleted",
    title: "Branch protection rule deleted",
    accepts: exact("protected_branch.destroy"),
    evaluate(r, o) {
      const branch = field(r.raw, "name", "branch")?.replace(/^refs\/heads\//, "") ?? null;
      if (branch === null) return verdict("MEDIUM", ["branch-protection", "branch-unknown"]);
      const known = r.repository === null ? undefined : o.defaultBranch(r.repository);
      const isDefault = known === undefined || known === null ? o.defaultBranchNames.includes(branch) : known === branch;
      return isDefault ? verdict("MEDIUM", ["branch-protection", "default-branch"]) : verdict("LOW", ["branch-protection"]);
    },
  },
  {
    id: "ghaudit.app-not-allowed",
    title: "OAuth app created or GitHub App installed that is not on the allow-list",
    accepts: exact("oauth_application.create", "integration_installation.create"),
    evaluate(r, o) {
      const name = field(r.raw, "name", "integration", "oauth_application", "application_name");
      const ids = [field(r.raw, "oauth_application_id"), field(r.raw, "integration_id"), field(r.raw, "app_id")];
      if (name !== null && o.allowedNames.has(name.toLowerCase())) return verdict("INFO", ["third-party-app", "allowed-app"], false);
      if (ids.some((id) => id !== null && o.allowedIds.has(id))) return verdict("INFO", ["third-party-app", "allowed-app"], false);
      return verdict("MEDIUM", ["third-party-app"]);
    },
  },
  {
    id: "ghaudit.push-protection-bypassed",
    title: "Secret scanning push protection bypassed",
    accepts: exact("secret_scanning_push_protection.bypass"),
    evaluate: () => verdict("MEDIUM", ["secrets", "push-protection-bypass"]),
  },
  {
    id: "ghaudit.secret-alert-created",
    title: "Secret scanning found a secret",
    accepts: exact("secret_scanning_alert.create"),
    evaluate: () => verdict("MEDIUM", ["secrets"]),
  },
  {
    id: "ghaudit.feature-off",
    title: "Security control turned off",
    accepts: (action) => featureSwitchOff(action) !== null,
    evaluate(r) {
      const s = featureSwitchOff(r.action);
      if (s === null) return null;
      const where = s.scope === "enterprise" ? "the enterprise" : s.scope === "repository" ? (r.repository ?? "a repository") : (r.org ?? "the organization");
      const which = s.userNamespace ? " (user-owned repositories)" : s.newReposOnly ? " (new repositories)" : "";
      return {
        ...verdict(s.feature.severity, ["security-feature-off", `feature:${s.feature.id}`, `scope:${s.scope}`]),
        ruleId: `ghaudit.feature-off.${s.feature.id.replaceAll("_", "-")}`,
        ruleTitle: `${s.feature.label} turned off for ${where}${which}`,
      };
    },
  },
];

/** Every built-in rule id a detection can carry (feature-off has one per feature). */
export function builtinRuleInfos(): RuleInfo[] {
  const out: RuleInfo[] = [];
  for (const b of BUILTIN_RULES) {
    if (b.id === "ghaudit.feature-off") {
      for (const f of FEATURES) out.push({ ruleId: `ghaudit.feature-off.${f.id.replaceAll("_", "-")}`, ruleTitle: `${f.label} turned off`, source: "builtin", appliesTo: "audit_event" });
    } else out.push({ ruleId: b.id, ruleTitle: b.title, source: "builtin", appliesTo: "audit_event" });
  }
  return out;
}

export function resolveBuiltinOptions(o: BuiltinOptions): ResolvedBuiltinOptions {
  const allowed = o.allowedApps ?? [];
  return {
    allowedNames: new Set(allowed.filter((a): a is string => typeof a === "string").map((a) => a.toLowerCase())),
    allowedIds: new Set(allowed.map(String)),
    defaultBranch: o.defaultBranch ?? (() => undefined),
    defaultBranchNames: o.defaultBranchNames ?? ["main", "master"],
  };
}

/** The routine-action test by name (`git.*` by default), indexed once per distinct action. */
export function noiseMatcher(o: BuiltinOptions): (action: string) => boolean {
  const globs = (o.noiseActions ?? ["git.*"]).map(globToRegExp);
  return (action) => globs.some((g) => g.test(action));
}

/** `repo.access` without `visibility` or `previous_visibility`: a routine read, not a visibility change. */
export function isRoutineRepoAccess(r: AuditEventRecord): boolean {
  return r.action === "repo.access" && field(r.raw, "visibility") === null && field(r.raw, "previous_visibility") === null;
}
