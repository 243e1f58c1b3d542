import assert from "node:assert/strict";
import { test } from "node:test";
import { isAppError } from "./errors.js";
import { createLogger } from "./logger.js";

test("an unknown log level is a config error naming the flag and the levels; known ones make a logger", () => {
  assert.throws(
    () => createLogger({ level: "bogus" }),
    (err: unknown) => isAppError(err) && err.code === "config-invalid" && err.exitCode === 78 && /--log-level/.test(err.message) && /warn/.test(err.hint ?? ""),
  );
  assert.equal(createLogger({ level: "warn" }).level, "warn");
});
