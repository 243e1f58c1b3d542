// GitHub's primary rate limits as seen in x-ratelimit-* headers: a per-resource budget, the proactive pause
// when it runs low, and the waits plugin-throttling asks for (docs: "Rate limits for the REST API").
import type { EndpointDefaults, ResponseHeaders } from "@octokit/types";
import type { Clock } from "../core/clock.js";
import { AppError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";

export type Sleep = (ms: number) => Promise<void>;
type RequestOptions = Required<EndpointDefaults>;

export interface RateBudget {
  resource: string;
  limit: number;
  remaining: number;
  /** When the budget refills, epoch ms (from x-ratelimit-reset, which is in seconds). */
  resetAt: number;
}

/** GitHub rounds resets to the second; waiting one more second avoids retrying a hair too early. */
const RESET_MARGIN_MS = 1000;

/** The request's path relative to the API base, without the query (works for templates and full URLs). */
export function requestPath(options: { url: string; baseUrl?: string }): string {
  let url = options.url;
  if (options.baseUrl && url.startsWith(options.baseUrl)) url = url.slice(options.baseUrl.length);
  else if (/^https?:\/\//i.test(url)) url = new URL(url).pathname;
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

/** The resource GitHub is likely to charge before we have seen its header (x-ratelimit-resource is an open set). */
export function guessResource(path: string): string {
  if (/\/audit-log(\/|$)/.test(path)) return "audit_log";
  if (path.startsWith("/search/code")) return "code_search";
  if (path.startsWith("/search/")) return "search";
  if (path.startsWith("/graphql")) return "graphql";
  return "core";
}

export interface RateLimitTrackerOptions {
  clock: Clock;
  sleep: Sleep;
  /** Pause a resource when fewer than this many requests remain (0 disables); capped at a tenth of its limit. */
  threshold: number;
  logger: Logger;
  /**
   * `wait` (sync, serve): pause until the reset. `fail` (test-connection, a diagnostic): throw a
   * `github-rate-limited` error at once, saying when the budget resets.
   */
  whenLow?: "wait" | "fail";
}

/** `2026-01-15T13:00:00Z (in 42 min)` */
export function resetText(resetAt: number, now: number): string {
  return `${new Date(resetAt).toISOString().replace(/\.\d{3}Z$/, "Z")} (in ${Math.max(1, Math.ceil((resetAt - now) / 60_000))} min)`;
}

export class RateLimitTracker {
  readonly #budgets = new Map<string, RateBudget>();
  readonly #learned = new Map<string, string>();
  readonly #pauses = new Map<string, Promise<void>>();
  readonly #o: RateLimitTrackerOptions;

  constructor(options: RateLimitTrackerOptions) {
    this.#o = options;
  }

  #routeKey(options: RequestOptions): string {
    return `${options.method} ${requestPath(options)}`;
  }

  resourceOf(options: RequestOptions): string {
    return this.#learned.get(this.#routeKey(options)) ?? guessResource(requestPath(options));
  }

  /** Remembers the budget a response reports (successes, errors and 304s all carry the headers). */
  record(options: RequestOptions, headers: ResponseHeaders | undefined): void {
    if (!headers) return;
    const limit = Number(headers["x-ratelimit-limit"]);
    const remaining = Number(headers["x-ratelimit-remaining"]);
    const reset = Number(headers["x-ratelimit-reset"]);
    if (![limit, remaining, reset].every(Number.isFinite) || headers["x-ratelimit-remaining"] === undefined) return;
    const resource = String(headers["x-ratelimit-resource"] ?? guessResource(requestPath(options)));
    this.#learned.set(this.#routeKey(options), resource);
    const resetAt = reset * 1000;
    const known = this.#budgets.get(resource);
    // Responses to concurrent requests arrive out of order: within one window the lowest count is the truth.
    if (known && known.resetAt === resetAt) known.remaining = Math.min(known.remaining, remaining);
    else if (!known || resetAt > known.resetAt) this.#budgets.set(resource, { resource, limit, remaining, resetAt });
  }

  budgets(): RateBudget[] {
    return [...this.#budgets.values()].map((b) => ({ ...b }));
  }

  /** Milliseconds until the budget of this request's resource refills, or null when unknown or already past. */
  msUntilReset(options: RequestOptions, onlyIfExhausted = false): number | null {
    const budget = this.#budgets.get(this.resourceOf(options));
    if (!budget || (onlyIfExhausted && budget.remaining > 0)) return null;
    const ms = budget.resetAt - this.#o.clock.now() + RESET_MARGIN_MS;
    return ms > 0 ? ms : null;
  }

  /** Proactive back-off: when the resource is under the threshold, wait (once, shared) until it resets. */
  async beforeRequest(options: RequestOptions): Promise<void> {
    if (this.#o.threshold <= 0 || requestPath(options) === "/rate_limit") return;
    const resource = this.resourceOf(options);
    const budget = this.#budgets.get(resource);
    if (!budget) return;
    const threshold = Math.min(this.#o.threshold, Math.max(1, Math.floor(budget.limit / 10)));
    if (budget.remaining >= threshold) return;
    let pause = this.#pauses.get(resource);
    if (!pause) {
      const waitMs = budget.resetAt - this.#o.clock.now() + RESET_MARGIN_MS;
      if (waitMs <= 0) {
        this.#budgets.delete(resource);
        return;
      }
      if (this.#o.whenLow === "fail") {
        const state = budget.remaining <= 0 ? "used up" : `below ghaudit's back-off threshold (${budget.remaining} of ${budget.limit} left, threshold ${threshold})`;
        throw new AppError("github-rate-limited", `GitHub's rate limit for "${resource}" is ${state}; it resets at ${resetText(budget.resetAt, this.#o.clock.now())}.`, {
          hint: "sync and serve would pause this resource until then. Wait for the reset, use a GitHub App (higher limits) or another token, or lower poll.rate_limit_threshold.",
          status: 503,
          exitCode: 75,
          details: { resource, remaining: budget.remaining, threshold, resetAt: budget.resetAt },
        });
      }
      this.#o.logger.warn(
        { resource, remaining: budget.remaining, threshold, resetAt: new Date(budget.resetAt).toISOString(), waitMs },
        "rate limit budget low; pausing requests of this resource until it resets",
      );
      pause = this.#o.sleep(waitMs).finally(() => {
        this.#pauses.delete(resource);
        if (this.#budgets.get(resource) === budget) this.#budgets.delete(resource);
      });
      this.#pauses.set(resource, pause);
    }
    await pause;
  }
}

export interface ThrottleLimits {
  /** Give up on a primary limit whose reset is further away than this. */
  maxRateLimitWaitMs: number;
  /** Attempts after a primary or secondary limit before the error is returned. */
  maxRateLimitRetries: number;
}

/** `onRateLimit` / `onSecondaryRateLimit` for plugin-throttling: every wait goes through the injected sleep. */
export function throttleHandlers(tracker: RateLimitTracker, sleep: Sleep, logger: Logger, limits: ThrottleLimits) {
  return {
    onRateLimit: async (retryAfter: number, options: RequestOptions, _octokit: unknown, retryCount: number) => {
      const waitMs = tracker.msUntilReset(options) ?? Math.max(0, retryAfter) * 1000;
      const route = `${options.method} ${requestPath(options)}`;
      if (retryCount >= limits.maxRateLimitRetries || waitMs > limits.maxRateLimitWaitMs) {
        // maxRateLimitRetries 0: the caller (test-connection) reports the limit itself.
        logger[limits.maxRateLimitRetries === 0 ? "debug" : "warn"]({ route, waitMs, retryCount }, "primary rate limit exhausted; not waiting for the reset");
        return false;
      }
      logger.warn({ route, waitMs, resource: tracker.resourceOf(options) }, "primary rate limit exhausted; waiting until reset");
      await sleep(waitMs);
      return true;
    },
    onSecondaryRateLimit: async (retryAfter: number, options: RequestOptions, _octokit: unknown, retryCount: number) => {
      const route = `${options.method} ${requestPath(options)}`;
      if (retryCount >= limits.maxRateLimitRetries) {
        logger.warn({ route, retryCount }, "secondary rate limit persists; giving up");
        return false;
      }
      // retry-after when sent; else the primary reset when the budget is empty; else 60 s, doubling per attempt.
      const waitMs = retryAfter > 0 ? retryAfter * 1000 : (tracker.msUntilReset(options, true) ?? 60_000 * 2 ** retryCount);
      logger.warn({ route, waitMs, retryCount }, "secondary rate limit hit; backing off");
      await sleep(waitMs);
      return true;
    },
  };
}
