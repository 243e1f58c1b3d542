// The one pino logger; components take a child with their label.
import { destination, pino, type Logger } from "pino";
import { AppError } from "./errors.js";

export type { Logger };

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** Throws the configuration error a command reports for a log level pino does not know. */
export function checkLogLevel(level: string): void {
  if (!LEVELS.includes(level)) {
    throw new AppError("config-invalid", `Unknown log level "${level}" (--log-level or GHAUDIT_LOG_LEVEL).`, {
      hint: `Use one of ${LEVELS.join(", ")}.`,
      exitCode: 78,
    });
  }
}

/** Logs go to stderr, so command output on stdout (exports, summaries) stays clean. */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  const level = options.level ?? process.env["GHAUDIT_LOG_LEVEL"] ?? "info";
  checkLogLevel(level);
  return pino(
    {
      name: options.name ?? "ghaudit",
      level,
      redact: { paths: ["token", "*.token", "authorization", "*.authorization", "headers.authorization"], censor: "[redacted]" },
    },
    destination(2),
  );
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
