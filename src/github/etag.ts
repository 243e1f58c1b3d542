// Conditional requests: remember each GET's ETag and send If-None-Match next time; an unchanged resource answers
// 304, which costs no primary rate limit and is a result, never an error (docs: "Best practices for the REST API").
import type { Endpoints, RequestParameters, ResponseHeaders } from "@octokit/types";
import { RequestError } from "@octokit/request-error";
import type { GitHubOctokit } from "./client.js";

export interface EtagEntry {
  etag: string;
  body?: unknown;
}

/** Where ETags live between polls (the store implements it; MemoryEtagCache for tests and one-shot runs). */
export interface EtagCache {
  get(key: string): EtagEntry | undefined | Promise<EtagEntry | undefined>;
  set(key: string, etag: string, body?: unknown): void | Promise<void>;
}

export class MemoryEtagCache implements EtagCache {
  readonly #entries = new Map<string, EtagEntry>();

  get(key: string): EtagEntry | undefined {
    return this.#entries.get(key);
  }

  set(key: string, etag: string, body?: unknown): void {
    this.#entries.set(key, body === undefined ? { etag } : { etag, body });
  }

  get size(): number {
    return this.#entries.size;
  }
}

export type ConditionalResult<T> =
  | { status: 304; notModified: true; etag: string; headers: ResponseHeaders; cachedBody?: unknown }
  | {
      status: 200;
      notModified: false;
      data: T;
      etag: string | null;
      headers: ResponseHeaders;
      /** Stores the ETag now; a no-op unless `deferCommit` was set (then call it once the data is safely stored). */
      commit(): Promise<void>;
    };

export interface ConditionalOptions {
  /** Keep the body beside the ETag (for replay on 304); off by default. */
  keepBody?: boolean;
  /** Do not store the ETag until `commit()`: a crash between fetching and storing must not turn into a 304. */
  deferCommit?: boolean;
}

type GetRoute = Extract<keyof Endpoints, `GET ${string}`>;

/** The cache key: method and full URL including the query (one cache belongs to one credential). */
export function etagKey(octokit: GitHubOctokit, route: string, params: RequestParameters): string {
  const endpoint = octokit.request.endpoint(route, params);
  return `${endpoint.method} ${endpoint.url}`;
}

export async function conditionalGet<R extends GetRoute>(
  octokit: GitHubOctokit,
  route: R,
  params: Endpoints[R]["parameters"],
  cache: EtagCache,
  options?: ConditionalOptions,
): Promise<ConditionalResult<Endpoints[R]["response"]["data"]>>;
export async function conditionalGet<T = unknown>(
  octokit: GitHubOctokit,
  route: string,
  params: RequestParameters,
  cache: EtagCache,
  options?: ConditionalOptions,
): Promise<ConditionalResult<T>>;
export async function conditionalGet(
  octokit: GitHubOctokit,
  route: string,
  params: RequestParameters,
  cache: EtagCache,
  options: ConditionalOptions = {},
): Promise<ConditionalResult<unknown>> {
  const key = etagKey(octokit, route, params);
  const cached = await cache.get(key);
  const headers = { ...(params.headers as Record<string, string> | undefined), ...(cached ? { "if-none-match": cached.etag } : {}) };
  let response: Awaited<ReturnType<GitHubOctokit["request"]>>;
  try {
    response = await octokit.request(route, { ...params, headers });
  } catch (err) {
    if (err instanceof RequestError && err.status === 304 && cached) {
      const headers = err.response?.headers ?? {};
      const etag = typeof headers.etag === "string" ? headers.etag : cached.etag;
      return { status: 304, notModified: true, etag, headers, ...(cached.body !== undefined ? { cachedBody: cached.body } : {}) };
    }
    throw err;
  }
  const etag = typeof response.headers.etag === "string" ? response.headers.etag : null;
  let committed = false;
  const commit = async () => {
    if (committed || etag === null) return;
    committed = true;
    await cache.set(key, etag, options.keepBody ? response.data : undefined);
  };
  if (!options.deferCommit) await commit();
  return { status: 200, notModified: false, data: response.data, etag, headers: response.headers, commit };
}
