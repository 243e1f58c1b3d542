// Repository inventory: changes detected (feature flags in any key order are equal), missing repositories marked.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ManualClock } from "../core/clock.js";
import type { RepositoryInput } from "./repo-inventory.js";
import { forEachDialect } from "./testing.js";

function repo(id: number, fullName: string, extra: Partial<RepositoryInput> = {}): RepositoryInput {
  return {
    id,
    fullName,
    visibility: "private",
    defaultBranch: "main",
    security: { secret_scanning: { status: "enabled" }, dependabot_security_updates: { status: "disabled" } },
    raw: { id, full_name: fullName },
    ...extra,
  };
}

forEachDialect("repository inventory", (dialect) => {
  test("counts new, changed and unchanged repositories; renames and archiving are changes", () => {
    const clock = new ManualClock({ start: Date.UTC(2025, 0, 1), frozen: true });
    return dialect.withStore(async (store) => {
      assert.deepEqual(await store.repoInventory.upsert([repo(1, "octo-org/api"), repo(2, "octo-org/web")]), { inserted: 2, changed: 0, unchanged: 0 });
      clock.advance(1000);
      const sameFlagsOtherOrder = repo(1, "octo-org/api", {
        security: { dependabot_security_updates: { status: "disabled" }, secret_scanning: { status: "enabled" } },
      });
      const renamed = repo(2, "octo-org/website", { archived: true });
      assert.deepEqual(await store.repoInventory.upsert([sameFlagsOtherOrder, renamed]), { inserted: 0, changed: 1, unchanged: 1 });
      const web = await store.repoInventory.get(2);
      assert.equal(web?.fullName, "octo-org/website");
      assert.equal(web?.owner, "octo-org");
      assert.equal(web?.name, "website");
      assert.equal(web?.archived, true);
      assert.equal(web?.firstSeen, Date.UTC(2025, 0, 1));
      assert.equal((await store.repoInventory.findByName("octo-org/api"))?.lastSeen, clock.now());
      assert.deepEqual((await store.repoInventory.get(1))?.security, sameFlagsOtherOrder.security);
    }, { clock });
  });

  test("repositories not seen by a complete listing are marked missing and hidden from the list", () => {
    const clock = new ManualClock({ start: Date.UTC(2025, 0, 1), frozen: true });
    return dialect.withStore(async (store) => {
      await store.repoInventory.upsert([repo(1, "octo-org/api"), repo(2, "octo-org/web")]);
      clock.advance(1000);
      const listingStart = clock.now();
      await store.repoInventory.upsert([repo(1, "octo-org/api")]);
      assert.equal(await store.repoInventory.markMissing(listingStart), 1);
      assert.deepEqual((await store.repoInventory.list()).map((r) => r.id), [1]);
      assert.deepEqual((await store.repoInventory.list({ includeMissing: true })).map((r) => r.id), [1, 2]);
      assert.equal((await store.repoInventory.get(2))?.missingSince, listingStart);

      await store.repoInventory.upsert([repo(3, "other-org/x"), repo(4, "octo-org/new")]);
      clock.advance(1000);
      const orgListing = clock.now();
      await store.repoInventory.upsert([repo(1, "octo-org/api")]);
      assert.equal(await store.repoInventory.markMissing(orgListing, "octo-org"), 1, "only octo-org/new");
      assert.equal((await store.repoInventory.get(3))?.missingSince, null, "other orgs untouched");
    }, { clock });
  });
});
