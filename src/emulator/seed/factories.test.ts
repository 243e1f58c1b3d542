// Tests for the runtime alert factories the activity simulator uses.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canRaise, newCodeScanningAlert, newDependabotAlert, newSecretScanningAlert } from "./factories.js";
import { createRng } from "./rng.js";
import { TEST_NOW, allRepos, seeded } from "./test-support.js";

describe("alert factories", () => {
  it("append an open alert with the next number at the given time", () => {
    const { state, world } = seeded(42, "small");
    const repo = allRepos(state).find((r) => canRaise(r, "code_scanning") && canRaise(r, "dependabot") && canRaise(r, "secret_scanning"))!;
    const rng = createRng(1);
    const at = TEST_NOW + 60_000;
    const version = state.version;
    const next = { ...repo.next };

    const cs = newCodeScanningAlert(state, repo, rng, at);
    assert.equal(cs.alert.number, next.codeScanning);
    assert.equal(repo.codeScanning.at(-1), cs);
    assert.equal(cs.alert.state, "open");
    assert.equal(cs.alert.created_at, new Date(at).toISOString().replace(".000Z", "Z"));
    assert.equal(cs.alert.url, `${state.baseUrl}/repos/${repo.fullName}/code-scanning/alerts/${cs.alert.number}`);

    const dep = newDependabotAlert(state, repo, rng, at);
    assert.equal(dep.number, next.dependabot);
    assert.equal(repo.dependabot.at(-1), dep);
    assert.ok(dep.security_advisory.published_at <= dep.created_at);

    const owner = state.org(repo.owner)!.members[1]!;
    const ss = newSecretScanningAlert(state, repo, rng, at, { bypassedBy: owner });
    assert.equal(ss.alert.number, next.secretScanning);
    assert.equal(ss.alert.push_protection_bypassed, true);
    assert.equal(ss.alert.push_protection_bypassed_by?.login, owner);
    assert.equal(ss.alert.push_protection_bypassed_at, ss.alert.created_at);
    assert.ok(ss.alert.secret && ss.alert.secret.length > 8);
    assert.equal(newSecretScanningAlert(state, repo, rng, at).alert.push_protection_bypassed, false);

    assert.deepEqual(repo.next, { ...next, codeScanning: next.codeScanning + 1, dependabot: next.dependabot + 1, secretScanning: next.secretScanning + 2 });
    assert.ok(state.version > version);
    assert.ok(world.orgs.includes(repo.owner));
  });

  it("are deterministic for the same PRNG seed", () => {
    const make = () => {
      const { state } = seeded(42, "tiny");
      const repo = allRepos(state)[0]!;
      const rng = createRng(5);
      return JSON.stringify([newCodeScanningAlert(state, repo, rng, TEST_NOW), newDependabotAlert(state, repo, rng, TEST_NOW), newSecretScanningAlert(state, repo, rng, TEST_NOW)]);
    };
    assert.equal(make(), make());
  });

  it("record an analysis when a code scanning alert lands in a never-scanned repo", () => {
    const { state } = seeded(8, "demo");
    const repo = allRepos(state).find((r) => r.analyses.length === 0)!;
    assert.ok(repo, "demo has a never-scanned repo");
    assert.equal(canRaise(repo, "code_scanning"), false);
    const record = newCodeScanningAlert(state, repo, createRng(2), TEST_NOW);
    assert.equal(repo.analyses.length, 1);
    assert.equal(repo.analyses[0]!.commit_sha, record.alert.most_recent_instance.commit_sha);
    assert.equal(record.alert.number, 1);
  });
});
