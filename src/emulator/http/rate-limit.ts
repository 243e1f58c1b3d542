// Authentication plus GitHub's primary rate limit: a per-caller, per-resource hourly budget with x-ratelimit-*
// headers on every response; 304s and GET /rate_limit are free (docs: "Rate limits for the REST API").
import type { MiddlewareHandler } from "hono";
import type { EmulatorState } from "../state/state.js";
import type { RateBucket } from "../state/types.js";
import type { Caller, EmuEnv } from "./context.js";
import { resolveCaller } from "./auth.js";
import { GitHubHttpError } from "./errors.js";

const HOUR = 3_600_000;
export const RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

export interface RateLimitOptions {
  /** Status for an exhausted primary budget: GitHub answers 403 or 429. */
  exhaustedStatus?: 403 | 429;
  limits?: Partial<Record<"core" | "audit_log" | "anonymous" | "installation", number>>;
}

export function resourceFor(path: string): string {
  if (/\/audit-log(\/|$)/.test(path)) return "audit_log";
  return "core";
}

function callerKey(caller: Caller, ip: string): string {
  if (caller.token?.kind === "installation") return `installation:${caller.token.installationId}`;
  if (caller.token) return `user:${caller.token.userId}`;
  if (caller.appId !== null) return `app:${caller.appId}`;
  return `ip:${ip}`;
}

export class RateLimiter {
  readonly #state: EmulatorState;
  readonly limits: Record<"core" | "audit_log" | "anonymous" | "installation", number>;
  readonly exhaustedStatus: 403 | 429;

  constructor(state: EmulatorState, options: RateLimitOptions = {}) {
    this.#state = state;
    this.limits = { core: 5000, audit_log: 1750, anonymous: 60, installation: 15000, ...options.limits };
    this.exhaustedStatus = options.exhaustedStatus ?? 403;
  }

  bucket(key: string, resource: string): RateBucket {
    let perCaller = this.#state.buckets.get(key);
    if (!perCaller) this.#state.buckets.set(key, (perCaller = new Map()));
    const now = this.#state.now();
    let bucket = perCaller.get(resource);
    if (!bucket || bucket.resetAt <= now) {
      const limit = key.startsWith("ip:")
        ? this.limits.anonymous
        : resource === "audit_log"
          ? this.limits.audit_log
          : key.startsWith("installation:")
            ? this.limits.installation
            : this.limits.core;
      bucket = { limit: bucket?.limit ?? limit, used: 0, resetAt: now + HOUR };
      perCaller.set(resource, bucket);
    }
    return bucket;
  }

  bucketFor(caller: Caller, ip: string, resource: string): RateBucket {
    return this.bucket(callerKey(caller, ip), resource);
  }

  middleware(): MiddlewareHandler<EmuEnv> {
    return async (c, next) => {
      const path = new URL(c.req.url).pathname;
      const resource = resourceFor(path);
      c.set("resource", resource);
      const ip = c.env?.incoming?.socket?.remoteAddress ?? "127.0.0.1";
      let caller: Caller;
      try {
        caller = await resolveCaller(this.#state, c.req.header("authorization"));
      } catch (err) {
        // A 401 still carries the anonymous budget's headers, as on GitHub.
        caller = { kind: "anonymous", token: null, appId: null };
        c.set("caller", caller);
        this.#headers(c.header.bind(c), this.bucketFor(caller, ip, resource), resource);
        throw err;
      }
      c.set("caller", caller);
      if (caller.token?.kind === "classic") c.header("x-oauth-scopes", caller.token.scopes.join(", "));
      const exempt = path === "/rate_limit" || path.startsWith("/_emulator");
      const bucket = this.bucketFor(caller, ip, resource);
      if (!exempt && bucket.used >= bucket.limit) {
        this.#headers(c.header.bind(c), bucket, resource);
        const who = caller.token?.kind === "installation"
          ? `installation ID ${caller.token.installationId}`
          : caller.token ? `user ID ${caller.token.userId}` : ip;
        throw new GitHubHttpError(
          this.exhaustedStatus,
          `API rate limit exceeded for ${who}. If you reach out to GitHub Support for help, please include the request ID ${c.res.headers.get("x-github-request-id") ?? "0000:0000"} and timestamp ${new Date(this.#state.now()).toISOString().replace("T", " ").slice(0, 19)} UTC.`,
          { documentationUrl: RATE_DOCS },
        );
      }
      await next();
      // A 304 costs nothing (docs: "Best practices for using the REST API").
      if (!exempt && c.res.status !== 304) bucket.used++;
      this.#headers((k, v) => c.res.headers.set(k, v), bucket, resource);
    };
  }

  #headers(set: (k: string, v: string) => void, bucket: RateBucket, resource: string): void {
    set("x-ratelimit-limit", String(bucket.limit));
    set("x-ratelimit-remaining", String(Math.max(0, bucket.limit - bucket.used)));
    set("x-ratelimit-used", String(bucket.used));
    set("x-ratelimit-reset", String(Math.ceil(bucket.resetAt / 1000)));
    set("x-ratelimit-resource", resource);
  }
}
