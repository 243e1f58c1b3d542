// What most commands share: the global flags, the loaded config, the store and the logger.
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { AppError } from "../core/errors.js";
import { systemClock, type Clock } from "../core/clock.js";
import { checkLogLevel, createLogger, type Logger } from "../core/logger.js";
import { loadConfig, type Config, type ConfigFlags } from "../config/index.js";
import { rulesFor } from "../pipeline/sync.js";
import type { RuleEngine } from "../rules/index.js";
import { openStore, type Store } from "../store/index.js";

export interface CommonFlags {
  config?: string;
  db?: string;
  org?: string[];
  enterprise?: string[];
  apiUrl?: string;
  logLevel?: string;
  /** serve: the API's port and the poll interval, checked with the rest of the config. */
  port?: string;
  interval?: string;
}

/** Adds --config, --db, --org, --enterprise and --api-url to a command. */
export function withCommonFlags(command: Command, options: { targets?: boolean } = {}): Command {
  command
    .option("--config <file>", "YAML configuration file (or GHAUDIT_CONFIG)")
    .option("--db <location>", "SQLite file or postgres:// URL (or GHAUDIT_DB; default ./data/ghaudit.db)")
    .option("--log-level <level>", "pino log level (or GHAUDIT_LOG_LEVEL)", process.env["GHAUDIT_LOG_LEVEL"] ?? "warn");
  if (options.targets !== false) {
    command
      .option("--org <org...>", "organization(s) to collect from (selects: the config file's other orgs are skipped)")
      .option("--enterprise <slug...>", "enterprise(s) to collect from (selects: the config file's other enterprises are skipped)")
      .option("--api-url <url>", "GitHub API URL (or GITHUB_API_URL): github.com, GHE.com or GHES");
  }
  return command;
}

export function configFrom(flags: CommonFlags, env: NodeJS.ProcessEnv = process.env): Config {
  const configFlags: ConfigFlags = {
    ...(flags.config ? { config: flags.config } : {}),
    ...(flags.org ? { org: flags.org } : {}),
    ...(flags.enterprise ? { enterprise: flags.enterprise } : {}),
    ...(flags.apiUrl ? { apiUrl: flags.apiUrl } : {}),
    ...(flags.db ? { db: flags.db } : {}),
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.interval !== undefined ? { interval: flags.interval } : {}),
  };
  return loadConfig({ flags: configFlags, env });
}

export interface CommandContext {
  config: Config;
  store: Store;
  logger: Logger;
  clock: Clock;
  rules: RuleEngine;
}

export async function openContext(flags: CommonFlags): Promise<CommandContext> {
  const config = configFrom(flags);
  const logger = createLogger({ level: flags.logLevel ?? "warn" });
  const location = config.store.dialect === "sqlite" ? config.store.path : config.store.url.reveal();
  const rules = rulesFor(config, logger);
  const store = await openStore(location);
  return { config, store, logger, clock: systemClock, rules };
}

/**
 * Store-only commands (export, rules test) read the database the collecting commands write: --db, GHAUDIT_DB, the
 * config's `store.url` (--config or GHAUDIT_CONFIG), else ./data/ghaudit.db. They need no GitHub credentials or targets,
 * and never create an empty database where none is: a mistyped path is an error, not zero rows.
 */
export async function openStoreOnly(flags: CommonFlags, env: NodeJS.ProcessEnv = process.env): Promise<Store> {
  // They log nothing themselves, but a mistyped level is still a mistake to report, as every other command does.
  if (flags.logLevel !== undefined) checkLogLevel(flags.logLevel);
  const config = loadConfig({
    flags: { ...(flags.config ? { config: flags.config } : {}), ...(flags.db ? { db: flags.db } : {}) },
    env,
    storeOnly: true,
  });
  if (config.store.dialect === "postgres") return openStore(config.store.url.reveal());
  const path = config.store.path;
  if (path !== ":memory:" && !existsSync(path)) {
    throw new AppError("store-error", `There is no ghaudit database at ${path}.`, {
      hint: "Run `ghaudit sync --once` first, or point --db, GHAUDIT_DB or the config's store.url at the database it wrote.",
    });
  }
  return openStore(path);
}
