// The emulator's HTTP server: GitHub's REST API for everything ghaudit uses, plus a control API for tests.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Hono } from "hono";
import { serve } from "@hono/node-server";
import { ManualClock } from "../core/clock.js";
import type { EmuApp, EmuEnv, RouteDeps } from "./http/context.js";
import { GitHubHttpError } from "./http/errors.js";
import { FaultInjector, type FaultOptions } from "./http/faults.js";
import { RateLimiter, type RateLimitOptions } from "./http/rate-limit.js";
import { EmulatorState } from "./state/state.js";
import { seedWorld, type SeededWorld, type SeedOptions } from "./seed/generator.js";
import { ActivitySimulator, installAlertSideEffects } from "./simulator/simulator.js";
import { WebhookSender, type WebhookTargetOptions } from "./webhooks/sender.js";
import { registerAuditLog } from "./routes/audit-log.js";
import { registerCodeScanning } from "./routes/code-scanning.js";
import { registerDependabot } from "./routes/dependabot.js";
import { registerSecretScanning } from "./routes/secret-scanning.js";
import { registerOrgs } from "./routes/orgs.js";
import { registerIssues } from "./routes/issues.js";
import { registerApps } from "./routes/apps.js";
import { registerRateLimit } from "./routes/rate-limit.js";
import { registerControl } from "./control.js";

/** API versions the emulator answers (docs: "API Versions"). */
export const API_VERSIONS = ["2022-11-28", "2026-03-10"];

export interface EmulatorOptions {
  seed?: number;
  size?: SeedOptions["size"];
  /** Start time of the emulator's clock (epoch ms); defaults to now. */
  now?: number;
  /** Freeze the clock: it then moves only through the control API. */
  frozenClock?: boolean;
  faults?: FaultOptions;
  rateLimit?: RateLimitOptions;
  webhooks?: WebhookTargetOptions[];
  /** Run the activity simulator every `intervalMs` of real time (off by default). */
  activityIntervalMs?: number;
  port?: number;
  host?: string;
  /** `false` starts with an empty world (tests build their own); default: seeded. */
  seedWorld?: boolean;
}

export interface Emulator {
  url: string;
  /** A classic token of an owner of every seeded org (and the enterprise); empty for an unseeded world. */
  token: string;
  /** What the generator made; null when started with `seedWorld: false`. */
  world: SeededWorld | null;
  state: EmulatorState;
  faults: FaultInjector;
  limiter: RateLimiter;
  simulator: ActivitySimulator;
  webhooks: WebhookSender;
  requests: RequestLog;
  close(): Promise<void>;
}

/** Request counts by route and status, for tests and benchmarks (read through the control API). */
export class RequestLog {
  total = 0;
  /** Requests that spent primary rate limit. */
  charged = 0;
  readonly byRoute = new Map<string, { count: number; statuses: Record<string, number> }>();

  record(route: string, status: number, charged: boolean): void {
    this.total++;
    if (charged) this.charged++;
    let entry = this.byRoute.get(route);
    if (!entry) this.byRoute.set(route, (entry = { count: 0, statuses: {} }));
    entry.count++;
    entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
  }

  reset(): void {
    this.total = 0;
    this.charged = 0;
    this.byRoute.clear();
  }

  toJSON() {
    return { total: this.total, charged: this.charged, byRoute: Object.fromEntries(this.byRoute) };
  }
}

export interface EmulatorParts {
  app: EmuApp;
  state: EmulatorState;
  faults: FaultInjector;
  limiter: RateLimiter;
  requests: RequestLog;
  simulator: ActivitySimulator;
  webhooks: WebhookSender;
}

export function createEmulatorApp(options: EmulatorOptions = {}): EmulatorParts {
  const clock = new ManualClock({ start: options.now ?? Date.now(), frozen: options.frozenClock ?? false });
  const state = new EmulatorState(clock);
  const faults = new FaultInjector({ seed: options.seed ?? 42, ...options.faults });
  const limiter = new RateLimiter(state, options.rateLimit);
  const requests = new RequestLog();
  const webhooks = new WebhookSender(state, options.webhooks ?? []);
  installAlertSideEffects(state, webhooks, faults);
  const simulator = new ActivitySimulator(state, { seed: (options.seed ?? 42) + 1, faults });
  const app: EmuApp = new Hono<EmuEnv>();
  const deps: RouteDeps = { state, faults, limiter };

  app.use(async (c, next) => {
    c.set("routeName", `${c.req.method} ${new URL(c.req.url).pathname}`);
    const requestId = randomUUID().toUpperCase().slice(0, 23).replace(/-/g, ":");
    c.header("x-github-request-id", requestId);
    c.header("x-github-media-type", "github.v3; format=json");
    const version = c.req.header("x-github-api-version");
    if (version !== undefined && !API_VERSIONS.includes(version)) {
      throw new GitHubHttpError(400, `Unsupported 'X-GitHub-Api-Version' header ${version}. Supported versions are: ${API_VERSIONS.join(", ")}`, {
        documentationUrl: "https://docs.github.com/rest/overview/api-versions",
      });
    }
    c.header("x-github-api-version-selected", version ?? "2022-11-28");
    const usedBefore = sumUsed(state);
    await next();
    if (!c.req.path.startsWith("/_emulator")) {
      requests.record(c.get("routeName"), c.res.status, sumUsed(state) > usedBefore);
    }
  });
  app.use(faults.middleware());
  app.use(limiter.middleware());

  registerAuditLog(app, deps);
  registerCodeScanning(app, deps);
  registerDependabot(app, deps);
  registerSecretScanning(app, deps);
  registerOrgs(app, deps);
  registerIssues(app, deps);
  registerApps(app, deps);
  registerRateLimit(app, deps);
  registerControl(app, { state, faults, limiter, requests, simulator, webhooks });

  app.notFound((c) =>
    c.json({ message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" }, 404),
  );
  app.onError((err, c) => {
    if (err instanceof GitHubHttpError) {
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
      return c.json(err.body(), err.status as 400);
    }
    console.error("emulator: unhandled error", err);
    return c.json({ message: "Server Error", documentation_url: "https://docs.github.com/rest", status: "500" }, 500);
  });
  return { app, state, faults, limiter, requests, simulator, webhooks };
}

function sumUsed(state: EmulatorState): number {
  let sum = 0;
  for (const perCaller of state.buckets.values()) for (const b of perCaller.values()) sum += b.used;
  return sum;
}

/** Starts the emulator on a real port, seeds it, and returns its URL and an owner token. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const parts = createEmulatorApp(options);
  const host = options.host ?? "127.0.0.1";
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: parts.app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  parts.state.baseUrl = url;
  const world: SeededWorld | null =
    options.seedWorld === false
      ? null
      : seedWorld(parts.state, { seed: options.seed ?? 42, size: options.size ?? "small", now: parts.state.now() });
  let timer: NodeJS.Timeout | null = null;
  if (options.activityIntervalMs) {
    timer = setInterval(() => parts.simulator.step(), options.activityIntervalMs);
    timer.unref();
  }
  return {
    ...parts,
    url,
    token: world?.adminToken ?? "",
    world,
    close: async () => {
      if (timer) clearInterval(timer);
      await parts.webhooks.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}
