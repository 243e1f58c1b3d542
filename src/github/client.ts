// The only place ghaudit builds an Octokit: base URL, API version, user agent, PAT or GitHub App auth,
// throttling, retries and proactive rate-limit back-off, all configured once.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { createAppAuth, type StrategyOptions } from "@octokit/auth-app";
import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { throttling } from "@octokit/plugin-throttling";
import { systemClock, type Clock } from "../core/clock.js";
import { AppError } from "../core/errors.js";
import { silentLogger, type Logger } from "../core/logger.js";
import { PACKAGE_ROOT } from "../core/paths.js";
import { redactTokens, type Secret } from "../core/secret.js";
import { createInstallationAuth, createJwtSigner, InstallationTokenCache, type AppAuth } from "./app-auth.js";
import { resolveApiBase, type GitHubFlavor } from "./base-url.js";
import { githubFetch } from "./http.js";
import { createPacerGroups, RetryLimiter } from "./pacer.js";
import { RateLimitTracker, throttleHandlers, type RateBudget, type Sleep } from "./rate-limits.js";
import { tokenKindOf, type TokenKind } from "./token-kind.js";
import { transportPlugin } from "./transport.js";

export const GHAUDIT_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
/** The REST API version ghaudit is written against (docs: "API Versions"). */
export const GITHUB_API_VERSION = "2022-11-28";

export type GitHubAuth =
  | { kind: "token"; token: Secret }
  | {
      kind: "app";
      /** JWT issuer: the client ID is preferred (GitHub's recommendation since 2024); the numeric App ID works too. */
      appId?: number | string;
      clientId?: string;
      privateKey: Secret;
      /** The org whose installation the client acts as (discovered with GET /orgs/{org}/installation). */
      org: string;
      installationId?: number;
    };

export interface GitHubClientOptions {
  /** github.com, GHE.com or GHES URL in any form resolveApiBase accepts; default https://api.github.com. */
  apiUrl?: string;
  auth: GitHubAuth;
  logger?: Logger;
  /** Every wait (back-off, rate limits, write spacing, token expiry) uses these; tests inject fakes. */
  clock?: Clock;
  sleep?: Sleep;
  /** Pause a resource when x-ratelimit-remaining drops below this (default 100; 0 disables). */
  rateLimitThreshold?: number;
  /** Retries after 5xx, network errors and broken bodies (default 4), backing off from retryBaseMs (1 s) to 30 s. */
  retries?: number;
  retryBaseMs?: number;
  /** Longest primary-limit reset worth waiting for (default 65 min) and attempts per rate-limited request (3). */
  maxRateLimitWaitMs?: number;
  maxRateLimitRetries?: number;
  /** Spacing between mutating requests (default 1000 ms, as GitHub advises) and concurrent requests (10). */
  writeSpacingMs?: number;
  maxConcurrent?: number;
  /** Abort and retry an attempt that has not completed after this long (default 60 s; 0 = no limit). */
  requestTimeoutMs?: number;
  /** Mint the next installation token this long before the current one expires (default 5 min). */
  tokenRefreshMarginMs?: number;
  /**
   * False for diagnostics (test-connection): never wait for a rate limit; a low or used-up budget fails the request at
   * once with the reset time (default true: sync and serve wait).
   */
  waitForRateLimits?: boolean;
}

export interface GitHubClientInfo {
  baseUrl: string;
  flavor: GitHubFlavor;
  tokenKind: TokenKind;
  /** The last primary-limit budgets seen, per x-ratelimit-resource. */
  rateLimits(): RateBudget[];
}

const BaseOctokit = Octokit.plugin(paginateRest);
export type GitHubOctokit = InstanceType<typeof BaseOctokit>;
export type GitHubClient = GitHubOctokit & { ghaudit: GitHubClientInfo };

let clientCounter = 0;

interface Resolved extends Required<Omit<GitHubClientOptions, "apiUrl" | "auth">> {
  baseUrl: string;
}

/** Pino behind Octokit's `log` (plugins and auth-app warn through it); tokens are scrubbed from every message. */
function octokitLog(logger: Logger) {
  const wrap = (level: "debug" | "info" | "warn" | "error") => (message: string, info?: object) =>
    logger[level](info ?? {}, redactTokens(String(message)));
  return { debug: wrap("debug"), info: wrap("info"), warn: wrap("warn"), error: wrap("error") };
}

/** One Octokit with ghaudit's plugin stack; `auth` is the auth part of Octokit's options. */
function buildOctokit(o: Resolved, auth: { auth?: string } | { authStrategy: (options: StrategyOptions) => unknown; auth: object }, label: string) {
  const tracker = new RateLimitTracker({
    clock: o.clock,
    sleep: o.sleep,
    threshold: o.rateLimitThreshold,
    logger: o.logger,
    whenLow: o.waitForRateLimits ? "wait" : "fail",
  });
  // Plugin order = hook order, innermost first: transport (every attempt, and the retries after 5xx and network
  // errors), throttling.
  const Client = BaseOctokit.plugin(
    transportPlugin({
      tracker,
      sleep: o.sleep,
      logger: o.logger,
      retries: o.retries,
      backoffBaseMs: o.retryBaseMs,
      backoffMaxMs: 30_000,
      timeoutMs: o.requestTimeoutMs,
    }),
    throttling,
  );
  const groups = createPacerGroups(o.clock, o.sleep, { maxConcurrent: o.maxConcurrent, writeSpacingMs: o.writeSpacingMs });
  const throttle = {
    id: `ghaudit-${++clientCounter}-${label}`,
    ...throttleHandlers(tracker, o.sleep, o.logger, { maxRateLimitWaitMs: o.maxRateLimitWaitMs, maxRateLimitRetries: o.maxRateLimitRetries }),
    // Waits happen in the handlers and the transport (injected sleep), so the plugins' own timers wait 0 ms.
    retryAfterBaseValue: 0,
    fallbackSecondaryRateRetryAfter: 0,
    ...groups,
    // Read by plugin-throttling at run time (`state.retryLimiter ?? new Bottleneck()`), though not in its types.
    retryLimiter: new RetryLimiter(o.sleep),
  };
  const octokit = new Client({
    baseUrl: o.baseUrl,
    userAgent: `ghaudit/${GHAUDIT_VERSION}`,
    log: octokitLog(o.logger),
    request: { fetch: githubFetch },
    throttle,
    ...auth,
  });
  octokit.hook.before("request", (options) => {
    options.headers["x-github-api-version"] ??= GITHUB_API_VERSION;
  });
  // Outermost: the proactive pause happens before a request takes a concurrency slot.
  octokit.hook.wrap("request", async (request, options) => {
    await tracker.beforeRequest(options);
    return request(options);
  });
  return { octokit, tracker };
}

/** Builds the Octokit for one credential (a PAT, or a GitHub App acting as its installation on one org). */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  let base: ReturnType<typeof resolveApiBase>;
  try {
    base = resolveApiBase(options.apiUrl);
  } catch (err) {
    throw new AppError("config-invalid", `github.api_url: ${(err as Error).message}`, { status: 400, exitCode: 78 });
  }
  const o: Resolved = {
    baseUrl: base.baseUrl,
    logger: options.logger ?? silentLogger(),
    clock: options.clock ?? systemClock,
    sleep: options.sleep ?? ((ms) => delay(ms)),
    rateLimitThreshold: options.rateLimitThreshold ?? 100,
    retries: options.retries ?? 4,
    retryBaseMs: options.retryBaseMs ?? 1000,
    maxRateLimitWaitMs: options.waitForRateLimits === false ? 0 : (options.maxRateLimitWaitMs ?? 65 * 60_000),
    maxRateLimitRetries: options.waitForRateLimits === false ? 0 : (options.maxRateLimitRetries ?? 3),
    writeSpacingMs: options.writeSpacingMs ?? 1000,
    maxConcurrent: options.maxConcurrent ?? 10,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    tokenRefreshMarginMs: options.tokenRefreshMarginMs ?? 5 * 60_000,
    waitForRateLimits: options.waitForRateLimits ?? true,
  };
  const auth = options.auth;
  if (auth.kind === "token") {
    const { octokit, tracker } = buildOctokit(o, { auth: auth.token.reveal() }, "token");
    return Object.assign(octokit, { ghaudit: info(base, tokenKindOf(auth.token.reveal()), tracker) });
  }

  const iss = auth.clientId ?? auth.appId;
  if (iss === undefined || iss === "") {
    throw new AppError("config-invalid", "A GitHub App needs app_id or client_id.", { status: 400, exitCode: 78 });
  }
  let createJwt: ReturnType<typeof createJwtSigner>;
  try {
    createJwt = createJwtSigner(auth.privateKey, o.clock);
  } catch (err) {
    throw new AppError("github-bad-credentials", `The GitHub App's private key is not a usable RSA PEM key (${(err as Error).message}).`, {
      hint: "Download a new private key from the App's settings page and point github.auth.private_key_path at the .pem file.",
      status: 502,
      exitCode: 77,
    });
  }
  const cache = new InstallationTokenCache(o.clock, o.tokenRefreshMarginMs);
  let appAuth: AppAuth | undefined;
  const app = buildOctokit(
    o,
    { authStrategy: (strategy) => (appAuth = createAppAuth(strategy)), auth: { appId: iss, createJwt, cache } },
    "app",
  );
  const strategy = createInstallationAuth({
    appAuth: appAuth!,
    appRequest: app.octokit.request,
    org: auth.org,
    cache,
    ...(auth.installationId !== undefined ? { installationId: auth.installationId } : {}),
  });
  const { octokit, tracker } = buildOctokit(o, { authStrategy: () => strategy, auth: {} }, `installation-${auth.org}`);
  return Object.assign(octokit, { ghaudit: info(base, "installation", tracker) });
}

function info(base: ReturnType<typeof resolveApiBase>, tokenKind: TokenKind, tracker: RateLimitTracker): GitHubClientInfo {
  return { baseUrl: base.baseUrl, flavor: base.flavor, tokenKind, rateLimits: () => tracker.budgets() };
}
