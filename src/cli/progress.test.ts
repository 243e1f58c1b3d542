// The terminal progress line and status line: drawn on a terminal only, cleared when done.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { terminalProgress, terminalStatus } from "./progress.js";

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  (stream as { isTTY: boolean }).isTTY = isTTY;
  return { stream, written };
}

describe("terminal progress", () => {
  it("a status line is shown on a terminal and cleared when done", async () => {
    const { stream, written } = fakeStream(true);
    const status = terminalStatus("building indexes…", stream);
    status.done();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(written, ["\r\x1b[2Kbuilding indexes…", "\r\x1b[2K"]);
  });

  it("nothing is written when the stream is not a terminal", async () => {
    const { stream, written } = fakeStream(false);
    terminalStatus("building indexes…", stream).done();
    const bar = terminalProgress("org audit log", stream);
    bar.update(10, 100);
    bar.done();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(written, []);
  });

  it("a progress line shows the count and is cleared when done", async () => {
    const { stream, written } = fakeStream(true);
    const bar = terminalProgress("org audit log", stream);
    bar.update(1500);
    bar.done();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(written, ["\rorg audit log: 1,500 records", "\r\x1b[2K"]);
  });
});
