// Code scanning: analysis configurations per repo, analyses history, alert creation and the dismiss/fix transitions.
import { isoSeconds } from "../../core/clock.js";
import type { EmulatorState } from "../state/state.js";
import type { CodeScanningAnalysis, CodeScanningInstance, CodeScanningRecord, EmuRepo, SimpleUser } from "../state/types.js";
import { DAY, HOUR, between, repoProfile, userRef, uuid } from "./common.js";
import { sha } from "./ids.js";
import type { Rng } from "./rng.js";
import { CODEQL_VERSIONS, LANGUAGES, RULES, THIRD_PARTY_WORKFLOWS, codeqlTool, type RuleDef } from "./vocab-code-scanning.js";

/** One analysis configuration (tool + language) of a repo, i.e. one `category`. */
export interface ScanSetup {
  tool: string;
  lang: string | null;
  analysisKey: string;
  category: string;
  environment: string;
}

const setupCache = new WeakMap<EmuRepo, ScanSetup[]>();
const ruleCache = new WeakMap<EmuRepo, RuleDef[]>();

export function scanSetups(repo: EmuRepo): ScanSetup[] {
  let setups = setupCache.get(repo);
  if (setups) return setups;
  const p = repoProfile(repo);
  setups = [];
  for (const lang of p.langs) {
    const codeql = LANGUAGES[lang]!.codeql;
    if (!codeql) continue;
    const category = `/language:${codeql}`;
    setups.push(
      p.defaultSetup
        ? {
            tool: "CodeQL",
            lang,
            analysisKey: "dynamic/github-code-scanning/codeql:analyze",
            category,
            environment: JSON.stringify({ "build-mode": "none", category, language: codeql, runner: '["ubuntu-latest"]' }),
          }
        : { tool: "CodeQL", lang, analysisKey: ".github/workflows/codeql.yml:analyze", category, environment: JSON.stringify({ language: codeql }) },
    );
  }
  for (const tool of p.thirdParty) {
    const key = THIRD_PARTY_WORKFLOWS[tool]!;
    setups.push({ tool, lang: null, analysisKey: key, category: `${key}/`, environment: "{}" });
  }
  setupCache.set(repo, setups);
  return setups;
}

/** Rules that can fire in this repo (its languages, its tools). */
export function rulesFor(repo: EmuRepo): RuleDef[] {
  let rules = ruleCache.get(repo);
  if (rules) return rules;
  const p = repoProfile(repo);
  const tools = new Set(scanSetups(repo).map((s) => s.tool));
  rules = RULES.filter((r) => tools.has(r.tool.name ?? "") && (r.lang === "any" || p.langs.includes(r.lang)));
  ruleCache.set(repo, rules);
  return rules;
}

const FALLBACK_SETUP: ScanSetup = {
  tool: "CodeQL",
  lang: "js",
  analysisKey: ".github/workflows/codeql.yml:analyze",
  category: "/language:javascript-typescript",
  environment: '{"language":"javascript-typescript"}',
};

function setupOf(repo: EmuRepo, def: RuleDef): ScanSetup {
  const setups = scanSetups(repo);
  return setups.find((s) => s.tool === def.tool.name && (s.lang === null || s.lang === def.lang)) ?? setups[0] ?? FALLBACK_SETUP;
}

export function codeqlVersionAt(at: number, now: number): string {
  const ageDays = Math.max(0, (now - at) / DAY);
  const idx = CODEQL_VERSIONS.length - 1 - Math.min(CODEQL_VERSIONS.length - 1, Math.floor(ageDays / 60));
  return CODEQL_VERSIONS[idx]!;
}

/** Analysis ids are global on GitHub; numbered per state so equal seeds give equal ids. */
const nextAnalysisId = new WeakMap<EmulatorState, number>();
function analysisId(state: EmulatorState): number {
  const id = nextAnalysisId.get(state) ?? 180_000_001;
  nextAnalysisId.set(state, id + 1);
  return id;
}

/** Appends one analysis (an upload for one category) at time `at`. */
export function addAnalysis(state: EmulatorState, repo: EmuRepo, rng: Rng, setup: ScanSetup, at: number, version: string): CodeScanningAnalysis {
  const id = analysisId(state);
  const analysis: CodeScanningAnalysis = {
    ref: `refs/heads/${repo.defaultBranch}`,
    commit_sha: sha(rng),
    analysis_key: setup.analysisKey,
    environment: setup.environment,
    category: setup.category,
    error: "",
    created_at: isoSeconds(at),
    results_count: rng.int(0, 40),
    rules_count: setup.tool === "CodeQL" ? rng.int(150, 460) : rng.int(30, 300),
    id,
    url: `${state.baseUrl}/repos/${repo.fullName}/code-scanning/analyses/${id}`,
    sarif_id: uuid(rng),
    tool: setup.tool === "CodeQL" ? codeqlTool(version) : (RULES.find((r) => r.tool.name === setup.tool)?.tool ?? { name: setup.tool, guid: null, version: null }),
    deletable: true,
    warning: "",
  };
  for (const a of repo.analyses) if (a.category === setup.category && a.analysis_key === setup.analysisKey) a.deletable = false;
  repo.analyses.push(analysis);
  return analysis;
}

/** The scan history of a repo: a few analyses per configuration over the last weeks, in time order. */
export function seedAnalyses(state: EmulatorState, repo: EmuRepo, rng: Rng, now: number): void {
  const runs: { at: number; setup: ScanSetup }[] = [];
  const start = Math.max(repo.createdAt + HOUR, now - 60 * DAY);
  for (const setup of scanSetups(repo)) {
    const n = rng.int(2, 7);
    for (let i = 0; i < n; i++) runs.push({ at: between(rng, start, now - HOUR), setup });
  }
  runs.sort((a, b) => a.at - b.at);
  for (const run of runs) addAnalysis(state, repo, rng, run.setup, run.at, codeqlVersionAt(run.at, now));
}

function latestCommit(repo: EmuRepo, setup: ScanSetup): string | null {
  for (let i = repo.analyses.length - 1; i >= 0; i--) {
    const a = repo.analyses[i]!;
    if (a.category === setup.category && a.analysis_key === setup.analysisKey) return a.commit_sha;
  }
  return null;
}

function pathFor(rng: Rng, repo: EmuRepo, def: RuleDef): string {
  if (def.tool.name === "Trivy") return def.rule.id?.startsWith("AVD-DS") ? "Dockerfile" : "infra/main.tf";
  const langKey = def.lang === "any" ? repoProfile(repo).langs[0]! : def.lang;
  const lang = LANGUAGES[langKey]!;
  return `${rng.pick(lang.dirs)}/${rng.pick(lang.files)}.${lang.ext}`;
}

function instance(setup: ScanSetup, ref: string, commit: string, def: RuleDef, path: string, rng: Rng, state: CodeScanningInstance["state"]): CodeScanningInstance {
  const startLine = rng.int(1, 900);
  const endLine = startLine + (rng.chance(0.7) ? 0 : rng.int(1, 4));
  const startColumn = rng.int(1, 40);
  return {
    ref,
    analysis_key: setup.analysisKey,
    environment: setup.environment,
    category: setup.category,
    state,
    commit_sha: commit,
    message: { text: def.message },
    location: { path, start_line: startLine, end_line: endLine, start_column: startColumn, end_column: startColumn + rng.int(5, 60) },
    classifications: /(^|\/)(test|tests|spec)\//.test(path) || path.includes("fixtures") ? ["test"] : [],
  };
}

/** Creates an open alert at `at` in the repo (adds an analysis first if its configuration never ran). */
export function createCodeScanningAlert(state: EmulatorState, repo: EmuRepo, rng: Rng, at: number): CodeScanningRecord {
  const rules = rulesFor(repo);
  const def = rules.length > 0 ? rng.pick(rules) : RULES[0]!;
  const setup = setupOf(repo, def);
  let commit = latestCommit(repo, setup);
  if (commit === null) commit = addAnalysis(state, repo, rng, setup, at, codeqlVersionAt(at, at)).commit_sha;
  const number = repo.next.codeScanning++;
  const api = `${state.baseUrl}/repos/${repo.fullName}/code-scanning/alerts/${number}`;
  const ref = `refs/heads/${repo.defaultBranch}`;
  const path = pathFor(rng, repo, def);
  const main = instance(setup, ref, commit, def, path, rng, "open");
  const instances = [main];
  if (rng.chance(0.25)) instances.push({ ...main, ref: `refs/pull/${rng.int(1, Math.max(1, repo.next.issue - 1))}/merge`, commit_sha: sha(rng) });
  const created = isoSeconds(at);
  const record: CodeScanningRecord = {
    alert: {
      number,
      created_at: created,
      updated_at: created,
      url: api,
      html_url: `${state.baseUrl}/${repo.fullName}/security/code-scanning/${number}`,
      instances_url: `${api}/instances`,
      state: "open",
      fixed_at: null,
      dismissed_by: null,
      dismissed_at: null,
      dismissed_reason: null,
      dismissed_comment: null,
      rule: def.rule,
      tool: def.tool.name === "CodeQL" ? codeqlTool(latestVersion(repo, setup)) : def.tool,
      most_recent_instance: { ...main },
      dismissal_approved_by: null,
      assignees: [],
    } as CodeScanningRecord["alert"] & { dismissal_approved_by: SimpleUser | null; assignees: SimpleUser[] },
    instances,
  };
  repo.codeScanning.push(record);
  return record;
}

function latestVersion(repo: EmuRepo, setup: ScanSetup): string {
  for (let i = repo.analyses.length - 1; i >= 0; i--) {
    const a = repo.analyses[i]!;
    if (a.category === setup.category && a.tool.name === "CodeQL" && a.tool.version) return a.tool.version;
  }
  return CODEQL_VERSIONS[CODEQL_VERSIONS.length - 1]!;
}

export type CodeScanningDismissReason = "false positive" | "won't fix" | "used in tests";

export function dismissCodeScanningAlert(state: EmulatorState, record: CodeScanningRecord, by: string, at: number, reason: CodeScanningDismissReason, comment: string | null): void {
  const a = record.alert;
  a.state = "dismissed";
  a.dismissed_by = userRef(state, by);
  a.dismissed_at = isoSeconds(at);
  a.dismissed_reason = reason;
  a.dismissed_comment = comment;
  a.updated_at = a.dismissed_at;
  a.most_recent_instance.state = "dismissed";
}

export function fixCodeScanningAlert(record: CodeScanningRecord, rng: Rng, at: number): void {
  const a = record.alert;
  a.state = "fixed";
  a.fixed_at = isoSeconds(at);
  a.updated_at = a.fixed_at;
  a.most_recent_instance.state = "fixed";
  a.most_recent_instance.commit_sha = sha(rng);
  for (const i of record.instances) i.state = "fixed";
}
