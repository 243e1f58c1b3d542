// Test-only helpers for the normalizers: shared data loading, GitHub's spec examples, deep freezing.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import assert from "node:assert/strict";
import type { z } from "zod";
import { SHARED_DIR } from "../../core/paths.js";
import type { JsonObject } from "./read.js";

export const ELASTIC_DIR = join(SHARED_DIR, "testdata", "elastic-github");

/** NDJSON, one object a line; some files end without a newline, blank lines are skipped. */
export function readNdjson(file: string): JsonObject[] {
  const text = readFileSync(join(ELASTIC_DIR, file), "utf8");
  const out: JsonObject[] = [];
  for (const line of text.split("\n")) if (line.trim() !== "") out.push(JSON.parse(line) as JsonObject);
  return out;
}

interface GhecSpec {
  components: { examples: Record<string, { value: unknown }> };
}

let spec: GhecSpec | undefined;

/** `components.examples[name].value` from @octokit/openapi's ghec.json (a deep copy, safe to change). */
export function ghecExample(name: string): unknown {
  spec ??= createRequire(import.meta.url)("@octokit/openapi/generated/ghec.json") as GhecSpec;
  const ex = spec.components.examples[name];
  if (ex === undefined) throw new Error(`no example ${name} in ghec.json`);
  return structuredClone(ex.value);
}

/** Freeze recursively, so any attempt by a normalizer to change its input throws (ESM is strict mode). */
export function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/**
 * Runs `normalize` on a frozen input and checks the contract every normalizer has: the output validates
 * against `schema`, `raw` is the very input object and the input is unchanged.
 */
export function normalizeChecked<I extends JsonObject, O extends { raw: unknown }>(
  schema: z.ZodType<O>,
  input: I,
  normalize: (raw: I) => O,
): O {
  const before = structuredClone(input);
  const out = normalize(deepFreeze(input));
  const parsed = schema.safeParse(out);
  assert.ok(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues, null, 1));
  assert.equal(out.raw, input, "raw is the input object itself");
  assert.deepEqual(input, before, "the input is unchanged");
  return out;
}

/** Dotted names of the fields that are null in `record` (one level into `artifact` and `github`). */
export function nullFields(record: object): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(record)) {
    if (v === null) out.push(k);
    else if ((k === "artifact" || k === "github") && typeof v === "object") {
      for (const [k2, v2] of Object.entries(v as object)) if (v2 === null) out.push(`${k}.${k2}`);
    }
  }
  return out;
}
