// Recognizes "a security control was turned off" in any of GitHub's spellings (`.disable`, `.disabled`,
// `_disable`, `_disabled`, `disabled_on_all_repos`, `disabled_for_new_repos`, `new_repos_disable` ...).
// An action is split into words; one word must say "off", the scope words are set aside, and the words left
// must name a control in FEATURES. A new spelling of "disable" is one entry in OFF_WORDS, a new name of a control
// one entry in its aliases (GITHUB-API.md 4.2 and 4.3 list the real names; feature-switches.test.ts checks them).
import type { RiskLevel } from "../core/records.js";

/** Words meaning "turned off". */
const OFF_WORDS: ReadonlySet<string> = new Set(["disable", "disabled"]);

/** Words that say where a change applies, never what was changed. */
const SCOPE_WORDS: ReadonlySet<string> = new Set([
  "org", "organization", "repo", "repository", "business", "enterprise",
  "new", "repos", "all", "on", "for", "user", "namespace",
]);

export type FeatureId =
  | "advanced_security" | "secret_scanning" | "push_protection" | "dependabot_alerts" | "dependabot_security_updates"
  | "dependency_graph" | "code_scanning" | "two_factor_requirement" | "sso" | "oauth_app_restrictions" | "ip_allow_list"
  | "secret_validity_checks" | "secret_non_provider_patterns" | "secret_generic_secrets" | "malware_alerts"
  | "code_scanning_autofix" | "ssh_certificate_requirement";

export interface Feature {
  id: FeatureId;
  /** What an auditor reads: "<label> turned off". */
  label: string;
  severity: RiskLevel;
  /** The words left once the "off" and scope words are removed, space-separated. */
  aliases: readonly string[];
}

export const FEATURES: readonly Feature[] = [
  { id: "advanced_security", label: "GitHub Advanced Security", severity: "HIGH", aliases: ["advanced security", "advanced security policy selected member", "code security"] },
  { id: "secret_scanning", label: "Secret scanning", severity: "HIGH", aliases: ["secret scanning"] },
  { id: "push_protection", label: "Secret scanning push protection", severity: "HIGH", aliases: ["secret scanning push protection", "secret scanning custom pattern push protection"] },
  { id: "dependabot_alerts", label: "Dependabot alerts", severity: "HIGH", aliases: ["dependabot alerts", "vulnerability alerts"] },
  { id: "dependabot_security_updates", label: "Dependabot security updates", severity: "HIGH", aliases: ["dependabot security updates", "security updates"] },
  { id: "dependency_graph", label: "Dependency graph (Dependabot alerts need it)", severity: "HIGH", aliases: ["dependency graph"] },
  { id: "code_scanning", label: "CodeQL code scanning", severity: "HIGH", aliases: ["codeql"] },
  { id: "two_factor_requirement", label: "Two-factor authentication requirement", severity: "HIGH", aliases: ["two factor requirement"] },
  { id: "sso", label: "Single sign-on (SAML/OIDC)", severity: "HIGH", aliases: ["saml", "oidc"] },
  { id: "oauth_app_restrictions", label: "OAuth app access restrictions", severity: "MEDIUM", aliases: ["oauth app restrictions"] },
  { id: "ip_allow_list", label: "IP allow list", severity: "MEDIUM", aliases: ["ip allow list", "ip allow list installed apps"] },
  { id: "secret_validity_checks", label: "Secret scanning validity checks", severity: "MEDIUM", aliases: ["secret scanning automatic validity checks"] },
  { id: "secret_non_provider_patterns", label: "Secret scanning non-provider patterns", severity: "MEDIUM", aliases: ["secret scanning non provider patterns"] },
  { id: "secret_generic_secrets", label: "Secret scanning generic secrets (Copilot)", severity: "MEDIUM", aliases: ["secret scanning generic secrets"] },
  { id: "malware_alerts", label: "Dependabot malware alerts", severity: "MEDIUM", aliases: ["malware alerts"] },
  { id: "ssh_certificate_requirement", label: "SSH certificate requirement", severity: "MEDIUM", aliases: ["ssh certificate requirement"] },
  { id: "code_scanning_autofix", label: "Code scanning autofix", severity: "LOW", aliases: ["code scanning autofix"] },
];

const BY_ALIAS: ReadonlyMap<string, Feature> = new Map(FEATURES.flatMap((f) => f.aliases.map((a) => [a, f] as const)));

export type SwitchScope = "enterprise" | "org" | "repository";

export interface FeatureSwitch {
  feature: Feature;
  /** Who the change applies to. */
  scope: SwitchScope;
  /** Only repositories created from now on (`*_new_repos`, `disabled_for_new_*`). */
  newReposOnly: boolean;
  /** `business_advanced_security.*user_namespace*`: repositories owned by enterprise members' user accounts. */
  userNamespace: boolean;
}

function classify(action: string): FeatureSwitch | null {
  const words = action.toLowerCase().split(/[._\-\s]+/).filter((w) => w !== "");
  let off = false;
  const rest: string[] = [];
  for (const w of words) {
    if (OFF_WORDS.has(w)) off = true;
    else if (!SCOPE_WORDS.has(w)) rest.push(w);
  }
  if (!off) return null;
  const feature = BY_ALIAS.get(rest.join(" "));
  if (!feature) return null;
  const has = (w: string) => words.includes(w);
  const scope: SwitchScope = has("business") || has("enterprise") ? "enterprise" : words[0] === "repo" || words[0] === "repository" ? "repository" : "org";
  return { feature, scope, newReposOnly: has("new"), userNamespace: has("namespace") };
}

const cache = new Map<string, FeatureSwitch | null>();

/** The control an action turns off, or null. Memoized: GitHub has a few thousand action names. */
export function featureSwitchOff(action: string): FeatureSwitch | null {
  let hit = cache.get(action);
  if (hit === undefined) {
    hit = classify(action);
    if (cache.size < 20_000) cache.set(action, hit);
  }
  return hit;
}
