// The answer githubFetch hands Octokit: a fetch Response's surface over a body read in full (and decoded from gzip,
// deflate or brotli, as fetch does), plus direct access to its text for the list pages ghaudit parses itself.
import { promisify } from "node:util";
import { brotliDecompress, constants, gunzip, inflate, inflateRaw } from "node:zlib";

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const inflateRawAsync = promisify(inflateRaw);
const brotliAsync = promisify(brotliDecompress);

/** As fetch: a body cut off inside the compressed stream yields what arrived, rather than failing (JSON.parse will). */
const LENIENT = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };

/** The bytes behind each `body` handed out, so `responseText` can decode them without going through a stream. */
const buffered = new WeakMap<object, Buffer>();

const BOM = [0xef, 0xbb, 0xbf] as const;

/** UTF-8 text as fetch's `text()` gives it: a leading byte-order mark is dropped. */
function utf8(bytes: Buffer): string {
  const bom = bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
  return bytes.toString("utf8", bom ? 3 : 0);
}

/**
 * Undoes the `content-encoding` codings (last applied first), on zlib's thread pool. An unknown coding leaves the
 * bytes as they are from there on, as fetch does.
 */
export async function decodeBody(bytes: Buffer, contentEncoding: string | string[] | undefined): Promise<Buffer> {
  if (contentEncoding === undefined || bytes.length === 0) return bytes;
  const codings = (Array.isArray(contentEncoding) ? contentEncoding.join(",") : contentEncoding)
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== "" && c !== "identity");
  let out = bytes;
  for (const coding of codings.reverse()) {
    if (coding === "gzip" || coding === "x-gzip") out = await gunzipAsync(out, LENIENT);
    else if (coding === "deflate") {
      // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate: fetch accepts both.
      const zlibHeader = out.length >= 2 && (out[0]! & 0x0f) === 8 && ((out[0]! << 8) | out[1]!) % 31 === 0;
      out = zlibHeader ? await inflateAsync(out, LENIENT) : await inflateRawAsync(out, LENIENT);
    } else if (coding === "br") out = await brotliAsync(out);
    else break;
  }
  return out;
}

/** A fetch Response's surface as Octokit reads it, over a body that was read in full. */
export class BufferedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly redirected: boolean;
  readonly headers: Headers;
  readonly type = "basic";
  readonly #bytes: Buffer;
  #body: ReadableStream<Uint8Array> | null = null;

  constructor(o: { url: string; redirected: boolean; status: number; statusText: string; headers: Headers; bytes: Buffer }) {
    this.url = o.url;
    this.redirected = o.redirected;
    this.status = o.status;
    this.statusText = o.statusText;
    this.headers = o.headers;
    this.#bytes = o.bytes;
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
    return Promise.resolve(utf8(this.#bytes));
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
export function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.append(name, value);
  }
  return headers;
}

/**
 * The text of a response body Octokit passed through (`parseSuccessResponseBody: false`): decoded directly when
 * githubFetch read it, else read from the stream.
 */
export async function responseText(body: unknown): Promise<string> {
  const bytes = body !== null && typeof body === "object" ? buffered.get(body) : undefined;
  if (bytes) return utf8(bytes);
  return new Response(body as ReadableStream | null).text();
}
