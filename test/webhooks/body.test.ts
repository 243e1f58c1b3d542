// The body reader off Node's server (Fetch API streams, as under `app.request`): whole bodies, the limit found while
// reading without pulling the rest, and media types.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mediaType, readBody } from "../../src/api/webhooks/body.js";

function streamed(chunks: number, size: number): { request: Request; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
  const init = { method: "POST", body, duplex: "half" } as RequestInit;
  return { request: new Request("http://127.0.0.1/webhooks/github", init), pulled: () => pulled };
}

describe("webhook body reader (Fetch API stream)", () => {
  it("reads a body up to the limit exactly", async () => {
    const { request } = streamed(4, 1000);
    const read = await readBody(request, undefined, 4000);
    assert.ok(read.ok);
    assert.equal(read.body.length, 4000);
  });

  it("stops at the first chunk past the limit", async () => {
    const { request, pulled } = streamed(100, 1000);
    const read = await readBody(request, undefined, 4500);
    assert.equal(read.ok, false);
    assert.ok(pulled() <= 7, `pulled ${pulled()} chunks`);
  });

  it("reads a missing body as empty", async () => {
    const read = await readBody(new Request("http://127.0.0.1/", { method: "POST" }), undefined, 10);
    assert.ok(read.ok && read.body.length === 0);
  });

  it("takes the media type without parameters, case-insensitively", () => {
    assert.equal(mediaType("Application/JSON; charset=utf-8"), "application/json");
    assert.equal(mediaType(undefined), "");
  });
});
