// One-line progress indicators on stderr for long backfills; silent when stderr is not a terminal.
import type { Progress } from "../sources/types.js";

export function terminalProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress & { done(): void } {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      drawn = true;
      const width = 30;
      const bar = total ? `[${"#".repeat(Math.round((done / total) * width)).padEnd(width, ".")}] ` : "";
      stream.write(`\r${bar}${label}: ${done.toLocaleString("en-US")}${total ? ` / ${total.toLocaleString("en-US")}` : ""} records`);
    },
    done() {
      if (drawn) stream.write("\r\x1b[2K");
    },
  };
}

/** A line saying what a long step is doing (no count), until `done()` clears it. */
export function terminalStatus(text: string, stream: NodeJS.WriteStream = process.stderr): { done(): void } {
  if (!stream.isTTY) return { done: () => undefined };
  stream.write(`\r\x1b[2K${text}`);
  return { done: () => void stream.write("\r\x1b[2K") };
}
