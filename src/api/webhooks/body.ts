// Reads a request body up to a byte limit without buffering past it: from Node's request stream when the server is
// @hono/node-server (faster), else from the Fetch API stream. What is left unread is drained by the server.
import type { IncomingMessage } from "node:http";

/** GitHub caps webhook payloads at 25 MB (docs: "Webhook events and payloads"). */
export const WEBHOOK_BODY_LIMIT = 25 * 1024 * 1024;

export type BodyResult = { ok: true; body: Buffer } | { ok: false };

function fromNode(incoming: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: BodyResult | Error) => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        incoming.pause();
        done({ ok: false });
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => done({ ok: true, body: Buffer.concat(chunks, size) });
    const onError = (err: Error) => done(err);
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
  });
}

async function fromStream(stream: ReadableStream<Uint8Array>, limit: number): Promise<BodyResult> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) return { ok: false };
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return { ok: true, body: Buffer.concat(chunks, size) };
}

/** The body, or `{ ok: false }` as soon as it grows past `limit` bytes. */
export function readBody(request: Request, incoming: IncomingMessage | undefined, limit: number): Promise<BodyResult> {
  if (incoming && !incoming.readableEnded && incoming.readableFlowing !== true) return fromNode(incoming, limit);
  if (!request.body) return Promise.resolve({ ok: true, body: Buffer.alloc(0) });
  return fromStream(request.body, limit);
}

/** `application/json; charset=utf-8` -> `application/json`. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}
