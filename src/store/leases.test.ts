// Leases: two instances contend for one stream; expiry, renewal, release and the fencing generation.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ManualClock } from "../core/clock.js";
import { forEachDialect } from "./testing.js";

const TTL = 30_000;

forEachDialect("leases", (dialect) => {
  test("one holder at a time; the other gets it only after expiry or release", async () => {
    const clock = new ManualClock({ start: Date.UTC(2025, 0, 1), frozen: true });
    const database = await dialect.create();
    // Two stores on one database, as two ghaudit instances would be.
    try {
      const a = await database.open({ clock });
      const b = await database.open({ clock });
      const first = await a.leases.acquire("stream:org-audit-log", "instance-a", TTL);
      assert.equal(first?.holder, "instance-a");
      assert.equal(first?.generation, 1);
      assert.equal(await b.leases.acquire("stream:org-audit-log", "instance-b", TTL), undefined);
      assert.equal((await b.leases.acquire("stream:dependabot", "instance-b", TTL))?.holder, "instance-b", "leases are per name");

      clock.advance(TTL - 1);
      assert.equal(await b.leases.renew("stream:org-audit-log", "instance-b", TTL), false, "b cannot renew a's lease");
      assert.equal(await a.leases.renew("stream:org-audit-log", "instance-a", TTL), true);
      clock.advance(TTL - 1);
      assert.equal(await b.leases.acquire("stream:org-audit-log", "instance-b", TTL), undefined, "renewed, so still a's");
      const again = await a.leases.acquire("stream:org-audit-log", "instance-a", TTL);
      assert.equal(again?.generation, 1, "re-acquiring your own lease extends it without a new generation");
      assert.equal(again?.acquiredAt, first?.acquiredAt);

      clock.advance(TTL);
      assert.equal(await a.leases.holder("stream:org-audit-log"), undefined, "expired");
      assert.equal(await a.leases.renew("stream:org-audit-log", "instance-a", TTL), false, "too late to renew");
      const taken = await b.leases.acquire("stream:org-audit-log", "instance-b", TTL);
      assert.equal(taken?.holder, "instance-b");
      assert.equal(taken?.generation, 2, "a new holder gets a new fencing token");
      assert.equal((await a.leases.holder("stream:org-audit-log"))?.holder, "instance-b");

      assert.equal(await a.leases.release("stream:org-audit-log", "instance-a"), false, "a does not hold it");
      assert.equal(await b.leases.release("stream:org-audit-log", "instance-b"), true);
      assert.equal(await a.leases.holder("stream:org-audit-log"), undefined);
      const back = await a.leases.acquire("stream:org-audit-log", "instance-a", TTL);
      assert.equal(back?.generation, 3);
      assert.deepEqual((await b.leases.heldWithPrefix("stream:")).map((l) => l.name), ["stream:org-audit-log"], "dependabot's has expired");
      await b.leases.acquire("stream:dependabot", "instance-b", TTL);
      assert.deepEqual((await b.leases.heldWithPrefix("stream:")).map((l) => l.name), ["stream:dependabot", "stream:org-audit-log"]);
      assert.deepEqual((await b.leases.heldWithPrefix("stream:org")).map((l) => l.name), ["stream:org-audit-log"]);
      assert.deepEqual(await b.leases.heldWithPrefix("STREAM:"), []);
      clock.advance(TTL);
      assert.deepEqual(await b.leases.heldWithPrefix("stream:"), [], "expired leases are not held");
      assert.deepEqual((await b.leases.list()).map((l) => [l.name, l.holder]), [
        ["stream:dependabot", "instance-b"],
        ["stream:org-audit-log", "instance-a"],
      ]);
    } finally {
      await database.drop();
    }
  });

  test("many simultaneous acquires of a free lease: exactly one wins", async () => {
    const clock = new ManualClock({ start: Date.UTC(2025, 0, 1), frozen: true });
    const database = await dialect.create();
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => database.open({ clock })));
      const results = await Promise.all(
        stores.flatMap((s, i) => [0, 1, 2].map((j) => s.leases.acquire("stream:x", `holder-${i}-${j}`, TTL))),
      );
      const winners = results.filter((r) => r !== undefined);
      assert.equal(winners.length, 1);
      assert.equal((await stores[0]?.leases.holder("stream:x"))?.holder, winners[0]?.holder);
    } finally {
      await database.drop();
    }
  });
});
