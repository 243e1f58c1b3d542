// The rules engine: built-in heuristics, user rules and Sigma rules over every audit event. Rules are compiled once
// and indexed by action (each distinct action is classified once), so an event only meets the rules that can match it.
import type { AuditEventRecord, FindingRecord, RiskLevel } from "../core/records.js";
import {
  BUILTIN_REFERENCES, BUILTIN_RULES, builtinRuleInfos, isRoutineRepoAccess, noiseMatcher, resolveBuiltinOptions,
  type BuiltinOptions, type BuiltinRule,
} from "./builtins.js";
import type { FieldView } from "./fields.js";
import { evaluateFinding, findingRuleInfos, type FindingEvaluation } from "./findings.js";
import { maxRisk, riskToLevel } from "./severity.js";
import type { SigmaRule } from "./sigma-load.js";
import type { DetectionHit, EvaluationResult, Explanation, RuleInfo, RuleSource } from "./types.js";
import type { UserRule } from "./user-rules.js";

export interface RuleEngineOptions {
  builtins?: BuiltinOptions;
  userRules?: readonly UserRule[];
  sigmaRules?: readonly SigmaRule[];
  /** Let Sigma detections raise the event's severity too (default false: they are reported as detections only). */
  sigmaRaisesSeverity?: boolean;
}

export interface RuleEngine {
  evaluate(record: AuditEventRecord): EvaluationResult;
  /** `evaluate` plus every rule that matched and what it did (for `ghaudit rules test`). */
  explain(record: AuditEventRecord): Explanation;
  evaluateFinding(finding: FindingRecord): FindingEvaluation;
  /** Every rule loaded, in evaluation order. */
  rules(): RuleInfo[];
}

interface Candidates {
  builtins: readonly BuiltinRule[];
  sigma: readonly SigmaRule[];
  user: readonly UserRule[];
  noise: boolean;
}

type Matched = { ruleId: string; source: RuleSource; effect: string }[];

const EMPTY: readonly never[] = Object.freeze([]);
const MAX_CACHED_ACTIONS = 50_000;

function sigmaHit(s: SigmaRule): DetectionHit {
  return Object.freeze({
    ruleId: s.ruleId, ruleTitle: s.ruleTitle, level: s.level, severity: s.severity,
    references: s.references, source: "sigma" as const, tags: s.tags, author: s.author,
  });
}

export function createRuleEngine(options: RuleEngineOptions = {}): RuleEngine {
  const b = options.builtins ?? {};
  const builtinsOn = b.enabled ?? true;
  const disabled = new Set(b.disabled ?? []);
  const builtins = builtinsOn ? BUILTIN_RULES.filter((r) => !disabled.has(r.id)) : [];
  const resolved = resolveBuiltinOptions(b);
  const isNoiseAction = noiseMatcher(b);
  const dropNoise = builtinsOn && (b.dropNoise ?? true);
  const sigma = options.sigmaRules ?? [];
  const sigmaHits = new Map(sigma.map((s) => [s, sigmaHit(s)]));
  const user = options.userRules ?? [];
  const sigmaRaises = options.sigmaRaisesSeverity ?? false;
  const cache = new Map<string, Candidates>();

  function candidatesFor(action: string): Candidates {
    let c = cache.get(action);
    if (c !== undefined) return c;
    const pick = <T extends { action: ((a: string) => boolean) | null }>(rules: readonly T[]) => {
      const out = rules.filter((r) => r.action === null || r.action(action));
      return out.length === 0 ? EMPTY : out;
    };
    const bs = builtins.filter((r) => r.accepts(action));
    c = { builtins: bs.length === 0 ? EMPTY : bs, sigma: pick(sigma), user: pick(user), noise: builtinsOn && isNoiseAction(action) };
    if (cache.size >= MAX_CACHED_ACTIONS) cache.clear();
    cache.set(action, c);
    return c;
  }

  function run(r: AuditEventRecord, matched: Matched | null): EvaluationResult {
    const c = candidatesFor(r.action);
    let severity: RiskLevel = "INFO";
    let tags: string[] | null = null;
    const addTags = (more: readonly string[]) => {
      for (const t of more) {
        if ((tags ?? r.tags).includes(t)) continue;
        (tags ??= [...r.tags]).push(t);
      }
    };
    let detections: DetectionHit[] | null = null;
    for (const rule of c.builtins) {
      const v = rule.evaluate(r, resolved);
      if (v === null || (v.ruleId !== undefined && disabled.has(v.ruleId))) continue;
      severity = maxRisk(severity, v.severity);
      addTags(v.tags);
      const ruleId = v.ruleId ?? rule.id;
      if (v.hit) {
        (detections ??= []).push({
          ruleId, ruleTitle: v.ruleTitle ?? rule.title, level: riskToLevel(v.severity), severity: v.severity,
          references: BUILTIN_REFERENCES, source: "builtin", tags: v.tags, author: null,
        });
      }
      matched?.push({ ruleId, source: "builtin", effect: v.hit ? `severity ${v.severity}` : `tags ${v.tags.join(", ")}` });
    }
    for (const s of c.sigma) {
      if (!s.test(r.raw)) continue;
      (detections ??= []).push(sigmaHits.get(s)!);
      if (sigmaRaises) severity = maxRisk(severity, s.severity);
      matched?.push({ ruleId: s.ruleId, source: "sigma", effect: `detection ${s.level}` });
    }
    const noise = c.noise || (builtinsOn && isRoutineRepoAccess(r));
    if (noise) matched?.push({ ruleId: "ghaudit.noise", source: "builtin", effect: "routine" });
    let explicit: RiskLevel | null = null;
    let drop: boolean | null = null;
    let routes: string[] | null = null;
    if (c.user.length > 0) {
      const view: FieldView = { record: r, severity, tags: tags ?? r.tags };
      for (const u of c.user) {
        if (!u.test(view)) continue;
        if (u.severity !== null) severity = maxRisk(severity, u.severity);
        if (u.setSeverity !== null) explicit = u.setSeverity;
        addTags(u.tags);
        if (u.drop !== null) drop = u.drop;
        for (const s of u.routes) if (!(routes ??= []).includes(s)) routes.push(s);
        const level = u.setSeverity ?? u.severity;
        if (level !== null && u.drop !== true) {
          (detections ??= []).push({ ruleId: u.ruleId, ruleTitle: u.ruleTitle, level: riskToLevel(level), severity: level, references: EMPTY, source: "user", tags: u.tags, author: null });
        }
        matched?.push({ ruleId: u.ruleId, source: "user", effect: userEffect(u) });
        view.severity = explicit ?? severity;
        view.tags = tags ?? r.tags;
      }
    }
    return {
      severity: explicit ?? severity,
      tags: tags ?? r.tags,
      drop: drop ?? (dropNoise && noise && detections === null),
      routes: routes ?? EMPTY,
      detections: detections ?? EMPTY,
    };
  }

  return {
    evaluate: (record) => run(record, null),
    explain(record) {
      const matched: Matched = [];
      return { ...run(record, matched), matched };
    },
    evaluateFinding(finding) {
      if (!builtinsOn) return { severity: "INFO", detections: EMPTY };
      const e = evaluateFinding(finding);
      const kept = e.detections.filter((d) => !disabled.has(d.ruleId));
      if (kept.length === e.detections.length) return e;
      return { severity: kept.reduce<RiskLevel>((s, d) => maxRisk(s, d.severity), "INFO"), detections: kept };
    },
    rules() {
      const own = builtinsOn ? [...builtinRuleInfos(), ...findingRuleInfos()].filter((i) => !disabled.has(i.ruleId) && !(i.ruleId.startsWith("ghaudit.feature-off.") && disabled.has("ghaudit.feature-off"))) : [];
      return [
        ...own,
        ...sigma.map((s): RuleInfo => ({ ruleId: s.ruleId, ruleTitle: s.ruleTitle, source: "sigma", appliesTo: "audit_event" })),
        ...user.map((u): RuleInfo => ({ ruleId: u.ruleId, ruleTitle: u.ruleTitle, source: "user", appliesTo: "audit_event" })),
      ];
    },
  };
}

function userEffect(u: UserRule): string {
  const parts: string[] = [];
  if (u.setSeverity !== null) parts.push(`set severity ${u.setSeverity}`);
  if (u.severity !== null) parts.push(`severity ${u.severity}`);
  if (u.tags.length > 0) parts.push(`tags ${u.tags.join(", ")}`);
  if (u.drop !== null) parts.push(u.drop ? "drop" : "keep");
  if (u.routes.length > 0) parts.push(`routes ${u.routes.join(", ")}`);
  return parts.join("; ");
}
