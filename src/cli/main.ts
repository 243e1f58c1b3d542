// The `ghaudit` command line: one file per command, errors printed as `✗ message` plus a hint.
import { Command, CommanderError } from "commander";
import { isAppError } from "../core/errors.js";
import { limitHeapGrowth } from "../core/heap.js";
import { redactTokens } from "../core/secret.js";
import { emulatorCommand } from "./emulator.js";
import { demoCommand } from "./demo.js";
import { exportCommand } from "./export.js";
import { rulesCommand } from "./rules.js";
import { serveCommand } from "./serve.js";
import { syncCommand } from "./sync.js";
import { testConnectionCommand } from "./test-connection.js";

export function buildProgram(): Command {
  const program = new Command()
    .name("ghaudit")
    .description("Audit how your organization responds to GitHub security alerts.")
    .option("--debug", "print stack traces on errors")
    .exitOverride();
  program.addCommand(emulatorCommand());
  program.addCommand(demoCommand());
  program.addCommand(syncCommand());
  program.addCommand(exportCommand());
  program.addCommand(testConnectionCommand());
  program.addCommand(serveCommand());
  program.addCommand(rulesCommand());
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // Long backfills churn through promoted garbage: keep the heap near its live size (see core/heap.ts). Not for the
  // emulator, whose heap is mostly its seeded world: a cap there only re-marks that world more often.
  program.hook("preAction", (_program, command) => {
    if (command.name() !== "emulator") limitHeapGrowth();
  });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    const debug = argv.includes("--debug");
    if (isAppError(err)) {
      console.error(`✗ ${redactTokens(err.message)}`);
      if (err.hint) console.error(`  ${redactTokens(err.hint)}`);
      if (debug) console.error(err.stack);
      return err.exitCode;
    }
    console.error(`✗ ${redactTokens(err instanceof Error ? err.message : String(err))}`);
    if (debug && err instanceof Error) console.error(err.stack);
    return 1;
  }
}
