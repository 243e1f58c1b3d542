// Runs the real `ghaudit` CLI of this build as a child process (the compiled src/cli/main.js next to this file's
// build output), so end-to-end tests exercise argument parsing, config loading, the store and exit codes for real.
import { spawn, type ChildProcess } from "node:child_process";
import type { TestDatabase } from "../../../src/store/testing.js";

/** The compiled CLI entry of the same build as this file (`<out>/test/e2e/support/` → `<out>/src/cli/main.js`). */
export const CLI_MAIN = new URL("../../../src/cli/main.js", import.meta.url).href;

/** `node -e` program that runs `main(argv)` and exits with its code (process.argv of `-e` has no script path). */
const BOOT = `import(${JSON.stringify(CLI_MAIN)}).then((m) => m.main(["node", "ghaudit", ...process.argv.slice(1)])).then((code) => { process.exitCode = code; }, (err) => { console.error(err); process.exitCode = 1; });`;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Extra environment (GITHUB_API_URL, GITHUB_TOKEN, ...); the parent's GITHUB_* and GHAUDIT_* are not inherited. */
  env?: Record<string, string>;
  cwd?: string;
}

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(GITHUB_|GHAUDIT_)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** Starts `ghaudit <args>`; the caller may kill it. */
export function spawnCli(args: readonly string[], options: CliOptions = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, ["--input-type=module", "-e", BOOT, "--", ...args], {
    env: childEnv(options.env),
    cwd: options.cwd ?? process.cwd(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs `ghaudit <args>` to the end. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return spawnCli(args, options).done;
}

/** Runs the CLI and fails with its output when the exit code is not 0. */
export async function runCliOk(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const result = await runCli(args, options);
  if (result.code !== 0) {
    throw new Error(`ghaudit ${args.join(" ")} exited ${result.code ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** What `--db` takes for a test database: the SQLite path, or the PostgreSQL URL with its schema. */
export function dbFlag(database: TestDatabase): string {
  if (database.dialect === "sqlite") return database.location;
  const url = new URL(database.location);
  if (database.options.schema) url.searchParams.set("schema", database.options.schema);
  return url.toString();
}

/** Parses ndjson output into objects. */
export function parseNdjson(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
