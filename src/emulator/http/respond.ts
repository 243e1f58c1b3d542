// Serializes a JSON response once, with GitHub's ETag and conditional-request (304) handling.
import { createHash } from "node:crypto";
import type { EmuContext } from "./context.js";

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const strip = (t: string) => t.trim().replace(/^W\//, "");
  const want = strip(etag);
  return header.split(",").some((t) => strip(t) === want);
}

export function send(c: EmuContext, body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const text = JSON.stringify(body);
  const out: Record<string, string> = { "content-type": "application/json; charset=utf-8", ...headers };
  if ((c.req.method === "GET" || c.req.method === "HEAD") && status === 200) {
    // GitHub's ETags vary with the caller (responses differ per token), so the caller is part of the hash.
    const caller = c.get("caller");
    const who = caller.token?.token ?? (caller.appId !== null ? `app:${caller.appId}` : "anonymous");
    const etag = `W/"${createHash("sha256").update(who).update("\0").update(text).digest("hex")}"`;
    out["etag"] = etag;
    if (etagMatches(c.req.header("if-none-match"), etag)) {
      return new Response(null, { status: 304, headers: { etag, ...pick(headers, "link") } });
    }
  }
  return c.body(text, status as 200, out);
}

function pick(headers: Record<string, string>, ...names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (headers[name] !== undefined) out[name] = headers[name];
  return out;
}
