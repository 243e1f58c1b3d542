// `ghaudit serve` refuses a port it cannot use with a clear error (exit 78), never a stack trace.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "./support/cli.js";

test("serve on a port in use, or a port that is no port: exit 78 with the reason and the fix", { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "ghaudit-serve-"));
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
  const port = (taken.address() as AddressInfo).port;
  try {
    const env = { GITHUB_TOKEN: "ghp_servetestservetestservetest000000", GITHUB_API_URL: "http://127.0.0.1:9" };
    const args = ["serve", "--org", "acme", "--db", join(dir, "g.db")];
    const inUse = await runCli([...args, "--port", String(port)], { env });
    assert.equal(inUse.code, 78, inUse.stderr);
    assert.match(inUse.stderr, new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}: it is in use`));
    assert.match(inUse.stderr, /--port/);
    assert.doesNotMatch(inUse.stderr, /Unhandled 'error' event|at .*\.js:\d+/);

    const notAPort = await runCli([...args, "--port", "abc"], { env });
    assert.equal(notAPort.code, 78, notAPort.stderr);
    assert.match(notAPort.stderr, /server\.port: .*\(from --port\)/);
  } finally {
    taken.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
