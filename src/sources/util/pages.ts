// Walks a GitHub list by following Link headers, with conditional requests: each page's ETag (and next link) is
// kept in the store per stream and URL, so an unchanged page answers 304 and spends no rate limit.
import { RequestError } from "@octokit/request-error";
import type { GitHubClient } from "../../github/index.js";
import type { StoreRepositories } from "../../store/index.js";

export interface PageResult<T> {
  url: string;
  /** null when GitHub answered 304 Not Modified. */
  items: T[] | null;
  etag: string | null;
  next: string | null;
  /** Writes this page's validator; call inside the transaction that stores the page's data. */
  commit(tx: StoreRepositories): Promise<void>;
}

const NEXT = /<([^>]+)>;\s*rel="next"/;

export function nextLink(link: string | undefined | null): string | null {
  return link ? (NEXT.exec(link)?.[1] ?? null) : null;
}

export interface WalkOptions {
  /** Stream key under which validators are kept. */
  stream: string;
  /** Skip conditional requests (a full reconciliation wants the data even when unchanged). */
  unconditional?: boolean;
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
  let url: string | null = client.request.endpoint(route, params).url;
  const validators = options.unconditional ? new Map() : await store.checkpoints.validators(options.stream);
  while (url) {
    const known = validators.get(url);
    const headers: Record<string, string> = known ? { "if-none-match": known.etag } : {};
    let page: PageResult<T>;
    try {
      const res = await client.request(`GET ${url}`, { headers });
      const etag = typeof res.headers.etag === "string" ? res.headers.etag : null;
      const next = nextLink(res.headers.link);
      const pageUrl = url;
      page = {
        url: pageUrl,
        items: res.data as T[],
        etag,
        next,
        commit: async (tx) => {
          if (etag) await tx.checkpoints.setValidator(options.stream, pageUrl, { etag, lastModified: null, next });
        },
      };
    } catch (err) {
      if (!(err instanceof RequestError) || err.status !== 304 || !known) throw err;
      const link = err.response?.headers.link;
      page = { url, items: null, etag: known.etag, next: link ? nextLink(link) : (known.next ?? null), commit: async () => undefined };
    }
    yield page;
    url = page.next;
  }
}
