// Coverage: repositories -> which security features are on, null when security_and_analysis is hidden.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ScanRecord } from "../../core/records.js";
import { featuresOf, normalizeRepository, type RepositoryContext } from "./coverage.js";
import type { JsonObject } from "./read.js";
import { ghecExample, normalizeChecked } from "./test-helpers.js";

const repo = (): JsonObject => (ghecExample("minimal-repository-items") as JsonObject[])[0]!;

function check(raw: JsonObject, ctx: RepositoryContext = {}): ScanRecord {
  return normalizeChecked(ScanRecord, raw, (r) => normalizeRepository(r, ctx));
}

describe("normalizeRepository: GitHub's example (minimal-repository-items)", () => {
  it("maps every field", () => {
    const rec = check(repo(), { org: "octocat", observedAt: "2026-06-01T00:00:00Z" });
    assert.deepEqual({ ...rec, raw: null }, {
      id: "coverage:1296269",
      kind: "coverage",
      event_type: "VULNERABILITY_SCAN",
      source: "github",
      category: "vcs",
      timestamp: "2026-06-01T00:00:00.000Z",
      org: "octocat",
      enterprise: null,
      repository: "octocat/Hello-World",
      actor: null,
      repository_id: 1296269,
      visibility: "public",
      archived: false,
      default_branch: "master",
      features: {
        advanced_security: true,
        secret_scanning: true,
        secret_scanning_push_protection: false,
        secret_scanning_validity_checks: false,
        secret_scanning_delegated_alert_dismissal: false,
      },
      raw: null,
    });
  });
});

describe("normalizeRepository: quirks", () => {
  it("gives null features when security_and_analysis is absent or null (token without admin)", () => {
    const { security_and_analysis: _sa, ...hidden } = repo();
    assert.equal(check(hidden).features, null);
    assert.equal(check({ ...repo(), security_and_analysis: null }).features, null);
    assert.deepEqual(featuresOf({}), {});
    assert.deepEqual(featuresOf({ code_security: { status: "enabled" }, odd: { status: "paused" }, junk: 1 }), { code_security: true });
  });

  it("uses the repository's updated_at when no observation time is given", () => {
    assert.equal(check(repo()).timestamp, "2011-01-26T19:14:43.000Z");
  });

  it("falls back from visibility to private, never guessing internal", () => {
    const { visibility: _v, ...noVis } = repo();
    assert.equal(check(noVis).visibility, "public");
    assert.equal(check({ ...noVis, private: true }).visibility, null);
    assert.equal(check({ ...repo(), visibility: "internal", private: true }).visibility, "internal");
  });

  it("takes org from an Organization owner when the context has none", () => {
    const owned = { ...repo(), owner: { login: "acme", type: "Organization" } };
    assert.equal(check(owned).org, "acme");
    assert.equal(check(repo()).org, null, "octocat is a User");
  });

  it("rejects a repository without id or time", () => {
    const { id: _id, ...noId } = repo();
    assert.throws(() => normalizeRepository(noId), /integer id/);
    const { updated_at: _u, pushed_at: _p, created_at: _c, ...noTime } = repo();
    assert.throws(() => normalizeRepository(noTime), /no time/);
    assert.equal(normalizeRepository(noTime, { observedAt: 0 }).timestamp, "1970-01-01T00:00:00.000Z");
  });
});
