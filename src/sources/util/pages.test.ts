// walkPages and validators: a list's last page keeps its validator only when it is not full (see fetchOne).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestWorld, WORLD_START, type TestWorld } from "../../github/test-world.js";
import { openStore, type Store } from "../../store/index.js";
import { walkPages } from "./pages.js";

describe("walkPages validators", () => {
  let world: TestWorld;
  let store: Store;
  before(async () => {
    world = await startTestWorld();
    world.emulator.state.org("acme")!.plan = "enterprise";
    store = await openStore(":memory:");
  });
  after(async () => {
    await store.close();
    await world.close();
  });

  const addEvents = async (n: number, from: number) => {
    const events = Array.from({ length: n }, (_, i) => ({ action: "repo.create", actor: "owner1", org: "acme", "@timestamp": from + i * 1000, created_at: from + i * 1000 }));
    await world.control("/_emulator/audit", { events });
  };
  const walk = async (stream: string) => {
    const pages = [];
    for await (const page of walkPages<Record<string, unknown>>(world.client(), store, "GET /orgs/{org}/audit-log", { org: "acme", phrase: `created:>=2025-01-01`, order: "asc", per_page: 100 }, { stream })) {
      pages.push(page);
      await store.transaction((tx) => page.commit(tx));
    }
    return pages;
  };

  it("a full last page keeps no validator, so the items after it are found; a partial one keeps it", async () => {
    await addEvents(100, WORLD_START - 3_600_000);
    const [full] = await walk("s");
    assert.equal(full?.items?.length, 100);
    assert.equal(full?.next, null);
    assert.equal(full?.validator, null, "exactly one full page: no validator");
    await addEvents(1, WORLD_START - 60_000);
    const again = await walk("s");
    assert.deepEqual(again.map((p) => p.items?.length ?? null), [100, 1], "the page was fetched in full and the new item found");
    assert.ok(again[1]?.validator, "a partial last page keeps its validator");
    const idle = await walk("s");
    assert.equal(idle.at(-1)?.items, null, "and answers 304 next time");
  });
});
