// Checkpoints and HTTP validators: stored per stream, replaced in place, reset together.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ManualClock } from "../core/clock.js";
import { forEachDialect } from "./testing.js";

forEachDialect("checkpoints", (dialect) => {
  test("a cursor per stream, replaced on set, listed, and reset with its validators", () => {
    const clock = new ManualClock({ start: Date.UTC(2025, 0, 1), frozen: true });
    return dialect.withStore(async (store) => {
      assert.equal(await store.checkpoints.get("org-audit-log"), undefined);
      await store.checkpoints.set("org-audit-log", { after: "MS42NjQz", seenUpTo: 1_700_000_000_000 });
      clock.advance(5000);
      await store.checkpoints.set("org-audit-log", { after: "MS42NjQ0", seenUpTo: 1_700_000_000_500 });
      await store.checkpoints.set("dependabot", "2025-01-01T00:00:00Z");
      const cp = await store.checkpoints.get<{ after: string }>("org-audit-log");
      assert.deepEqual(cp, { cursor: { after: "MS42NjQ0", seenUpTo: 1_700_000_000_500 }, updatedAt: clock.now() });
      assert.deepEqual((await store.checkpoints.list()).map((c) => [c.stream, c.cursor]), [
        ["dependabot", "2025-01-01T00:00:00Z"],
        ["org-audit-log", { after: "MS42NjQ0", seenUpTo: 1_700_000_000_500 }],
      ]);

      const url = "/orgs/octo-org/dependabot/alerts?state=open&per_page=100";
      await store.checkpoints.setValidator("dependabot", url, { etag: 'W/"1"', lastModified: null });
      await store.checkpoints.setValidator("dependabot", url, { etag: 'W/"2"', lastModified: "Tue, 01 Jul 2025 10:00:00 GMT" });
      await store.checkpoints.setValidator("dependabot", "/other", { etag: '"x"', lastModified: null });
      await store.checkpoints.setValidator("code-scanning", url, { etag: '"cs"', lastModified: null });
      assert.deepEqual(await store.checkpoints.getValidator("dependabot", url), { etag: 'W/"2"', lastModified: "Tue, 01 Jul 2025 10:00:00 GMT", next: null });
      await store.checkpoints.setValidator("dependabot", "/other", { etag: '"x"', lastModified: null, next: "/other?page=2" });
      assert.equal((await store.checkpoints.validators("dependabot")).get("/other")?.next, "/other?page=2");
      assert.equal((await store.checkpoints.validators("dependabot")).size, 2);

      await store.checkpoints.reset("dependabot");
      assert.equal(await store.checkpoints.get("dependabot"), undefined);
      assert.equal((await store.checkpoints.validators("dependabot")).size, 0);
      assert.equal((await store.checkpoints.validators("code-scanning")).size, 1, "other streams keep theirs");
      assert.ok(await store.checkpoints.get("org-audit-log"));
    }, { clock });
  });
  test("validators and checkpoints of many pages are written in one statement each, the last one winning", async () => {
    await dialect.withStore(async (store) => {
      await store.checkpoints.setValidators("audit", [
        { url: "/a?page=1", validator: { etag: 'W/"1"', lastModified: null, next: "/a?page=2" } },
        { url: "/a?page=2", validator: { etag: 'W/"2"', lastModified: null, next: null } },
        { url: "/a?page=1", validator: { etag: 'W/"1b"', lastModified: null, next: "/a?page=2" } },
      ]);
      await store.checkpoints.setValidators("audit", [{ url: "/a?page=2", validator: { etag: 'W/"2b"', lastModified: null, next: null } }]);
      await store.checkpoints.setValidators("audit", []);
      const validators = await store.checkpoints.validators("audit");
      assert.deepEqual(Object.fromEntries([...validators].map(([url, v]) => [url, [v.etag, v.next]])), {
        "/a?page=1": ['W/"1b"', "/a?page=2"],
        "/a?page=2": ['W/"2b"', null],
      });
      await store.checkpoints.setMany([{ stream: "x", cursor: { high: 1 } }, { stream: "y", cursor: null }]);
      await store.checkpoints.setMany([{ stream: "x", cursor: { high: 2 } }, { stream: "z", cursor: 1 }, { stream: "z", cursor: 2 }]);
      await store.checkpoints.setMany([]);
      assert.deepEqual((await store.checkpoints.get("x"))?.cursor, { high: 2 });
      assert.equal((await store.checkpoints.get("y"))?.cursor, null);
      assert.equal((await store.checkpoints.get("z"))?.cursor, 2);
    });
  });
});
