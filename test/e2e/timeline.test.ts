// Acceptance: "after the simulator dismisses, reopens, fixes and resolves alerts, the timeline export shows each
// transition with its actor and reason". Forced transitions (simulator and REST PATCH), a sync after each round,
// then `ghaudit export --kind timeline --format ndjson|csv` from the real CLI.
import assert from "node:assert/strict";
import { test } from "node:test";
import { exportRows } from "../../src/cli/export.js";
import { silentLogger } from "../../src/core/logger.js";
import { GITHUB_ACTOR } from "../../src/emulator/webhooks/payloads.js";
import { featureOn } from "../../src/emulator/routes/alerts/scope.js";
import { onRef } from "../../src/emulator/routes/code-scanning.js";
import type { EmuRepo } from "../../src/emulator/state/types.js";
import { syncOnce } from "../../src/pipeline/sync.js";
import { forEachDialect } from "../../src/store/testing.js";
import { dbFlag, parseNdjson, runCliOk } from "./support/cli.js";
import { cliEnv, configFor, emulatorClock, startWorld, tempConfig, type SeededEmulator } from "./support/world.js";

const STEP_MS = 10 * 60_000;

type Expected = { from: string; to: string; actor: string | null; reason: string | null; comment: string | null; source: "poll" | "audit_log" };

function pickRepos(emulator: SeededEmulator, fits: (r: EmuRepo) => boolean): EmuRepo[] {
  return [...emulator.state.repos.values()].filter((r) => !r.archived && emulator.state.org(r.owner) && fits(r));
}

/** Open alerts to drive: two Dependabot, one code scanning (default branch), one secret scanning. */
function chooseAlerts(emulator: SeededEmulator) {
  const dep = pickRepos(emulator, (r) => featureOn("dependabot", r)).flatMap((r) => r.dependabot.filter((a) => a.state === "open").map((a) => ({ repo: r, number: a.number })));
  const cs = pickRepos(emulator, (r) => featureOn("code_scanning", r)).flatMap((r) =>
    r.codeScanning.filter((c) => c.alert.state === "open" && onRef(c, `refs/heads/${r.defaultBranch}`)).map((c) => ({ repo: r, number: c.alert.number })),
  );
  const sec = pickRepos(emulator, (r) => featureOn("secret_scanning", r)).flatMap((r) =>
    r.secretScanning.filter((s) => s.alert.state === "open").map((s) => ({ repo: r, number: s.alert.number! })),
  );
  const [a, b] = dep;
  const [c] = cs;
  const [s] = sec;
  assert.ok(a && b && c && s, "the world has open alerts of every kind");
  return { a, b, c, s };
}

function membersOf(emulator: SeededEmulator, repo: EmuRepo): [string, string, string] {
  const org = emulator.state.org(repo.owner)!;
  const people = [...new Set([...org.members, ...org.securityManagers])].filter((p) => p !== emulator.world.adminLogin);
  assert.ok(people.length >= 3, "three org members to act");
  return [people[0]!, people[1]!, people[2]!];
}

async function patchCodeScanning(emulator: SeededEmulator, repo: EmuRepo, number: number, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${emulator.url}/repos/${repo.fullName}/code-scanning/alerts/${number}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${emulator.token}`, "content-type": "application/json", accept: "application/vnd.github+json" },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `PATCH code scanning alert: ${await res.text()}`);
}

forEachDialect("e2e timeline", (dialect) => {
  test("dismiss, reopen, fix, resolve, auto-dismiss: each transition once, with actor, reason and source", { timeout: 120_000 }, async () => {
    const emulator = await startWorld({ seed: 5, size: "small", frozenClock: true, now: Date.now() - 6 * 3_600_000 });
    const orgs = emulator.world.orgs;
    const cfg = tempConfig(orgs);
    const database = await dialect.create();
    const admin = emulator.world.adminLogin;
    try {
      const { a, b, c, s } = chooseAlerts(emulator);
      const [u1, u2, u3] = membersOf(emulator, a.repo);
      const store = await database.open();
      const sync = async () => {
        const outcomes = await syncOnce({ config: configFor(emulator, cfg.file, orgs), store, logger: silentLogger(), clock: emulatorClock(emulator) });
        assert.deepEqual(outcomes.filter((o) => !o.ok), []);
      };
      const advance = () => emulator.state.clock.advance(STEP_MS);
      try {
        await sync(); // baseline: the alerts' history so far
        advance();
        // Alert timestamps are whole seconds (GitHub's format).
        const t1 = Math.floor(emulator.state.now() / 1000) * 1000;
        const sim = emulator.simulator;
        sim.dismissDependabot(a.repo, a.number, { by: u1, reason: "tolerable_risk", comment: "only reachable from the admin CLI" });
        sim.autoDismissDependabot(b.repo, b.number);
        await patchCodeScanning(emulator, c.repo, c.number, { state: "dismissed", dismissed_reason: "won't fix", dismissed_comment: "legacy endpoint, removal planned" });
        sim.resolveSecret(s.repo, s.number, { by: u2, resolution: "false_positive", comment: "example key from the docs" });
        await sync();
        advance();
        sim.reopenDependabot(a.repo, a.number, { by: u3 });
        await patchCodeScanning(emulator, c.repo, c.number, { state: "open" });
        sim.reopenSecret(s.repo, s.number, { by: u2 });
        await sync();
        advance();
        sim.fixDependabot(a.repo, a.number);
        sim.fixCodeScanning(c.repo, c.number);

        // The last poll and the export run through the real CLI.
        await store.close();
        await runCliOk(["sync", "--once", "--config", cfg.file, "--db", dbFlag(database)], { env: cliEnv(emulator) });
        const out = await runCliOk(["export", "--kind", "timeline", "--format", "ndjson", "--db", dbFlag(database)], { env: cliEnv(emulator) });
        const rows = parseNdjson(out.stdout);
        const after = (kind: string, repo: EmuRepo, number: number) =>
          rows
            .filter((r) => r["kind"] === kind && r["repository"] === repo.fullName && r["number"] === number && Date.parse(String(r["at"])) >= t1)
            .map((r) => ({ from: r["from_state"], to: r["to_state"], actor: r["actor"], reason: r["reason"], comment: r["comment"], source: r["source"] }));

        const github = GITHUB_ACTOR.login;
        const expected: Record<string, [ReturnType<typeof after>, Expected[]]> = {
          "dependabot dismissed, reopened, fixed": [after("dependabot", a.repo, a.number), [
            { from: "open", to: "dismissed", actor: u1, reason: "tolerable_risk", comment: "only reachable from the admin CLI", source: "audit_log" },
            { from: "dismissed", to: "open", actor: u3, reason: null, comment: null, source: "audit_log" },
            { from: "open", to: "fixed", actor: github, reason: null, comment: null, source: "audit_log" },
          ]],
          "dependabot auto-dismissed": [after("dependabot", b.repo, b.number), [
            { from: "open", to: "auto_dismissed", actor: github, reason: null, comment: null, source: "audit_log" },
          ]],
          // Code scanning writes no audit events and REST does not say who reopened: the reopen has no actor.
          "code scanning dismissed (REST PATCH), reopened, fixed": [after("code_scanning", c.repo, c.number), [
            { from: "open", to: "dismissed", actor: admin, reason: "won't fix", comment: "legacy endpoint, removal planned", source: "poll" },
            { from: "dismissed", to: "open", actor: null, reason: null, comment: null, source: "poll" },
            { from: "open", to: "fixed", actor: null, reason: null, comment: null, source: "poll" },
          ]],
          "secret resolved, reopened": [after("secret_scanning", s.repo, s.number), [
            { from: "open", to: "resolved", actor: u2, reason: "false_positive", comment: "example key from the docs", source: "audit_log" },
            { from: "resolved", to: "open", actor: u2, reason: null, comment: null, source: "audit_log" },
          ]],
        };
        for (const [name, [got, want]] of Object.entries(expected)) assert.deepEqual(got, want, name);

        const csv = await runCliOk(["export", "--kind", "timeline", "--format", "csv", "--db", dbFlag(database)], { env: cliEnv(emulator) });
        const lines = csv.stdout.trim().split("\n");
        assert.equal(lines[0], "kind,repository,number,from_state,to_state,at,actor,reason,comment,source");
        assert.equal(lines.length - 1, rows.length, "csv and ndjson export the same entries");
        assert.ok(lines.some((l) => l.startsWith(`dependabot,${a.repo.fullName},${a.number},open,dismissed,`) && l.includes(`,${u1},tolerable_risk,`)));
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
      cfg.cleanup();
      await emulator.close();
    }
  });
  test(
    "resolve, reopen and resolve again within two minutes: three entries, the last one resolved",
    async () => {
      const emulator = await startWorld({ seed: 5, size: "small", frozenClock: true, now: Date.now() - 6 * 3_600_000 });
      const orgs = emulator.world.orgs;
      const cfg = tempConfig(orgs);
      try {
        await dialect.withStore(async (store) => {
          const { s } = chooseAlerts(emulator);
          const [u1, u2] = membersOf(emulator, s.repo);
          const sync = async () => {
            const outcomes = await syncOnce({ config: configFor(emulator, cfg.file, orgs), store, logger: silentLogger(), clock: emulatorClock(emulator) });
            assert.deepEqual(outcomes.filter((o) => !o.ok), []);
          };
          await sync();
          emulator.state.clock.advance(STEP_MS);
          const t1 = Math.floor(emulator.state.now() / 1000) * 1000;
          emulator.simulator.resolveSecret(s.repo, s.number, { by: u1, resolution: "false_positive", comment: "test fixture" });
          emulator.state.clock.advance(30_000);
          emulator.simulator.reopenSecret(s.repo, s.number, { by: u1 });
          emulator.state.clock.advance(30_000);
          emulator.simulator.resolveSecret(s.repo, s.number, { by: u2, resolution: "revoked", comment: "it was a real key after all" });
          await sync();
          const alert = await store.alerts.findByNumber("secret_scanning", s.repo.fullName, s.number);
          assert.ok(alert, "the alert is stored");
          assert.equal(alert.state, "resolved");
          const entries: Record<string, unknown>[] = [];
          for await (const row of exportRows(store, "timeline")) {
            if (row["alert_id"] === alert.id && Date.parse(String(row["at"])) >= t1) entries.push(row);
          }
          assert.deepEqual(
            entries.map((e) => [e["from_state"], e["to_state"], e["actor"]]),
            [
              ["open", "resolved", u1],
              ["resolved", "open", u1],
              ["open", "resolved", u2],
            ],
          );
          // The first resolution's reason is not in the audit event and the poll never saw it; it must not be the second's.
          assert.notEqual(entries[0]!["reason"], "revoked");
          assert.equal(entries[2]!["reason"], "revoked");
        });
      } finally {
        cfg.cleanup();
        await emulator.close();
      }
    },
  );
});
