// The `rules:` section of ghaudit's config (zod, with defaults) and building an engine from it.
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { isAppError } from "../core/errors.js";
import { createRuleEngine, type RuleEngine } from "./engine.js";
import { loadSigmaDirectory, type SigmaProblem, type SigmaRule } from "./sigma-load.js";
import { loadUserRules, userRulesError, type UserRule, type UserRuleProblem } from "./user-rules.js";

export const RulesSettings = z.strictObject({
  builtins: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** OAuth/GitHub App names or ids that may be created or installed without a detection. */
      allowed_apps: z.array(z.union([z.string().min(1), z.number().int()])).default([]),
      drop_noise: z.boolean().default(true),
      /** Globs of routine actions; default `git.*`. */
      noise_actions: z.array(z.string().min(1)).default(["git.*"]),
      /** Taken as default branch when the repository inventory does not know the repository. */
      default_branches: z.array(z.string().min(1)).default(["main", "master"]),
      disabled: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  /** User rule files (YAML), relative to the config file. */
  user_rules: z.array(z.string().min(1)).default([]),
  /** Directories of Sigma rules, relative to the config file. */
  sigma: z.array(z.string().min(1)).default([]),
  sigma_raises_severity: z.boolean().default(false),
});
export type RulesSettings = z.infer<typeof RulesSettings>;

/** An example for docs and `ghaudit init`. */
export const RULES_SETTINGS_EXAMPLE = {
  builtins: { allowed_apps: ["Dependabot", "Datadog CI"], drop_noise: true, noise_actions: ["git.*"] },
  user_rules: ["rules/ghaudit-rules.yml"],
  sigma: ["rules/sigma"],
};

export interface LoadedRules {
  engine: RuleEngine;
  userRules: UserRule[];
  sigmaRules: SigmaRule[];
  /** Sigma files skipped or rejected, with the reason (log them; they do not stop ghaudit). */
  sigmaProblems: SigmaProblem[];
}

export interface LoadRulesOptions {
  /** Folder relative paths are read from (the config file's folder). */
  baseDir: string;
  /** Configured sink names, to check user rules' `routes:`. */
  sinks?: readonly string[];
  defaultBranch?: (repository: string) => string | null | undefined;
}

/** Loads every user rule file and Sigma directory; user rule problems of all files come in one config-invalid error. */
export function loadRules(settings: RulesSettings, options: LoadRulesOptions): LoadedRules {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(options.baseDir, p));
  const userRules: UserRule[] = [];
  const problems: UserRuleProblem[] = [];
  for (const file of settings.user_rules) {
    try {
      userRules.push(...loadUserRules(at(file), options.sinks ? { sinks: options.sinks } : {}));
    } catch (err) {
      const details = isAppError(err) ? (err.details as { problems?: UserRuleProblem[] } | undefined) : undefined;
      if (!details?.problems) throw err;
      problems.push(...details.problems);
    }
  }
  if (problems.length > 0) throw userRulesError(problems);
  const sigmaRules: SigmaRule[] = [];
  const sigmaProblems: SigmaProblem[] = [];
  const seen = new Map<string, string>();
  for (const dir of settings.sigma) {
    const loaded = loadSigmaDirectory(at(dir));
    for (const r of loaded.rules) {
      const first = seen.get(r.ruleId);
      if (first === undefined) {
        seen.set(r.ruleId, r.file);
        sigmaRules.push(r);
      } else sigmaProblems.push({ file: r.file, rule: r.ruleTitle, kind: "invalid", message: `duplicate id ${r.ruleId} (also in ${first}); skipped` });
    }
    sigmaProblems.push(...loaded.problems);
  }
  const b = settings.builtins;
  const engine = createRuleEngine({
    builtins: {
      enabled: b.enabled, allowedApps: b.allowed_apps, dropNoise: b.drop_noise, noiseActions: b.noise_actions,
      defaultBranchNames: b.default_branches, disabled: b.disabled,
      ...(options.defaultBranch ? { defaultBranch: options.defaultBranch } : {}),
    },
    userRules,
    sigmaRules,
    sigmaRaisesSeverity: settings.sigma_raises_severity,
  });
  return { engine, userRules, sigmaRules, sigmaProblems };
}
