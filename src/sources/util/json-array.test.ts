import assert from "node:assert/strict";
import { test } from "node:test";
import { splitJsonArray } from "./json-array.js";

/** Deterministic pseudo-random JSON values, with the strings that trip up a scanner (escaped quotes and slashes). */
function* values(seed: number): Generator<unknown> {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const strings = ['plain', 'say "hi"', "ends with \\", '\\"', "\\\\\"", "[{,}]", "tab\tnew\nline", "ünï©ødé ☃", "\u0000\u001f", ""];
  const value = (depth: number): unknown => {
    const r = rand();
    if (depth > 3 || r < 0.3) return [null, true, false, 0, -1.5e-7, 12345678901234, strings[Math.floor(rand() * strings.length)]][Math.floor(rand() * 7)];
    if (r < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(rand() * 5) }, (_, i) => [strings[(i + Math.floor(rand() * 10)) % strings.length]! + i, value(depth + 1)]));
  };
  for (;;) yield Array.from({ length: Math.floor(rand() * 6) }, () => value(0));
}

test("splits any JSON array into its elements' texts, compact or indented", () => {
  let n = 0;
  for (const array of values(7)) {
    if (n++ === 2000) break;
    for (const text of [JSON.stringify(array), JSON.stringify(array, null, n % 3), ` \n${JSON.stringify(array, null, "\t")}\n `]) {
      const items = splitJsonArray(text);
      assert.ok(items, `not split: ${text}`);
      assert.deepEqual(items.map((t) => JSON.parse(t) as unknown), array, text);
      for (const t of items) assert.equal(t, t.trim());
    }
  }
});

test("keeps each element byte for byte as received", () => {
  const text = '[{"n":1.0,"big":12345678901234567890,"s":"a\\u0041"} , 2 ,"x"]';
  assert.deepEqual(splitJsonArray(text), ['{"n":1.0,"big":12345678901234567890,"s":"a\\u0041"}', "2", '"x"']);
});

test("empty arrays and non-arrays", () => {
  assert.deepEqual(splitJsonArray("[]"), []);
  assert.deepEqual(splitJsonArray(" [ ] "), []);
  for (const bad of ['{"a":[1,2]}', "", "   ", "[1,2", "[1,,2]", "[,1]", "[1,]", '["abc]', "[1] x", "[1}", "null"]) {
    assert.equal(splitJsonArray(bad), null, bad);
  }
});
