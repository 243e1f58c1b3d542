// The org world: people, the enterprise, orgs with owners/members/security managers/teams, and repos with settings.
import type { EmulatorState } from "../state/state.js";
import type { EmuEnterprise, EmuOrg, EmuRepo, EmuUser, Features } from "../state/types.js";
import { seedAnalyses } from "./alerts-code-scanning.js";
import { ACTIONS_BOT, DAY, DEPENDABOT_BOT, HOUR, between } from "./common.js";
import type { SizeSpec } from "./generator.js";
import type { Rng } from "./rng.js";
import { COMPANIES, COUNTRIES, FIRST_NAMES, LAST_NAMES, ORG_SUFFIXES, REPO_DESCRIPTIONS, REPO_DOMAINS, REPO_KINDS, REPO_SINGLETONS, TEAMS } from "./vocab.js";
import { addWorldFacts, type Fact } from "./world-facts.js";

export interface OrgPlan {
  org: EmuOrg;
  repos: EmuRepo[];
  teams: string[];
  /** People who are not members (left, or invited): targets of remove/invite events. */
  outsiders: string[];
}

export interface WorldPlan {
  company: { slug: string; name: string };
  admin: EmuUser;
  people: EmuUser[];
  enterprise: EmuEnterprise | null;
  orgs: OrgPlan[];
  /** When each archived repo was archived (alerts stop changing then). */
  archivedAt: Map<EmuRepo, number>;
  facts: Fact[];
}

const YEAR = 365 * DAY;

function title(s: string): string {
  return s.split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
}

function makePeople(state: EmulatorState, rng: Rng, count: number, company: string): EmuUser[] {
  const taken = new Set<string>();
  const people: EmuUser[] = [];
  let id = rng.int(1_500_000, 9_000_000);
  const admin: EmuUser = { login: `${company}-admin`, id, type: "User", name: `${title(company)} Admin`, country: { code: "US", name: "United States" } };
  taken.add(admin.login);
  people.push(admin);
  const gapMax = Math.max(1_000, Math.floor(150_000_000 / count));
  while (people.length < count) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const style = rng.int(0, 5);
    let login = [`${first}${last}`, `${first}-${last}`, `${first[0]}${last}`, `${first}${last[0]}${rng.int(1, 99)}`, `${last}-${first[0]}`, `${first}-${company}`][style]!;
    if (taken.has(login)) login = `${login}${rng.int(2, 999)}`;
    if (taken.has(login)) continue;
    taken.add(login);
    id += rng.int(1, gapMax);
    if (id === DEPENDABOT_BOT.id || id === ACTIONS_BOT.id) id++;
    const [code, name] = rng.weighted(COUNTRIES.map((c) => [c, c[2]] as const));
    people.push({ login, id, type: "User", name: `${title(first)} ${title(last)}`, country: { code, name } });
  }
  for (const p of people) state.addUser(p);
  for (const bot of [DEPENDABOT_BOT, ACTIONS_BOT]) state.addUser({ login: bot.login, id: bot.id, type: "Bot", name: bot.login, country: { code: "US", name: "United States" } });
  return people;
}

/** Most repos have everything on; the rest have one or two things off (GHAS, secret scanning, push protection, …). */
function makeFeatures(rng: Rng, visibility: EmuRepo["visibility"], full: boolean): Features {
  const f: Features = {
    advanced_security: true,
    code_security: true,
    secret_scanning: true,
    secret_scanning_push_protection: true,
    secret_scanning_non_provider_patterns: true,
    secret_scanning_validity_checks: true,
    dependabot_security_updates: true,
    dependabot_alerts: true,
  };
  if (full || rng.next() < 0.62) return f;
  const changes = rng.chance(0.3) ? 2 : 1;
  for (let i = 0; i < changes; i++) {
    switch (rng.weighted([["ghas", 20], ["secret", 20], ["push", 25], ["dependabot", 20], ["updates", 20], ["patterns", 15], ["validity", 15]] as const)) {
      case "ghas":
        f.advanced_security = false;
        // Public repos get code scanning and secret scanning without a license.
        if (visibility !== "public") {
          f.code_security = false;
          f.secret_scanning = false;
        }
        break;
      case "secret": f.secret_scanning = false; break;
      case "push": f.secret_scanning_push_protection = false; break;
      case "dependabot": f.dependabot_alerts = false; break;
      case "updates": f.dependabot_security_updates = false; break;
      case "patterns": f.secret_scanning_non_provider_patterns = false; break;
      case "validity": f.secret_scanning_validity_checks = false; break;
    }
  }
  if (!f.secret_scanning) {
    f.secret_scanning_push_protection = false;
    f.secret_scanning_non_provider_patterns = false;
    f.secret_scanning_validity_checks = false;
  }
  if (!f.dependabot_alerts) f.dependabot_security_updates = false;
  return f;
}

function repoName(rng: Rng, taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    let name = rng.chance(0.2) ? rng.pick(REPO_SINGLETONS) : `${rng.pick(REPO_DOMAINS)}-${rng.pick(REPO_KINDS)}`;
    if (attempt > 20) name = `${name}-${attempt}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

function makeRepos(state: EmulatorState, rng: Rng, org: EmuOrg, count: number, inEnterprise: boolean, now: number, nextId: () => number, archivedAt: Map<EmuRepo, number>): EmuRepo[] {
  const taken = new Set<string>();
  const repos: EmuRepo[] = [];
  for (let i = 0; i < count; i++) {
    const name = repoName(rng, taken);
    const full = i === 0;
    let visibility = rng.weighted([["public", 25], ["private", 50], ["internal", 25]] as const);
    if (visibility === "internal" && !inEnterprise) visibility = "private";
    if (name === ".github") visibility = "public";
    const age = rng.next();
    const createdAt = Math.max(org.createdAt + DAY, age < 0.4 ? now - between(rng, 2 * YEAR, 6 * YEAR) : age < 0.9 ? now - between(rng, YEAR / 2, 2 * YEAR) : now - between(rng, 5 * DAY, 150 * DAY));
    const archived = !full && rng.chance(0.08);
    const end = archived ? (rng.chance(0.4) ? between(rng, Math.max(createdAt + DAY, now - 170 * DAY), now - DAY) : between(rng, createdAt + DAY, Math.max(createdAt + 2 * DAY, now - 180 * DAY))) : now;
    const pushedAt = archived ? end - between(rng, HOUR, 30 * DAY) : now - between(rng, 10 * 60_000, 20 * DAY, 2);
    const id = nextId();
    const repo: EmuRepo = {
      id,
      nodeId: `R_kgDO${Buffer.from(id.toString(16).padStart(8, "0"), "hex").toString("base64url")}`,
      name,
      owner: org.login,
      fullName: `${org.login}/${name}`,
      visibility,
      archived,
      fork: !full && rng.chance(0.03),
      description: rng.pick(REPO_DESCRIPTIONS),
      defaultBranch: rng.weighted([["main", 80], ["master", 15], ["develop", 3], ["trunk", 2]] as const),
      createdAt,
      updatedAt: Math.max(pushedAt, createdAt + HOUR),
      pushedAt: Math.max(pushedAt, createdAt + HOUR),
      hasIssues: rng.next() > 0.1,
      features: makeFeatures(rng, visibility, full),
      analyses: [],
      codeScanning: [],
      dependabot: [],
      secretScanning: [],
      next: { codeScanning: 1, dependabot: 1, secretScanning: 1, issue: rng.int(5, 900) },
    };
    if (archived) archivedAt.set(repo, end);
    const scans = repo.features.code_security || visibility === "public";
    if (scans && (full || rng.next() > 0.12)) seedAnalyses(state, repo, rng, end);
    state.addRepo(repo);
    repos.push(repo);
  }
  return repos;
}

/** Builds people, the enterprise, orgs and repos into the state; returns what the alert and audit stages need. */
export function buildWorld(state: EmulatorState, rng: Rng, size: SizeSpec, now: number): WorldPlan {
  const [slug, companyName] = rng.pick(COMPANIES);
  const people = makePeople(state, rng, size.users, slug);
  const admin = people[0]!;
  const others = people.slice(1);
  let enterprise: EmuEnterprise | null = null;
  if (size.enterprise) {
    enterprise = { slug, id: rng.int(10_000, 300_000), name: companyName, owners: [admin.login, rng.pick(others).login] };
    state.addEnterprise(enterprise);
  }
  const suffixes = [...ORG_SUFFIXES];
  let orgId = rng.int(40_000_000, 120_000_000);
  let repoId = rng.int(300_000_000, 600_000_000);
  const nextRepoId = () => (repoId += rng.int(1, 900_000));
  const archivedAt = new Map<EmuRepo, number>();
  const orgs: OrgPlan[] = [];
  for (let i = 0; i < size.orgs; i++) {
    const suffix =
      suffixes.length > 0
        ? suffixes.splice(rng.int(0, suffixes.length - 1), 1)[0]!
        : `${ORG_SUFFIXES[i % ORG_SUFFIXES.length]}-${Math.floor(i / ORG_SUFFIXES.length) + 1}`;
    const login = `${slug}-${suffix}`;
    const shuffled = [...others];
    for (let j = shuffled.length - 1; j > 0; j--) {
      const k = rng.int(0, j);
      [shuffled[j], shuffled[k]] = [shuffled[k]!, shuffled[j]!];
    }
    const memberCount = Math.min(shuffled.length, Math.max(Math.min(3, shuffled.length), Math.round(shuffled.length * (0.35 + rng.next() * 0.35))));
    const chosen = shuffled.slice(0, memberCount).map((u) => u.login);
    const ownerCount = Math.min(chosen.length, rng.int(1, 3));
    const owners = [admin.login, ...chosen.slice(0, ownerCount)];
    const securityManagers = chosen.slice(ownerCount, ownerCount + Math.min(chosen.length - ownerCount, rng.int(1, 3)));
    const org: EmuOrg = {
      login,
      id: (orgId += rng.int(1, 5_000_000)),
      name: `${companyName} ${title(suffix)}`,
      enterprise: enterprise?.slug ?? null,
      plan: size.plan ?? "enterprise",
      createdAt: now - between(rng, 2 * YEAR, 8 * YEAR),
      twoFactorRequirementEnabled: i === 0 || rng.next() > 0.3,
      members: [admin.login, ...chosen],
      owners,
      securityManagers,
    };
    state.addOrg(org);
    const repos = makeRepos(state, rng, org, size.reposPerOrg, enterprise !== null, now, nextRepoId, archivedAt);
    const teams: string[] = TEAMS.filter(() => rng.chance(0.5));
    if (teams.length === 0) teams.push("engineering");
    orgs.push({ org, repos, teams, outsiders: shuffled.slice(memberCount).map((u) => u.login) });
  }
  const plan: WorldPlan = { company: { slug, name: companyName }, admin, people, enterprise, orgs, archivedAt, facts: [] };
  addWorldFacts(plan, rng, now);
  return plan;
}
