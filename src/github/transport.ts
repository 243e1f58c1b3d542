// The innermost Octokit layer: records rate-limit headers, turns network drops, HTML error pages and truncated
// JSON into clear retryable errors, and retries those with back-off (through the injected sleep).
// Retries are here rather than in @octokit/plugin-retry: that plugin runs every request through a Bottleneck limiter
// of its own, whose timer hops held each request back until the event loop was free again; in a backfill this left
// the event loop idle a fifth of the time (4.3 s of 21 s, 1M events). Its rules are kept where they matter: a
// request is retried after a server or network error (status ≥ 500), never after a 4xx; 429 and rate-limit 403s
// belong to plugin-throttling.
import type { Octokit } from "@octokit/core";
import { RequestError } from "@octokit/request-error";
import type { EndpointDefaults, OctokitResponse } from "@octokit/types";
import type { Logger } from "../core/logger.js";
import { requestPath, type RateLimitTracker, type Sleep } from "./rate-limits.js";

type RequestOptions = Required<EndpointDefaults>;

export interface TransportOptions {
  tracker: RateLimitTracker;
  sleep: Sleep;
  logger: Logger;
  /** Attempts after the first one that failed with a server or network error. */
  retries: number;
  /** First back-off after a server or network error; doubles per attempt up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Abort an attempt that has not completed after this long (0 = no limit); the retry gets a fresh timer. */
  timeoutMs: number;
}

function header(response: OctokitResponse<unknown>, name: string): string {
  const value = response.headers[name];
  return value === undefined ? "" : String(value);
}

const isJsonType = (type: string) => /^application\/([a-z.+-]*\+)?json\b/i.test(type);

function htmlTitle(data: unknown): string | null {
  if (typeof data !== "string" || !/^\s*</.test(data)) return null;
  const title = /<title>([^<]*)<\/title>/i.exec(data)?.[1]?.trim();
  return title ?? "";
}

/** A retryable server error (status ≥ 500), with its request and response like Octokit's own errors. */
function serverError(message: string, status: number, options: RequestOptions, response?: OctokitResponse<unknown>): RequestError {
  return new RequestError(message, status, {
    request: { ...options, url: response?.url || options.url },
    ...(response ? { response } : {}),
  });
}

/** Rewrites errors whose text would be useless (HTML pages, raw socket messages) and flags bodies that are not JSON. */
export function translateError(err: unknown, options: RequestOptions): unknown {
  if (!(err instanceof RequestError)) return err;
  const route = `${options.method} ${requestPath(err.request)}`;
  const response = err.response;
  let replaced: RequestError | null = null;
  if (!response) {
    if (err.status !== 500 || err.message.startsWith("network error")) return err;
    const reason = /aborted due to timeout/i.test(err.message) ? "no answer before the request timeout" : err.message;
    replaced = new RequestError(`network error on ${route}: ${reason}`, 500, { request: err.request });
  } else {
    const title = htmlTitle(response.data);
    if (title !== null || /text\/html/i.test(header(response, "content-type"))) {
      const status = err.status >= 500 ? err.status : 502;
      const named = title ? ` ("${title}")` : "";
      replaced = new RequestError(`GitHub answered ${route} with an HTTP ${err.status} HTML error page${named} instead of JSON`, status, {
        request: err.request,
        response,
      });
    } else if (isJsonType(header(response, "content-type")) && typeof response.data === "string" && response.data !== "") {
      replaced = new RequestError(`GitHub answered ${route} with HTTP ${err.status} and a truncated or invalid JSON body`, err.status, {
        request: err.request,
        response,
      });
    }
  }
  if (!replaced) return err;
  replaced.cause = err;
  return replaced;
}

export const isRetryable = (err: unknown): boolean => err instanceof RequestError && err.status >= 500;

/** A retryable 502 when a successful response is an HTML page or promised JSON that did not parse (cut-off transfer). */
export function unparsedBodyError(response: OctokitResponse<unknown>, options: RequestOptions): RequestError | null {
  const type = header(response, "content-type");
  const route = `${options.method} ${requestPath({ url: response.url || options.url, baseUrl: options.baseUrl })}`;
  if (/text\/html/i.test(type)) {
    // A proxy or captive portal answering in GitHub's place: never data, possibly transient.
    const title = htmlTitle(response.data);
    return serverError(`GitHub answered ${route} with an HTML page${title ? ` ("${title}")` : ""} instead of JSON`, 502, options, response);
  }
  if (!isJsonType(type) || typeof response.data !== "string") return null;
  return serverError(
    `GitHub sent a truncated or invalid JSON body for ${route} (HTTP ${response.status}, ${response.data.length} characters)`,
    502,
    options,
    response,
  );
}

export function transportPlugin(o: TransportOptions) {
  return function ghauditTransport(octokit: Octokit): Record<string, never> {
    const timers = new WeakSet<AbortSignal>();
    octokit.hook.wrap("request", async (request, options) => {
      // A request may ask for fewer (or more) attempts, as with plugin-retry: `request: { retries: 1 }`.
      const asked = (options.request as { retries?: unknown }).retries;
      const retries = typeof asked === "number" && asked >= 0 ? asked : o.retries;
      for (let failed = 0; ; failed++) {
        if (failed > 0) {
          const waitMs = Math.min(o.backoffMaxMs, o.backoffBaseMs * 2 ** (failed - 1));
          o.logger.warn({ route: `${options.method} ${requestPath(options)}`, attempt: failed + 1, waitMs }, "retrying after a server or network error");
          await o.sleep(waitMs);
        }
        // A caller's own signal is left alone; ours is replaced on every attempt. `options.request` may be the
        // client's shared defaults object, so it is copied rather than changed.
        const signal = options.request.signal;
        if (o.timeoutMs > 0 && (!signal || timers.has(signal))) {
          const timer = AbortSignal.timeout(o.timeoutMs);
          timers.add(timer);
          options.request = { ...options.request, signal: timer };
        }
        let response: OctokitResponse<unknown>;
        try {
          response = await request(options);
        } catch (err) {
          const error = translateError(err, options);
          if (error instanceof RequestError && error.response) o.tracker.record(options, error.response.headers);
          if (isRetryable(error) && failed < retries) continue;
          throw error;
        }
        o.tracker.record(options, response.headers);
        const bodyError = unparsedBodyError(response, options);
        if (!bodyError) return response;
        if (failed >= retries) throw bodyError;
      }
    });
    return {};
  };
}
