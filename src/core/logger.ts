// The one pino logger; components take a child with their label.
import { destination, pino, type Logger } from "pino";

export type { Logger };

/** Logs go to stderr, so command output on stdout (exports, summaries) stays clean. */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino(
    {
      name: options.name ?? "ghaudit",
      level: options.level ?? process.env["GHAUDIT_LOG_LEVEL"] ?? "info",
      redact: { paths: ["token", "*.token", "authorization", "*.authorization", "headers.authorization"], censor: "[redacted]" },
    },
    destination(2),
  );
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
