// Walks a GitHub list by following Link headers, with conditional requests: each page's ETag (and next link) is
// kept in the store per stream and URL, so an unchanged page answers 304 and spends no rate limit.
import { setTimeout as delay } from "node:timers/promises";
import { RequestError } from "@octokit/request-error";
import { AppError } from "../../core/errors.js";
import { responseText, type GitHubClient } from "../../github/index.js";
import type { StoreRepositories } from "../../store/index.js";
import type { Validator } from "../../store/checkpoints.js";
import { splitJsonArray } from "./json-array.js";

export interface PageResult<T> {
  url: string;
  /** null when GitHub answered 304 Not Modified. */
  items: T[] | null;
  /** With `WalkOptions.texts`: each item's JSON text exactly as received (null when the body could not be split). */
  texts?: string[] | null;
  etag: string | null;
  next: string | null;
  /** What `commit` writes: the page's validator, null when there is nothing to write (a 304, no ETag). */
  validator: Validator | null;
  /** Writes this page's validator; call inside the transaction that stores the page's data. */
  commit(tx: StoreRepositories): Promise<void>;
}

const NEXT = /<([^>]+)>;\s*rel="next"/;

/** The page size a list URL asks for (GitHub's default is 30). */
function perPage(url: string): number {
  const asked = Number(new URL(url, "http://x").searchParams.get("per_page"));
  return Number.isInteger(asked) && asked > 0 ? asked : 30;
}

export function nextLink(link: string | undefined | null): string | null {
  return link ? (NEXT.exec(link)?.[1] ?? null) : null;
}

export interface WalkOptions {
  /** Stream key under which validators are kept. */
  stream: string;
  /** Skip conditional requests (a full reconciliation wants the data even when unchanged). */
  unconditional?: boolean;
  /**
   * Request the next page while the consumer stores this one. Only for walks that always go to the end
   * (an early stop would have spent a request for nothing).
   */
  prefetch?: boolean;
  /** Also give each item's JSON text as received (`PageResult.texts`), for storing it without serializing it again. */
  texts?: boolean;
}

/**
 * Yields pages starting at `route` + `params`, then following `rel="next"`. The consumer decides whether to go
 * on (break out of the loop to stop early) and commits each page's validator with its data.
 */
export async function* walkPages<T>(
  client: GitHubClient,
  store: StoreRepositories,
  route: string,
  params: Record<string, unknown>,
  options: WalkOptions,
): AsyncGenerator<PageResult<T>> {
  const validators = options.unconditional ? new Map<string, Validator>() : await store.checkpoints.validators(options.stream);
  const fetchPage = (url: string) => fetchOne<T>(client, url, validators.get(url), options);
  let pending: Promise<PageResult<T>> | null = fetchPage(client.request.endpoint(route, params).url);
  try {
    while (pending) {
      const page: PageResult<T> = await pending;
      pending = null;
      if (page.next && options.prefetch) {
        pending = fetchPage(page.next);
        // If the consumer stops early the prefetched page is dropped; its failure must not go unhandled.
        pending.catch(() => undefined);
      }
      yield page;
      if (!pending && page.next) pending = fetchPage(page.next);
    }
  } finally {
    // A consumer that stops early (or fails) waits for the prefetched request: when the walk is over, none of its
    // requests is still on the way.
    if (pending) await pending.catch(() => undefined);
  }
}

/** Attempts at a page whose body arrives cut off (the transport retries every other failure). */
const BODY_ATTEMPTS = 4;

/**
 * Lists can be large, so their bodies are parsed here with the native JSON parser (octokit's own handles 64-bit
 * integers, which lists never need, at a third of the speed). A body that does not parse was cut off on the way:
 * the page is fetched again.
 */
async function getJsonPage(client: GitHubClient, url: string, headers: Record<string, string>) {
  for (let attempt = 1; ; attempt++) {
    const res = await client.request(`GET ${url}`, { headers, request: { parseSuccessResponseBody: false } });
    const text = await responseText(res.data);
    try {
      return { headers: res.headers, data: JSON.parse(text) as unknown, text };
    } catch (err) {
      if (attempt >= BODY_ATTEMPTS) {
        throw new AppError("github-unavailable", `GitHub sent a truncated or invalid JSON body for GET ${url} ${attempt} times.`, {
          hint: "This is usually a network or proxy problem; the next poll tries again.",
          cause: err,
        });
      }
      await delay(250 * 2 ** attempt);
    }
  }
}

async function fetchOne<T>(client: GitHubClient, url: string, known: Validator | undefined, options: WalkOptions): Promise<PageResult<T>> {
  const { stream } = options;
  const headers: Record<string, string> = known ? { "if-none-match": known.etag } : {};
  try {
    const res = await getJsonPage(client, url, headers);
    const etag = typeof res.headers.etag === "string" ? res.headers.etag : null;
    const next = nextLink(res.headers.link);
    const items = res.data as T[];
    let texts: string[] | null | undefined;
    if (options.texts) {
      texts = Array.isArray(items) ? splitJsonArray(res.text) : null;
      if (texts && texts.length !== items.length) texts = null;
    }
    // A full last page keeps no validator: whether GitHub's ETag covers the Link header is not known, and if it does
    // not, that page would answer 304 with the old (absent) next link after more items arrive, and the walk would
    // never reach them. Such a page is fetched in full each time (one request, rarely: a list of exactly N pages).
    const fullLastPage = next === null && Array.isArray(items) && items.length >= perPage(url);
    const validator: Validator | null = etag && !fullLastPage ? { etag, lastModified: null, next } : null;
    return {
      url,
      items,
      ...(texts === undefined ? {} : { texts }),
      etag,
      next,
      validator,
      commit: async (tx) => {
        if (validator) await tx.checkpoints.setValidator(stream, url, validator);
      },
    };
  } catch (err) {
    if (!(err instanceof RequestError) || err.status !== 304 || !known) throw err;
    const link = err.response?.headers.link;
    return { url, items: null, etag: known.etag, next: link ? nextLink(link) : (known.next ?? null), validator: null, commit: async () => undefined };
  }
}
