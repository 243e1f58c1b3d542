// `ghaudit rules test FILE`'s engine: runs events through the rules and reports which events each rule matched.
import { RISK_LEVELS, type AuditEventRecord, type RiskLevel } from "../core/records.js";
import type { RuleEngine } from "./engine.js";
import type { RuleSource } from "./types.js";

export interface RuleTestExample {
  /** 0-based position in the input. */
  index: number;
  id: string;
  action: string;
  actor: string | null;
  repository: string | null;
  effect: string;
}

export interface RuleTestRow {
  ruleId: string;
  ruleTitle: string;
  source: RuleSource;
  matches: number;
  examples: RuleTestExample[];
}

export interface RulesTestReport {
  events: number;
  dropped: number;
  routed: number;
  bySeverity: Record<RiskLevel, number>;
  /** Every loaded rule (those that matched nothing too, so a rule that never fires stands out), then `ghaudit.noise`. */
  rules: RuleTestRow[];
  /** Events that failed to evaluate (should stay empty). */
  errors: { index: number; message: string }[];
}

export interface RulesTestOptions {
  /** Only report these sources (e.g. `["user"]` when testing a user rules file). */
  sources?: readonly RuleSource[];
  /** Examples kept per rule; default 5. */
  examples?: number;
}

export function rulesTest(engine: RuleEngine, events: Iterable<AuditEventRecord>, options: RulesTestOptions = {}): RulesTestReport {
  const run = new RulesTestRun(engine, options);
  for (const record of events) run.add(record);
  return run.report();
}

/** The same over events read one by one (from the store): nothing but the report is kept in memory. */
export async function rulesTestStream(engine: RuleEngine, events: AsyncIterable<AuditEventRecord>, options: RulesTestOptions = {}): Promise<RulesTestReport> {
  const run = new RulesTestRun(engine, options);
  for await (const record of events) run.add(record);
  return run.report();
}

/** Accumulates a rules test report event by event. */
class RulesTestRun {
  readonly #engine: RuleEngine;
  readonly #keep: number;
  readonly #wanted: (s: RuleSource) => boolean;
  readonly #rows = new Map<string, RuleTestRow>();
  readonly #report: RulesTestReport;
  #index = 0;

  constructor(engine: RuleEngine, options: RulesTestOptions) {
    this.#engine = engine;
    this.#keep = options.examples ?? 5;
    this.#wanted = (s) => options.sources === undefined || options.sources.includes(s);
    for (const info of engine.rules()) {
      if (this.#wanted(info.source) && info.appliesTo === "audit_event") {
        this.#rows.set(info.ruleId, { ruleId: info.ruleId, ruleTitle: info.ruleTitle, source: info.source, matches: 0, examples: [] });
      }
    }
    const bySeverity = Object.fromEntries(RISK_LEVELS.map((l) => [l, 0])) as Record<RiskLevel, number>;
    this.#report = { events: 0, dropped: 0, routed: 0, bySeverity, rules: [], errors: [] };
  }

  add(record: AuditEventRecord): void {
    const i = this.#index++;
    const report = this.#report;
    report.events++;
    try {
      const x = this.#engine.explain(record);
      report.bySeverity[x.severity]++;
      if (x.drop) report.dropped++;
      if (x.routes.length > 0) report.routed++;
      for (const m of x.matched) {
        if (!this.#wanted(m.source)) continue;
        let row = this.#rows.get(m.ruleId);
        if (!row) this.#rows.set(m.ruleId, (row = { ruleId: m.ruleId, ruleTitle: m.ruleId, source: m.source, matches: 0, examples: [] }));
        row.matches++;
        if (row.examples.length < this.#keep) {
          row.examples.push({ index: i, id: record.id, action: record.action, actor: record.actor, repository: record.repository, effect: m.effect });
        }
      }
    } catch (err) {
      report.errors.push({ index: i, message: (err as Error).message });
    }
  }

  report(): RulesTestReport {
    return { ...this.#report, rules: [...this.#rows.values()] };
  }
}

/** Plain-text rendering for the CLI. */
export function formatRulesTest(report: RulesTestReport): string {
  const lines = [
    `${report.events} events: ${report.dropped} dropped, ${report.routed} routed; ` +
      RISK_LEVELS.map((l) => `${l} ${report.bySeverity[l]}`).join(", "),
  ];
  for (const r of report.rules) {
    lines.push(`${r.matches === 0 ? "·" : "✓"} ${r.ruleId} (${r.source}) ${r.ruleTitle}: ${r.matches} match${r.matches === 1 ? "" : "es"}`);
    for (const e of r.examples) lines.push(`    #${e.index} ${e.action} by ${e.actor ?? "?"}${e.repository ? ` on ${e.repository}` : ""} -> ${e.effect}`);
  }
  for (const e of report.errors) lines.push(`✗ event #${e.index}: ${e.message}`);
  return lines.join("\n");
}
