// `ghaudit serve` in a function: the scheduler plus the HTTP API on one port, with a clean shutdown.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { AppError } from "../core/errors.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { Config } from "../config/index.js";
import { Scheduler } from "../pipeline/scheduler.js";
import { rulesFor } from "../pipeline/sync.js";
import type { RuleEngine } from "../rules/index.js";
import type { Store } from "../store/index.js";
import { createApiApp } from "./app.js";
import { createWebhookService, type WebhookService } from "./webhooks/index.js";

export interface ServerOptions {
  config: Config;
  store: Store;
  logger: Logger;
  clock: Clock;
  port?: number;
  host?: string;
  /** Run the poll scheduler (default true). */
  poll?: boolean;
  /** Rules engine for audit events; built from the config when absent. */
  rules?: RuleEngine;
  /** Process stored webhook deliveries in the background (default true; false only stores them). */
  processWebhooks?: boolean;
}

export interface RunningServer {
  url: string;
  scheduler: Scheduler;
  webhooks: WebhookService;
  close(): Promise<void>;
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const scheduler = new Scheduler({
    config: o.config,
    store: o.store,
    logger: o.logger,
    clock: o.clock,
    rules: o.rules ?? rulesFor(o.config, o.logger),
  });
  const webhooks = createWebhookService({ config: o.config, store: o.store, logger: o.logger, clock: o.clock });
  const app = createApiApp({ store: o.store, logger: o.logger, scheduler, webhooks });
  const host = o.host ?? o.config.server.host;
  const port = o.port ?? o.config.server.port;
  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
      s.once("error", reject);
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "EADDRINUSE" ? "it is in use" : code === "EACCES" ? "permission denied" : code === "EADDRNOTAVAIL" ? "no such address here" : (err as Error).message;
    throw new AppError("config-invalid", `Cannot listen on ${host}:${port}: ${why}.`, {
      hint: "Pass another --port (or --host), or set server.port / server.host in the config.",
      exitCode: 78,
      cause: err,
    });
  }
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  if (o.poll !== false) scheduler.start();
  if (o.processWebhooks !== false) webhooks.processor.start();
  o.logger.info({ url }, "ghaudit is serving");
  return {
    url,
    scheduler,
    webhooks,
    close: async () => {
      await scheduler.stop();
      await webhooks.processor.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}
