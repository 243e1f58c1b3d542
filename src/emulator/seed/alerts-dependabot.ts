// Dependabot alerts: creation from the advisory database, and the dismiss / fix / auto-dismiss transitions.
import { isoSeconds } from "../../core/clock.js";
import type { EmulatorState } from "../state/state.js";
import type { DependabotAlert, EmuRepo, SimpleUser } from "../state/types.js";
import { advisoryCatalog, pickAdvisory } from "./advisories.js";
import { repoProfile, userRef } from "./common.js";
import type { Rng } from "./rng.js";
import { ECOSYSTEMS } from "./vocab-dependabot.js";

export type DependabotDismissReason = "fix_started" | "inaccurate" | "no_bandwidth" | "not_used" | "tolerable_risk";

/** The alert with the 2022-11-28 fields that the generated types lag behind on. */
export type FullDependabotAlert = DependabotAlert & {
  dependency: DependabotAlert["dependency"] & { relationship: "unknown" | "direct" | "transitive" | "inconclusive" | null };
  auto_dismissed_at: string | null;
  assignees: SimpleUser[];
};

/** Creates an open alert at `at` for an advisory matching one of the repo's ecosystems. */
export function createDependabotAlert(state: EmulatorState, repo: EmuRepo, rng: Rng, at: number): DependabotAlert {
  const profile = repoProfile(repo);
  const ecosystem = profile.ecosystems.length > 0 ? rng.pick(profile.ecosystems) : "npm";
  const info = ECOSYSTEMS[ecosystem] ?? ECOSYSTEMS.npm!;
  const entry = pickAdvisory(advisoryCatalog(state, at), ecosystem, rng, at);
  const manifest = rng.pick(info.manifests);
  const direct = manifest.endsWith("package.json") || manifest.endsWith(".csproj") || manifest.endsWith("pom.xml") || manifest.endsWith(".yml");
  const relationship = !info.relationships ? "unknown" : direct ? "direct" : rng.chance(0.4) ? "direct" : "transitive";
  const scope = ecosystem === "actions" ? "runtime" : rng.chance(0.22) ? "development" : "runtime";
  const number = repo.next.dependabot++;
  const created = isoSeconds(at);
  const alert: FullDependabotAlert = {
    number,
    state: "open",
    dependency: { package: entry.vulnerability.package, manifest_path: manifest, scope, relationship },
    security_advisory: entry.advisory,
    security_vulnerability: entry.vulnerability,
    url: `${state.baseUrl}/repos/${repo.fullName}/dependabot/alerts/${number}`,
    html_url: `${state.baseUrl}/${repo.fullName}/security/dependabot/${number}`,
    created_at: created,
    updated_at: created,
    dismissed_at: null,
    dismissed_by: null,
    dismissed_reason: null,
    dismissed_comment: null,
    fixed_at: null,
    auto_dismissed_at: null,
    assignees: [],
  };
  repo.dependabot.push(alert);
  return alert;
}

export function dismissDependabotAlert(state: EmulatorState, alert: DependabotAlert, by: string, at: number, reason: DependabotDismissReason, comment: string | null): void {
  alert.state = "dismissed";
  alert.dismissed_at = isoSeconds(at);
  alert.dismissed_by = userRef(state, by);
  alert.dismissed_reason = reason;
  alert.dismissed_comment = comment;
  alert.updated_at = alert.dismissed_at;
}

export function fixDependabotAlert(alert: DependabotAlert, at: number): void {
  alert.state = "fixed";
  alert.fixed_at = isoSeconds(at);
  alert.updated_at = alert.fixed_at;
}

export function autoDismissDependabotAlert(alert: DependabotAlert, at: number): void {
  alert.state = "auto_dismissed";
  alert.auto_dismissed_at = isoSeconds(at);
  alert.updated_at = alert.auto_dismissed_at;
}

/** Low-impact development dependencies are what GitHub's preset auto-triage rule dismisses. */
export function autoDismissable(alert: DependabotAlert): boolean {
  return alert.dependency.scope === "development" && alert.dependency.package?.ecosystem === "npm";
}
