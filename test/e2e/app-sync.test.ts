// A sync with GitHub App credentials: every stream of an org polls with the same installation token (one installation
// lookup, one token minted for the whole run), and the streams the App may read succeed.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { silentLogger } from "../../src/core/logger.js";
import { loadConfig } from "../../src/config/index.js";
import { addApp } from "../../src/emulator/testing/fixture.js";
import { syncOnce } from "../../src/pipeline/sync.js";
import { forEachDialect } from "../../src/store/testing.js";
import { control, emulatorClock, startWorld, type RequestCounts } from "./support/world.js";

forEachDialect("e2e sync as a GitHub App", (dialect) => {
  test("one installation token for all the streams of a run", { timeout: 60_000 }, async () => {
    const emulator = await startWorld({ seed: 21, size: { orgs: 1 }, frozenClock: true });
    const org = emulator.world.orgs[0]!;
    const app = addApp(emulator.state, org, { administration: "read", security_events: "read", vulnerability_alerts: "read", secret_scanning_alerts: "read", metadata: "read" });
    const dir = mkdtempSync(join(tmpdir(), "ghaudit-app-"));
    try {
      const key = join(dir, "app.pem");
      writeFileSync(key, app.privateKeyPem);
      const file = join(dir, "ghaudit.yaml");
      writeFileSync(file, `orgs:\n  - name: ${org}\n    auth: { app_id: ${app.id}, private_key_path: ${key} }\n    streams:\n      audit_log: { enabled: false }\n`);
      const config = loadConfig({ flags: { config: file }, env: { GITHUB_API_URL: emulator.url } });
      await control(emulator, "requests", "DELETE");
      await dialect.withStore(async (store) => {
        const outcomes = await syncOnce({ config, store, logger: silentLogger(), clock: emulatorClock(emulator) });
        assert.ok(outcomes.length >= 4, `${outcomes.length} streams`);
        assert.deepEqual(outcomes.filter((o) => !o.ok), [], "every stream synced as the App");
        const routes = (await control<RequestCounts>(emulator, "requests")).byRoute;
        const count = (route: string) => routes[route]?.count ?? 0;
        assert.equal(count(`GET /orgs/${org}/installation`), 1, "one installation lookup");
        assert.equal(count(`POST /app/installations/${app.installationId}/access_tokens`), 1, "one token minted");
        const alerts = await store.db.selectFrom("alerts").select("id").execute();
        assert.ok(alerts.length > 0, "alerts were stored");
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await emulator.close();
    }
  });
});
