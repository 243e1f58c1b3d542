// `ghaudit demo`: the whole product offline. Starts the GitHub emulator with a seeded enterprise and live
// activity, writes a config pointing ghaudit at it, then collects on a short schedule and serves the API.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { stringify as stringifyYaml } from "yaml";
import { startServer } from "../api/server.js";
import { systemClock } from "../core/clock.js";
import { createLogger } from "../core/logger.js";
import { loadConfig } from "../config/index.js";
import { startEmulator } from "../emulator/server.js";
import { openStore } from "../store/index.js";
import { waitForSignal } from "./emulator.js";

export function demoConfigYaml(o: { apiUrl: string; token: string; orgs: string[]; enterprise: string | null; db: string; port: number }): string {
  const auditLog = () => ({ audit_log: { lookback: "30d" } });
  const config = {
    github: { api_url: o.apiUrl, auth: { token: o.token } },
    orgs: o.orgs.map((name) => ({ name, streams: auditLog() })),
    ...(o.enterprise ? { enterprises: [{ slug: o.enterprise, streams: auditLog() }] } : {}),
    poll: { interval: "10s" },
    store: { url: o.db },
    server: { port: o.port },
  };
  // Serialized by the YAML library, so a data folder with `#`, `: ` or quotes in its name stays one value.
  return `# Written by \`ghaudit demo\`: ghaudit pointed at the local GitHub emulator.\n${stringifyYaml(config)}`;
}

export function demoCommand(): Command {
  return new Command("demo")
    .description("Start the offline demo: a seeded GitHub emulator with live activity, collected and served by ghaudit")
    .option("--seed <n>", "seed of the generated world", (v) => Number(v), 42)
    .option("--port <n>", "port of ghaudit's API (0 = any free port)", (v) => Number(v), 8080)
    .option("--data <dir>", "where the demo keeps its database and config", "./data")
    .option("--activity-interval <ms>", "simulated GitHub activity every <ms>", (v) => Number(v), 3000)
    .action(async (opts: { seed: number; port: number; data: string; activityInterval: number }) => {
      const emulator = await startEmulator({ seed: opts.seed, size: "demo", activityIntervalMs: opts.activityInterval });
      const world = emulator.world!;
      const dir = resolve(opts.data);
      mkdirSync(dir, { recursive: true });
      const db = join(dir, "demo.db");
      // The seeded world is regenerated on every start, so the demo starts from an empty store.
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${db}${suffix}`, { force: true });
      const configPath = join(dir, "demo-config.yml");
      writeFileSync(
        configPath,
        demoConfigYaml({ apiUrl: emulator.url, token: world.adminToken, orgs: world.orgs, enterprise: world.enterprise, db, port: opts.port }),
        { mode: 0o600 },
      );
      // The emulator's webhooks go to ghaudit too, signed with a secret made for this run.
      const webhookSecret = randomBytes(24).toString("base64url");
      const config = loadConfig({ flags: { config: configPath }, env: { GHAUDIT_WEBHOOK_SECRET: webhookSecret } });
      const logger = createLogger({ level: process.env["GHAUDIT_LOG_LEVEL"] ?? "warn" });
      const store = await openStore(db);
      const server = await startServer({ config, store, logger, clock: systemClock });
      const hook = emulator.webhooks.addTarget({ url: `${server.url}/webhooks/github`, secret: webhookSecret });
      await emulator.webhooks.ping(hook);
      console.log(`ghaudit demo`);
      console.log(`  GitHub emulator: ${emulator.url} (orgs ${world.orgs.join(", ")}${world.enterprise ? `, enterprise ${world.enterprise}` : ""})`);
      console.log(`  ghaudit API:     ${server.url}/api/health  ·  ${server.url}/api/alerts  ·  ${server.url}/api/audit-events`);
      console.log(`  webhooks:        the emulator delivers signed webhooks to ${server.url}/webhooks/github`);
      console.log(`  config:          ${configPath}; activity every ${opts.activityInterval} ms; Ctrl-C to stop`);
      await waitForSignal();
      await server.close();
      await store.close();
      await emulator.close();
    });
}
