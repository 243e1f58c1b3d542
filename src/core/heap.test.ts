import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { limitHeapGrowth } from "./heap.js";

const HEAP = new URL("./heap.js", import.meta.url).href;

/**
 * A child process keeps ~40 MB of batches alive (long enough to be promoted), replacing them one by one, and prints
 * its peak heap size; `limit` says whether it calls limitHeapGrowth first.
 */
function peakHeapMb(limit: boolean, nodeOptions = ""): { peak: number; limited: boolean } {
  const script = `
    const { limitHeapGrowth } = await import(${JSON.stringify(HEAP)});
    const limited = ${limit} ? limitHeapGrowth() : false;
    const batches = [];
    let peak = 0;
    for (let i = 0; i < 300; i++) {
      batches.push(Array.from({ length: 5000 }, (_, k) => ({ k, s: \`event \${i} \${k} \`.repeat(20) })));
      if (batches.length > 8) batches.shift();
      await new Promise((r) => setImmediate(r));
      peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    console.log(JSON.stringify({ peak: peak / 1048576, limited }));`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout) as { peak: number; limited: boolean };
}

describe("limitHeapGrowth", () => {
  it("keeps the heap of a process that churns through promoted batches much smaller", () => {
    const free = peakHeapMb(false);
    const limited = peakHeapMb(true);
    assert.equal(limited.limited, true);
    assert.ok(limited.peak < free.peak * 0.85, `peak heap ${limited.peak} MB limited, ${free.peak} MB not`);
  });

  it("leaves V8 alone when the user sized or tuned the heap", () => {
    assert.equal(limitHeapGrowth(60, ["--max-old-space-size=128"], ""), false);
    assert.equal(limitHeapGrowth(60, [], "--max_old_space_size=512 --enable-source-maps"), false);
    assert.equal(limitHeapGrowth(60, ["--heap-growing-percent=20"], undefined), false);
    assert.equal(limitHeapGrowth(60, [], "--max-heap-size=300"), false);
    assert.equal(peakHeapMb(true, "--max-old-space-size=512").limited, false);
  });
});
