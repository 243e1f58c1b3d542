// The `fetch` under ghaudit's Octokit: undici's own request API (the library Node's global fetch is built on), with
// the response read whole before it is handed over. Node's fetch runs every request and every body chunk through
// WHATWG streams, abort signals and promise hops; against the emulator a list page cost ~0.5 ms of CPU more than
// this, about 4 s of a million-event backfill (bench/backfill.ts). To Octokit it is a fetch: the same inputs, a
// Response-shaped answer, and failures shaped as fetch's (a TypeError "fetch failed" with the cause, or the abort
// signal's reason), so Octokit's and the transport's error handling stay as they are.
import { STATUS_CODES } from "node:http";
import type { Readable } from "node:stream";
import { Agent, request } from "undici";

/** Redirects followed, as fetch's default (`redirect: "follow"`) does; GitHub answers a renamed repository with 301. */
const MAX_REDIRECTIONS = 20;

/** Keep-alive connections per origin, idle ones closed after 30 s. */
const agent = new Agent({ keepAliveTimeout: 30_000 });

/** The bytes behind each `body` handed out, so `responseText` can decode them without going through a stream. */
const buffered = new WeakMap<object, Buffer>();

/** A fetch Response's surface as Octokit reads it, over a body that was read in full. */
class BufferedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: Headers;
  readonly redirected = false;
  readonly type = "basic";
  readonly #bytes: Buffer;
  #body: ReadableStream<Uint8Array> | null = null;

  constructor(url: string, status: number, statusText: string, headers: Headers, bytes: Buffer) {
    this.url = url;
    this.status = status;
    this.statusText = statusText;
    this.headers = headers;
    this.#bytes = bytes;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get bodyUsed(): boolean {
    return false;
  }

  /** A stream over the bytes, made when asked for; `responseText(body)` reads the bytes without it. */
  get body(): ReadableStream<Uint8Array> {
    if (!this.#body) {
      const bytes = this.#bytes;
      this.#body = new ReadableStream<Uint8Array>({
        start(controller) {
          if (bytes.length > 0) controller.enqueue(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
          controller.close();
        },
      });
      buffered.set(this.#body, bytes);
    }
    return this.#body;
  }

  text(): Promise<string> {
    return Promise.resolve(this.#bytes.toString("utf8"));
  }

  json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text) as unknown);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    const { buffer, byteOffset, length } = this.#bytes;
    return Promise.resolve(buffer.slice(byteOffset, byteOffset + length) as ArrayBuffer);
  }
}

/** Response headers as a fetch `Headers` (repeated ones appended, as fetch does). */
function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.append(name, value);
  }
  return headers;
}

function requestHeaders(init: RequestInit): Record<string, string> {
  const h = init.headers;
  if (!h) return {};
  if (h instanceof Headers) return Object.fromEntries(h.entries());
  if (Array.isArray(h)) return Object.fromEntries(h);
  return h as Record<string, string>;
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
 * honoured, redirects are followed, and the answer is complete when it resolves (a connection that breaks while the
 * body arrives fails here, as a network error the transport retries).
 */
export async function githubFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const url = String(input);
  const signal = init.signal ?? undefined;
  try {
    const res = await request(url, {
      dispatcher: agent,
      method: (init.method ?? "GET") as "GET",
      headers: requestHeaders(init),
      body: (init.body ?? null) as string | Buffer | null,
      maxRedirections: init.redirect === "manual" ? 0 : MAX_REDIRECTIONS,
      ...(signal ? { signal } : {}),
    });
    const bytes = await readAll(res.body);
    return new BufferedResponse(url, res.statusCode, STATUS_CODES[res.statusCode] ?? "", toHeaders(res.headers), bytes) as unknown as Response;
  } catch (err) {
    // fetch rejects with the signal's reason when aborted, and with TypeError("fetch failed", { cause }) otherwise.
    if (signal?.aborted) throw signal.reason;
    throw new TypeError("fetch failed", { cause: err });
  }
}

/** The text of a response body Octokit passed through (`parseSuccessResponseBody: false`): decoded directly when read in full by githubFetch. */
export async function responseText(body: unknown): Promise<string> {
  const bytes = body !== null && typeof body === "object" ? buffered.get(body) : undefined;
  if (bytes) return bytes.toString("utf8");
  return new Response(body as ReadableStream | null).text();
}
