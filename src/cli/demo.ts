// `ghaudit demo`: the whole product offline: the emulator with a seeded enterprise and activity running.
// (Collectors, API and UI join it as they are built; see README.)
import { Command } from "commander";
import { startEmulator } from "../emulator/server.js";
import { waitForSignal } from "./emulator.js";

export function demoCommand(): Command {
  return new Command("demo")
    .description("Start the offline demo: a seeded GitHub emulator with live activity")
    .option("--seed <n>", "seed of the generated world", (v) => Number(v), 42)
    .option("--port <n>", "emulator port (0 = any free port)", (v) => Number(v), 0)
    .action(async (opts: { seed: number; port: number }) => {
      const emulator = await startEmulator({ seed: opts.seed, size: "demo", port: opts.port, activityIntervalMs: 2000 });
      const world = emulator.world!;
      console.log(`ghaudit demo: GitHub emulator on ${emulator.url} (token ${emulator.token})`);
      console.log(`  orgs: ${world.orgs.join(", ")}; activity every 2 s; Ctrl-C to stop`);
      console.log(`  try: curl -H "Authorization: Bearer ${emulator.token}" ${emulator.url}/orgs/${world.orgs[0]}/audit-log`);
      await waitForSignal();
      await emulator.close();
    });
}
