// `ghaudit serve`: polls every stream on its schedule and serves the JSON API until stopped.
import { Command } from "commander";
import { startServer } from "../api/server.js";
import { waitForSignal } from "./emulator.js";
import { openContext, withCommonFlags, type CommonFlags } from "./context.js";

export function serveCommand(): Command {
  return withCommonFlags(
    new Command("serve")
      .description("Collect on a schedule and serve the API")
      .option("--port <n>", "port for the API (default 8080, or server.port)")
      .option("--host <host>", "address to listen on (default 127.0.0.1, or server.host)")
      .option("--interval <duration>", "how often each stream is polled (default 300s, or poll.interval)"),
  ).action(async (flags: CommonFlags & { host?: string }) => {
    const ctx = await openContext({ logLevel: "info", ...flags });
    const server = await startServer({ ...ctx, ...(flags.host ? { host: flags.host } : {}) });
    console.log(`ghaudit serving on ${server.url} (API: ${server.url}/api/health)`);
    await waitForSignal();
    await server.close();
    await ctx.store.close();
  });
}
