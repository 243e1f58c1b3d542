// loadConfig: file + environment + flags, validated as a whole; every problem is reported in one AppError.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { z } from "zod";
import { AppError } from "../core/errors.js";
import { createConfigSchema, type ParsedConfig } from "./schema.js";
import { applyOverrides, formatPath, interpolate, originOf, parseYaml, type ConfigFlags, type Env, type Problem, type Raw } from "./sources.js";

export interface ConfigSource {
  /** Absolute path of the YAML file, or null when everything came from the environment and flags. */
  file: string | null;
}

export type Config = ParsedConfig & { source: ConfigSource };

export interface LoadConfigOptions {
  flags?: ConfigFlags;
  env?: Env;
  cwd?: string;
  /** For commands that only read the store: orgs and credentials are not required. */
  storeOnly?: boolean;
}

/** Exit code for configuration errors (sysexits EX_CONFIG). */
const EX_CONFIG = 78;

function invalid(file: string | null, problems: Problem[]): AppError {
  const lines = problems.map((p) => `  - ${p.path ? `${p.path}: ` : ""}${p.message}${p.origin ? ` (from ${p.origin})` : ""}`);
  const where = file ? `in ${file}` : "from the environment and flags (no config file)";
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return new AppError("config-invalid", `Invalid configuration ${where} (${count}):\n${lines.join("\n")}`, {
    hint: "Fix the settings listed above; docs/config.md describes every setting and its default.",
    status: 400,
    exitCode: EX_CONFIG,
    details: { file, problems },
  });
}

function readConfigFile(path: string, origin: string): string {
  const stat = existsSync(path) ? statSync(path) : null;
  if (!stat?.isFile()) {
    const what = stat ? "is a folder, not a file" : "not found";
    throw new AppError("config-invalid", `Config file ${what}: ${path} (from ${origin}).`, {
      hint: "Pass an existing YAML file with --config (or GHAUDIT_CONFIG), or leave both unset to configure by environment and flags.",
      status: 400,
      exitCode: EX_CONFIG,
    });
  }
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new AppError("config-invalid", `Cannot read config file ${path}: ${(err as Error).message}`, { status: 400, exitCode: EX_CONFIG, cause: err });
  }
}

function zodProblems(error: z.ZodError, origins: Map<string, string>): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = formatPath([...issue.path, key]);
        problems.push({ path, message: "unknown setting" });
      }
      continue;
    }
    const path = formatPath(issue.path);
    const origin = originOf(origins, path);
    problems.push({ path, message: issue.message, ...(origin ? { origin } : {}) });
  }
  return problems;
}

/**
 * Loads the configuration: the YAML file named by --config or GHAUDIT_CONFIG (optional), then GITHUB_API_URL,
 * GITHUB_TOKEN, GHAUDIT_DB and GHAUDIT_WEBHOOK_SECRET, then flags. Throws one `config-invalid` AppError that
 * lists every problem found.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const flags = options.flags ?? {};
  const cwd = options.cwd ?? process.cwd();
  const named = flags.config ? { path: flags.config, origin: "--config" } : env["GHAUDIT_CONFIG"] ? { path: env["GHAUDIT_CONFIG"], origin: "GHAUDIT_CONFIG" } : null;
  const file = named ? resolve(cwd, named.path) : null;

  const problems: Problem[] = [];
  let raw: Raw = {};
  if (file && named) {
    const parsed = parseYaml(readConfigFile(file, named.origin));
    if (parsed.problems.length > 0) throw invalid(file, parsed.problems);
    if (parsed.data !== undefined && parsed.data !== null) {
      if (typeof parsed.data !== "object" || Array.isArray(parsed.data)) {
        throw invalid(file, [{ path: "", message: "the file must be a mapping of settings (github:, orgs:, poll:, ...)" }]);
      }
      raw = interpolate(parsed.data, env, problems) as Raw;
    }
  }
  const origins = applyOverrides(raw, env, flags, cwd);
  const schema = createConfigSchema({ baseDir: file ? dirname(file) : cwd, ...(options.storeOnly ? { storeOnly: true } : {}) });
  const result = schema.safeParse(raw);
  if (!result.success) problems.push(...zodProblems(result.error, origins));
  if (problems.length > 0 || !result.success) throw invalid(file, problems);
  return { ...result.data, source: { file } };
}
