// `ghaudit rules test FILE`: which stored audit events a rule file (user rules YAML, a Sigma rule, or a folder of
// Sigma rules) would match, before it is put in the config.
import { readFileSync, statSync } from "node:fs";
import { Command } from "commander";
import { AppError } from "../core/errors.js";
import type { AuditEventRecord } from "../core/records.js";
import { normalizeAuditEvent } from "../pipeline/normalize/index.js";
import {
  createRuleEngine,
  formatRulesTest,
  loadSigmaDirectory,
  loadUserRules,
  parseSigmaRules,
  rulesTestStream,
  type RuleEngine,
  type RuleSource,
} from "../rules/index.js";
import type { Store } from "../store/index.js";
import { openStoreOnly, withCommonFlags, type CommonFlags } from "./context.js";

/** A Sigma rule has `logsource` and `detection`; anything else is a ghaudit user rules file. */
export function engineForFile(path: string): { engine: RuleEngine; source: RuleSource; skipped: string[] } {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new AppError("config-invalid", `Rule file ${path} does not exist.`, { exitCode: 78 });
  }
  if (isDir) {
    const { rules, problems } = loadSigmaDirectory(path);
    return { engine: createRuleEngine({ builtins: { enabled: false }, sigmaRules: rules }), source: "sigma", skipped: problems.map((p) => `${p.file}: ${p.message}`) };
  }
  const text = readFileSync(path, "utf8");
  if (/^\s*logsource:/m.test(text) && /^\s*detection:/m.test(text)) {
    const { rules, problems } = parseSigmaRules(text, path);
    return { engine: createRuleEngine({ builtins: { enabled: false }, sigmaRules: rules }), source: "sigma", skipped: problems.map((p) => `${p.file}: ${p.message}`) };
  }
  return { engine: createRuleEngine({ builtins: { enabled: false }, userRules: loadUserRules(path) }), source: "user", skipped: [] };
}

/** Every stored audit event as a normalized record, oldest first, page by page. */
export async function* storedAuditRecords(store: Store): AsyncGenerator<AuditEventRecord> {
  let cursor: string | undefined;
  do {
    const page = await store.auditEvents.list({}, { order: "asc", limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const e of page.items) yield normalizeAuditEvent(e.raw as Record<string, unknown>, { scope: e.scope, name: e.scopeName });
    cursor = page.nextCursor;
  } while (cursor);
}

export function rulesCommand(): Command {
  const rules = new Command("rules").description("Work with detection rules");
  rules.addCommand(
    withCommonFlags(
      new Command("test")
        .description("Show which stored audit events the rules in FILE (user rules YAML, Sigma rule or folder) would match")
        .argument("<file>", "rule file or folder of Sigma rules")
        .option("--examples <n>", "matching events shown per rule", (v) => Number(v), 5),
      { targets: false },
    ).action(async (file: string, flags: CommonFlags & { examples: number }) => {
      const { engine, source, skipped } = engineForFile(file);
      for (const s of skipped) console.log(`· skipped ${s}`);
      const store = await openStoreOnly(flags);
      try {
        const report = await rulesTestStream(engine, storedAuditRecords(store), { sources: [source], examples: flags.examples });
        console.log(formatRulesTest(report));
      } finally {
        await store.close();
      }
    }),
  );
  return rules;
}
