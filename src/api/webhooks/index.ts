// Webhook intake and processing for `ghaudit serve`, built from the config: secrets for the route, GitHub clients
// (the ones polling uses) for re-reading alerts, and the background processor.
import type { Hono } from "hono";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import type { Config } from "../../config/index.js";
import type { GitHubClient } from "../../github/index.js";
import { clientFor } from "../../pipeline/sync.js";
import { WebhookProcessor, type ProcessorStats } from "../../sources/webhooks/processor.js";
import type { ClientResolver } from "../../sources/webhooks/refresh.js";
import type { Store } from "../../store/index.js";
import { WebhookIntake, type IntakeCounters } from "./intake.js";
import { registerWebhookRoute, WEBHOOK_PATH } from "./route.js";

export { WEBHOOK_PATH } from "./route.js";
export { WEBHOOK_BODY_LIMIT } from "./body.js";

export interface WebhookServiceOptions {
  config: Config;
  store: Store;
  logger: Logger;
  clock: Clock;
  /** Options of the processor (tests shorten waits). */
  retryDelayMs?: number;
  sweepIntervalMs?: number;
  bodyLimit?: number;
}

export interface WebhookService {
  intake: WebhookIntake;
  processor: WebhookProcessor;
  register(app: Hono): void;
  stats(): { intake: IntakeCounters; processing: ProcessorStats };
}

/**
 * Clients for the orgs ghaudit collects from (their own auth or the default), and for other orgs when a default
 * `github.auth` exists; shared with the scheduler's when given.
 */
export function clientResolver(o: Pick<WebhookServiceOptions, "config" | "logger" | "clock">, clients = new Map<string, GitHubClient>()): ClientResolver {
  return (org) => {
    const known = o.config.orgs.some((x) => x.name.toLowerCase() === org.toLowerCase());
    if (!org || (!known && !o.config.github.auth)) return undefined;
    return clientFor({ config: o.config, logger: o.logger, clock: o.clock, clients }, { scope: "org", name: org });
  };
}

export function createWebhookService(o: WebhookServiceOptions): WebhookService {
  const logger = o.logger.child({ component: "webhooks" });
  // Each tells the other: a stored delivery wakes the processor, which steps back while requests are being answered.
  const intake = new WebhookIntake({ store: o.store, logger, secrets: o.config.webhooks.secrets, onStored: () => processor.notify() });
  const processor = new WebhookProcessor({
    store: o.store,
    logger,
    clock: o.clock,
    clients: clientResolver(o),
    secretRisk: o.config.risk.secret_scanning_default,
    busy: () => intake.active > 0,
    ...(o.retryDelayMs !== undefined ? { retryDelayMs: o.retryDelayMs } : {}),
    ...(o.sweepIntervalMs !== undefined ? { sweepIntervalMs: o.sweepIntervalMs } : {}),
  });
  if (o.config.webhooks.secrets.length === 0) {
    logger.warn({ path: WEBHOOK_PATH }, "no webhook secret configured: deliveries are accepted without a signature (set webhooks.secrets or GHAUDIT_WEBHOOK_SECRET)");
  }
  return {
    intake,
    processor,
    register: (app) => registerWebhookRoute(app, { intake, ...(o.bodyLimit !== undefined ? { bodyLimit: o.bodyLimit } : {}) }),
    stats: () => ({ intake: structuredClone(intake.counters), processing: processor.stats() }),
  };
}
