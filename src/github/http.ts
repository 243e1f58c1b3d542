// The `fetch` under ghaudit's Octokit: undici's own request API (the library Node's global fetch is built on), with
// the response read whole before it is handed over. Node's fetch runs every request and every body chunk through
// WHATWG streams, abort signals and promise hops; against the emulator a list page cost ~0.5 ms of CPU more than
// this, about 4 s of a million-event backfill (bench/backfill.ts). To Octokit it is a fetch: the same inputs, a
// Response-shaped answer, compressed answers decoded, redirects followed by fetch's rules, and failures shaped as
// fetch's (a TypeError "fetch failed" with the cause, or the abort signal's reason), so Octokit's and the transport's
// error handling stay as they are.
import { STATUS_CODES } from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { Agent, request } from "undici";
import { BufferedResponse, decodeBody, toHeaders } from "./http-response.js";

export { responseText } from "./http-response.js";

/** Redirects followed before failing, as fetch (`redirect: "follow"`); GitHub answers a renamed repository with 301. */
const MAX_REDIRECTIONS = 20;

/** undici's defaults, as Node's fetch: idle keep-alive connections are closed after 4 s. */
const agent = new Agent();

/** What a request asks for when the caller did not say: compressed answers (GitHub gzips JSON ~7x), as fetch does. */
const ACCEPT_ENCODING = "gzip, deflate, br";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The methods fetch writes in upper case whatever case they are given in (others, PATCH too, are sent as given). */
const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);

/** Request headers that describe the body: dropped with it when a redirect turns the request into a GET. */
const CONTENT_HEADERS = new Set(["content-encoding", "content-language", "content-location", "content-type", "content-length"]);
/** Credentials that never follow a redirect to another origin. */
const CREDENTIAL_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"]);

type Body = string | Uint8Array | ReadableStream | null;

/** Request headers as name-value pairs, repeated names kept, with `accept-encoding` added when absent. */
function requestHeaders(init: RequestInit): [string, string][] {
  const h = init.headers;
  const pairs: [string, string][] = [];
  if (h instanceof Headers) pairs.push(...h.entries());
  else if (Array.isArray(h)) for (const [name, value] of h) pairs.push([name!, value!]);
  else if (h !== undefined) {
    for (const [name, value] of Object.entries(h)) {
      for (const v of typeof value === "string" ? [value] : value) pairs.push([name, v]);
    }
  }
  if (!pairs.some(([name]) => name.toLowerCase() === "accept-encoding")) pairs.push(["accept-encoding", ACCEPT_ENCODING]);
  return pairs;
}

function requestBody(body: RequestInit["body"]): Body {
  if (body === undefined || body === null) return null;
  if (typeof body === "string" || body instanceof Uint8Array || body instanceof ReadableStream) return body;
  // Octokit sends strings (JSON) or binary data; URLSearchParams, FormData and Blobs are not used by ghaudit.
  throw new TypeError(`githubFetch does not send ${Object.prototype.toString.call(body)} bodies`);
}

/** A response body's bytes; 'data' events cost ~8% less CPU per list page than `for await` over the stream. */
function readAll(body: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on("data", (chunk: Buffer) => chunks.push(chunk));
    body.once("error", reject);
    body.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
  });
}

/**
 * fetch(url, init) for Octokit's `request.fetch`: method, headers, string or binary body and abort signal are
 * honoured, and the answer is complete when it resolves (a connection that breaks while the body arrives fails here,
 * as a network error the transport retries). Redirects follow fetch's rules: up to 20, 303 (and 301/302 after a
 * POST) turn into a GET without the body, credentials are not sent to another origin, `redirect: "manual"` hands the
 * 3xx back and `redirect: "error"` fails on it.
 */
export async function githubFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const upper = (init.method ?? "GET").toUpperCase();
  let method = NORMALIZED_METHODS.has(upper) ? upper : (init.method ?? "GET");
  let headers = requestHeaders(init);
  let body = requestBody(init.body);
  if (body !== null && (method === "GET" || method === "HEAD")) throw new TypeError("Request with GET/HEAD method cannot have body.");
  const mode = init.redirect ?? "follow";
  const signal = init.signal ?? undefined;
  let url = new URL(String(input));
  try {
    for (let hops = 0; ; hops++) {
      const sent = body instanceof ReadableStream ? Readable.fromWeb(body as NodeReadableStream) : body;
      const res = await request(url, { dispatcher: agent, method: method as "GET", headers: headers.flat(), body: sent, ...(signal ? { signal } : {}) });
      const location = res.headers["location"];
      if (mode !== "manual" && REDIRECT_STATUSES.has(res.statusCode) && typeof location === "string") {
        await res.body.dump();
        if (mode === "error") throw new Error(`redirect mode is set to error (${res.statusCode} to ${location})`);
        if (hops >= MAX_REDIRECTIONS) throw new Error("redirect count exceeded");
        if (body instanceof ReadableStream && res.statusCode !== 303) throw new Error("a request with a streamed body cannot follow a redirect");
        const next = new URL(location, url);
        if (res.statusCode === 303 ? method !== "GET" && method !== "HEAD" : (res.statusCode === 301 || res.statusCode === 302) && method === "POST") {
          method = "GET";
          body = null;
          headers = headers.filter(([name]) => !CONTENT_HEADERS.has(name.toLowerCase()));
        }
        if (next.origin !== url.origin) headers = headers.filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase()));
        url = next;
        continue;
      }
      const bytes = await decodeBody(await readAll(res.body), res.headers["content-encoding"]);
      const response = new BufferedResponse({
        url: url.href,
        redirected: hops > 0,
        status: res.statusCode,
        statusText: STATUS_CODES[res.statusCode] ?? "",
        headers: toHeaders(res.headers),
        bytes,
      });
      return response as unknown as Response;
    }
  } catch (err) {
    // fetch rejects with the signal's reason when aborted, and with TypeError("fetch failed", { cause }) otherwise.
    if (signal?.aborted) throw signal.reason;
    throw new TypeError("fetch failed", { cause: err });
  }
}
