// Alerts: new/changed/unchanged detection with the previous version, missing alerts, listing and summary.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ManualClock } from "../core/clock.js";
import type { AlertInput } from "./alerts.js";
import { alertId } from "./ids.js";
import { forEachDialect } from "./testing.js";

const T0 = Date.UTC(2025, 2, 1);

function alert(number: number, extra: Partial<AlertInput> = {}): AlertInput {
  const kind = extra.kind ?? "dependabot";
  return {
    kind,
    repository: "octo-org/api",
    repoId: 101,
    number,
    state: "open",
    severity: "high",
    createdAt: T0 + number * 1000,
    updatedAt: T0 + number * 1000,
    package: "lodash",
    ecosystem: "npm",
    raw: { number, state: extra.state ?? "open" },
    normalized: { number, state: extra.state ?? "open" },
    ...extra,
  };
}

forEachDialect("alerts", (dialect) => {
  test("upsert says which alerts are new, changed or unchanged, with the previous version", () => {
    const clock = new ManualClock({ start: T0 + 10_000_000, frozen: true });
    return dialect.withStore(async (store) => {
      const first = await store.alerts.upsert([alert(1), alert(2), alert(3, { kind: "code_scanning", rule: "js/xss", tool: "CodeQL" })]);
      assert.deepEqual([first.inserted, first.changed, first.unchanged], [3, 0, 0]);
      assert.ok(first.results.every((r) => r.status === "new" && r.previous === undefined));
      const seq1 = first.results.map((r) => r.current.seq);
      assert.equal(new Set(seq1).size, 3);

      clock.advance(60_000);
      const dismissed = alert(2, {
        state: "dismissed",
        closedAt: T0 + 50_000,
        closedBy: "alice",
        reason: "tolerable_risk",
        comment: "internal only",
        normalized: { number: 2, state: "dismissed" },
      });
      const second = await store.alerts.upsert([alert(1), dismissed, alert(4)]);
      assert.deepEqual([second.inserted, second.changed, second.unchanged], [1, 1, 1]);
      const byId = new Map(second.results.map((r) => [r.id, r]));
      const changed = byId.get(alertId("dependabot", "octo-org/api", 2));
      assert.equal(changed?.status, "changed");
      assert.equal(changed?.previous?.state, "open");
      assert.equal(changed?.current.state, "dismissed");
      assert.equal(changed?.current.firstSeen, T0 + 10_000_000, "first_seen survives changes");
      assert.equal(changed?.current.lastSeen, T0 + 10_060_000);
      assert.ok((changed?.current.seq ?? 0) > Math.max(...seq1), "a change moves the alert to a new position");
      const unchanged = byId.get(alertId("dependabot", "octo-org/api", 1));
      assert.equal(unchanged?.status, "unchanged");
      assert.equal(unchanged?.current.seq, seq1[0], "unchanged alerts keep their position");

      const stored = await store.alerts.get(alertId("dependabot", "octo-org/api", 2));
      assert.deepEqual(stored, changed?.current);
      assert.equal((await store.alerts.get(alertId("dependabot", "octo-org/api", 1)))?.lastSeen, T0 + 10_060_000);
      assert.equal((await store.alerts.findByNumber("code_scanning", "octo-org/api", 3))?.rule, "js/xss");
      assert.equal(await store.alerts.findByNumber("secret_scanning", "octo-org/api", 3), undefined);
    }, { clock });
  });

  test("alerts not seen by a complete poll are marked missing, and come back when seen again", () => {
    const clock = new ManualClock({ start: T0, frozen: true });
    return dialect.withStore(async (store) => {
      await store.alerts.upsert([alert(1), alert(2), alert(7, { kind: "secret_scanning", secretType: "github_pat" })]);
      clock.advance(1000);
      const pollStart = clock.now();
      await store.alerts.upsert([alert(1)]);
      assert.equal(await store.alerts.markMissing("dependabot", pollStart), 1);
      assert.equal(await store.alerts.markMissing("dependabot", pollStart), 0, "already marked");
      assert.equal((await store.alerts.list({ missing: true })).items.map((a) => a.number).join(), "2");
      assert.equal((await store.alerts.list({ missing: false })).items.length, 2);
      clock.advance(1000);
      const back = await store.alerts.upsert([alert(2)]);
      assert.equal(back.results[0]?.current.missingSince, null);
      assert.equal((await store.alerts.list({ missing: true })).items.length, 0);
    }, { clock });
  });

  test("lists with filters and keyset pages, and summarizes by kind, state and severity", () =>
    dialect.withStore(async (store) => {
      const inputs: AlertInput[] = [];
      for (let n = 1; n <= 25; n++) {
        inputs.push(alert(n, {
          state: n % 5 === 0 ? "fixed" : "open",
          severity: n % 2 === 0 ? "critical" : "low",
          repository: n <= 10 ? "octo-org/api" : "octo-org/web",
          repoId: n <= 10 ? 101 : 102,
          createdAt: T0 + Math.floor(n / 2) * 1000, // pairs share a creation time
        }));
      }
      await store.alerts.upsert(inputs);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.alerts.list({}, { limit: 7, cursor });
        seen.push(...page.items.map((a) => a.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.equal(seen.length, 25);
      assert.equal(new Set(seen).size, 25);

      const bySeq: number[] = [];
      cursor = undefined;
      do {
        const page = await store.alerts.list({ states: ["open"] }, { limit: 6, cursor, sort: "changed", order: "asc" });
        bySeq.push(...page.items.map((a) => a.seq));
        cursor = page.nextCursor;
      } while (cursor);
      assert.equal(bySeq.length, 20);
      assert.deepEqual(bySeq, [...bySeq].sort((a, b) => a - b));

      const critical = await store.alerts.list({ severities: ["critical"], repository: "octo-org/web" }, { limit: 100 });
      assert.ok(critical.items.length > 0 && critical.items.every((a) => a.severity === "critical" && a.repoId === 102));
      assert.equal((await store.alerts.list({ kinds: ["code_scanning"] })).items.length, 0);

      await store.alerts.upsert([alert(1, { repository: "octo-orgx/tool", repoId: 103 }), alert(2, { kind: "code_scanning", repository: "other/x", repoId: 104 })]);
      assert.deepEqual(await store.alerts.repositoriesOf("dependabot", "octo-org"), ["octo-org/api", "octo-org/web"]);
      assert.deepEqual(await store.alerts.repositoriesOf("dependabot"), ["octo-org/api", "octo-org/web", "octo-orgx/tool"]);
      assert.deepEqual(await store.alerts.repositoriesOf("code_scanning", "octo-org"), []);

      const summary = (await store.alerts.summary()).filter((s) => s.kind === "dependabot");
      const count = (state: string, severity: string): number =>
        summary.find((s) => s.kind === "dependabot" && s.state === state && s.severity === severity)?.count ?? 0;
      assert.equal(count("open", "critical") + count("fixed", "critical"), 12);
      assert.equal(count("fixed", "low") + count("fixed", "critical"), 5);
      assert.equal(summary.reduce((n, s) => n + s.count, 0), 26);
    }));

  test("an older version than the stored one is stale: not written, only seen; a caller's own time of observation counts", () => {
    const clock = new ManualClock({ start: T0 + 10_000_000, frozen: true });
    return dialect.withStore(async (store) => {
      const id = alertId("dependabot", "octo-org/api", 5);
      // A webhook stored the dismissal at +90 s; a poll page fetched before it (open, updated +5 s) is written after.
      const dismissed = alert(5, { state: "dismissed", updatedAt: T0 + 90_000, closedAt: T0 + 90_000, closedBy: "alice", normalized: { state: "dismissed" } });
      await store.alerts.upsert([dismissed]);
      clock.advance(1_000);
      const older = await store.alerts.upsert([alert(5)]);
      assert.deepEqual([older.inserted, older.changed, older.unchanged, older.stale], [0, 0, 0, 1]);
      assert.equal(older.results[0]?.status, "stale");
      assert.equal(older.results[0]?.previous?.state, "dismissed");
      const stored = await store.alerts.get(id);
      assert.equal(stored?.state, "dismissed", "not rolled back");
      assert.equal(stored?.lastSeen, clock.now(), "but seen");
      // A version without a time of its own (a webhook payload without updated_at) observed later is newer.
      const reopened = alert(5, { state: "open", updatedAt: null, normalized: { state: "open", by: "webhook" } });
      assert.equal((await store.alerts.upsert([reopened])).results[0]?.status, "stale", "by its own times it looks older");
      assert.equal((await store.alerts.upsert([{ ...reopened, observedAt: T0 + 120_000 }])).results[0]?.status, "changed");
      assert.equal((await store.alerts.get(id))?.state, "open");
    }, { clock });
  });
});
