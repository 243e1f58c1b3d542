// Helpers shared by the seed modules and the alert factories: repo profiles, cached simple-user objects, actors, time.
import { renderUser } from "../render.js";
import type { EmulatorState } from "../state/state.js";
import type { EmuRepo, SimpleUser } from "../state/types.js";
import { hash32, hex } from "./ids.js";
import { createRng, type Rng } from "./rng.js";
import { LANGUAGES } from "./vocab-code-scanning.js";

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Dependabot's own account (real id), the actor of Dependabot alert creation and auto-dismissal. */
export const DEPENDABOT_BOT = { login: "dependabot[bot]", id: 49699333 } as const;
export const ACTIONS_BOT = { login: "github-actions[bot]", id: 41898282 } as const;

export interface RepoProfile {
  /** Language keys of `LANGUAGES` (first = primary). */
  langs: string[];
  ecosystems: string[];
  /** CodeQL default setup (dynamic workflow) vs an advanced-setup workflow file. */
  defaultSetup: boolean;
  /** Third-party SARIF tools uploading to this repo. */
  thirdParty: string[];
}

const PRIMARY: readonly (readonly [string, number])[] = [
  ["js", 30], ["py", 20], ["java", 15], ["go", 12], ["rb", 6], ["cs", 7], ["php", 5], ["rust", 5],
];

const profiles = new WeakMap<EmuRepo, RepoProfile>();

/**
 * What a repo is written in, derived from its full name only, so the generator and runtime factories agree
 * without storing anything extra on the repo.
 */
export function repoProfile(repo: EmuRepo): RepoProfile {
  let p = profiles.get(repo);
  if (p) return p;
  const rng = createRng(hash32(repo.fullName.toLowerCase()));
  const name = repo.name.toLowerCase();
  let langs: string[];
  if (/terraform|infra|helm|k8s|manifests|workflows|^\.github$|policies/.test(name)) langs = ["actions"];
  else if (/android/.test(name)) langs = ["java", "actions"];
  else if (/docs|website|portal|design-system|frontend|web|ui$|dashboard/.test(name)) langs = ["js"];
  else langs = [rng.weighted(PRIMARY)];
  if (langs[0] !== "actions") {
    if (rng.chance(0.15)) {
      const second = rng.weighted(PRIMARY);
      if (!langs.includes(second)) langs.push(second);
    }
    if (!langs.includes("actions") && rng.chance(0.4)) langs.push("actions");
  }
  const ecosystems = [...new Set(langs.map((l) => LANGUAGES[l]!.ecosystem).filter((e): e is string => e !== null))];
  const thirdParty: string[] = [];
  if (langs.includes("php") || rng.chance(0.12)) thirdParty.push("Semgrep OSS");
  if (rng.chance(0.1)) thirdParty.push("Trivy");
  if (langs[0] === "js" && rng.chance(0.15)) thirdParty.push("ESLint");
  p = { langs, ecosystems, defaultSetup: rng.chance(0.6), thirdParty };
  profiles.set(repo, p);
  return p;
}

const userCache = new WeakMap<EmulatorState, { base: string; users: Map<string, SimpleUser> }>();

/**
 * `simple-user` for a login, shared between all alerts that reference the same user (saves memory in big worlds).
 * Callers must not mutate the returned object.
 */
export function userRef(state: EmulatorState, login: string): SimpleUser {
  let cache = userCache.get(state);
  if (!cache || cache.base !== state.baseUrl) {
    cache = { base: state.baseUrl, users: new Map() };
    userCache.set(state, cache);
  }
  let u = cache.users.get(login);
  if (!u) cache.users.set(login, (u = renderUser(state, login)));
  return u;
}

/** A person in the repo's org likely to triage alerts: security managers and owners more often than plain members. */
export function pickTriager(state: EmulatorState, repo: EmuRepo, rng: Rng): string {
  const org = state.org(repo.owner);
  if (!org) return repo.owner;
  const r = rng.next();
  const list = r < 0.4 && org.securityManagers.length > 0 ? org.securityManagers : r < 0.55 ? org.owners : org.members;
  return list.length > 0 ? rng.pick(list) : (org.owners[0] ?? repo.owner);
}

/** A member who pushes code (any member, skewed toward the most active ones). */
export function pickDeveloper(state: EmulatorState, repo: EmuRepo, rng: Rng): string {
  const org = state.org(repo.owner);
  const list = org?.members ?? [];
  if (list.length === 0) return org?.owners[0] ?? repo.owner;
  const r = rng.next();
  return list[Math.floor(r * r * list.length)]!;
}

/** A time in (from, to), skewed toward `from` when `skew` > 1. */
export function between(rng: Rng, from: number, to: number, skew = 1): number {
  const r = skew === 1 ? rng.next() : Math.pow(rng.next(), skew);
  return Math.floor(from + (to - from) * r);
}

/** Random RFC 4122 v4-looking UUID from the PRNG. */
export function uuid(rng: Rng): string {
  const h = hex(rng, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
