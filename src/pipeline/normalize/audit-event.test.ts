// Audit events: the documented fields, each real-world quirk, the stable id, and GitHub's own examples.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AuditEventRecord } from "../../core/records.js";
import { isAppError } from "../../core/errors.js";
import { auditDocumentId, canonicalJson, normalizeAuditEvent, type AuditContext } from "./audit-event.js";
import type { JsonObject } from "./read.js";
import { ghecExample, normalizeChecked } from "./test-helpers.js";

const ORG: AuditContext = { scope: "org", name: "octo-corp" };
const ENT: AuditContext = { scope: "enterprise", name: "octo-ent" };

function check(raw: JsonObject, ctx: AuditContext = ORG): AuditEventRecord {
  return normalizeChecked(AuditEventRecord, raw, (r) => normalizeAuditEvent(r, ctx));
}

describe("normalizeAuditEvent: GitHub's examples (ghec.json audit-log)", () => {
  const examples = ghecExample("audit-log") as JsonObject[];

  it("maps team.add_member field by field", () => {
    const rec = check(examples[0]!);
    assert.deepEqual({ ...rec, raw: null }, {
      id: "xJJFlFOhQ6b-5vaAFy9Rjw",
      kind: "audit_event",
      event_type: "AUDIT_LOG",
      source: "github",
      category: "vcs",
      timestamp: "2020-12-02T17:24:34.512Z",
      org: "octo-corp",
      enterprise: null,
      repository: null,
      actor: "octocat",
      action: "team.add_member",
      document_id: "xJJFlFOhQ6b-5vaAFy9Rjw",
      user: "monalisa",
      country_code: null,
      operation_type: null,
      severity: "INFO",
      tags: [],
      raw: null,
    });
  });

  it("keeps repo and every example validates", () => {
    const recs = examples.map((e) => check(e));
    assert.deepEqual(recs.map((r) => [r.action, r.org, r.repository]), [
      ["team.add_member", "octo-corp", null],
      ["org.create", "octocat-test-org", null],
      ["repo.destroy", "mona-org", "mona-org/mona-test-repo"],
    ]);
  });
});

describe("normalizeAuditEvent: quirks", () => {
  const base = { action: "repo.access", actor: "octocat", org: "octo-corp", _document_id: "doc-1", created_at: 1606929874512 };

  it("prefers @timestamp (event time) over created_at (record time)", () => {
    const rec = check({ ...base, "@timestamp": 1606929874512, created_at: 1606929999999 });
    assert.equal(rec.timestamp, "2020-12-02T17:24:34.512Z");
  });

  it("falls back to created_at when @timestamp is missing (older exports)", () => {
    assert.equal(check({ ...base, created_at: 1583364251067 }).timestamp, "2020-03-04T23:24:11.067Z");
  });

  it("detects epoch seconds and ISO strings in exported data", () => {
    assert.equal(check({ ...base, "@timestamp": 1606929874 }).timestamp, "2020-12-02T17:24:34.000Z");
    assert.equal(check({ ...base, "@timestamp": "2020-12-02T17:24:34.512Z" }).timestamp, "2020-12-02T17:24:34.512Z");
    assert.equal(check({ ...base, created_at: "2020-12-02T17:24:34" }).timestamp, "2020-12-02T17:24:34.000Z");
  });

  it("derives a stable sha256 id when _document_id is missing", () => {
    const a = { action: "org.add_member", actor: "octocat", org: "octo-corp", created_at: 1583365350878, user: "mona" };
    const reordered = { user: "mona", created_at: 1583365350878, org: "octo-corp", actor: "octocat", action: "org.add_member" };
    const rec = check(a);
    assert.match(rec.id, /^sha256:[0-9a-f]{64}$/);
    assert.equal(rec.document_id, rec.id);
    assert.equal(check(reordered).id, rec.id, "key order does not matter");
    assert.equal(check(structuredClone(a)).id, rec.id, "same content, same id");
    assert.notEqual(check({ ...a, created_at: 1583365350879 }).id, rec.id, "other content, other id");
    assert.equal(auditDocumentId({ ...a, _document_id: "" }), auditDocumentId({ ...a, _document_id: "" }));
  });

  it("canonical JSON sorts keys at every depth and drops undefined members", () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 2, y: null }], c: "x" }, u: undefined }), '{"a":{"c":"x","d":[1,{"y":null,"z":2}]},"b":1}');
  });

  it("reads org when it is an array, preferring the org being read", () => {
    assert.equal(check({ ...base, org: ["other", "Octo-Corp"], org_id: [1, 2] }).org, "Octo-Corp");
    assert.equal(check({ ...base, org: ["first", "second"] }, ENT).org, "first");
    assert.equal(check({ ...base, org: [] }).org, "octo-corp");
  });

  it("uses the context's org when the event has none, and null for enterprise-level events", () => {
    const { org: _org, ...noOrg } = base;
    assert.equal(check(noOrg).org, "octo-corp");
    assert.equal(check({ ...noOrg, business: "octo-ent" }, ENT).org, null);
  });

  it("takes the enterprise from business, else from an enterprise context", () => {
    assert.equal(check({ ...base, business: "biz" }).enterprise, "biz");
    assert.equal(check(base).enterprise, null);
    assert.equal(check(base, ENT).enterprise, "octo-ent");
  });

  it("reads Git events' repository when repo is absent", () => {
    const git = { ...base, action: "git.clone", repository: "octo-corp/api", repository_public: false, transport_protocol_name: "http" };
    assert.equal(check(git).repository, "octo-corp/api");
    assert.equal(check({ ...git, repo: "octo-corp/web" }).repository, "octo-corp/web");
  });

  it("qualifies a bare repository name with the event's org", () => {
    assert.equal(check({ ...base, repository: "project-alpha" }).repository, "octo-corp/project-alpha");
    assert.equal(check({ action: "repo.create", _document_id: "x", repository: "alpha", created_at: 1 }, ENT).repository, null);
  });

  it("reads actor_location.country_code and ignores country_name-only locations", () => {
    assert.equal(check({ ...base, actor_location: { country_code: "US" } }).country_code, "US");
    assert.equal(check({ ...base, actor_location: { country_name: "USA", ip: "10.0.0.1" } }).country_code, null);
  });

  it("treats empty strings as absent (git events send user: \"\")", () => {
    const rec = check({ ...base, user: "", actor: "", operation_type: "modify" });
    assert.deepEqual([rec.user, rec.actor, rec.operation_type], [null, null, "modify"]);
  });

  it("never copies or changes raw, even with nested objects", () => {
    const raw = { ...base, data: { team: "octo-corp/admins" }, events: [{ a: 1 }] };
    assert.equal(check(raw).raw, raw);
  });

  it("rejects events without an action or a usable time", () => {
    const noTime = () => normalizeAuditEvent({ action: "x.y", actor: "a" }, ORG);
    const noAction = () => normalizeAuditEvent({ created_at: 1, actor: "a" }, ORG);
    for (const fn of [noTime, noAction]) {
      assert.throws(fn, (e: unknown) => isAppError(e) && e.code === "bad-request");
    }
  });
});
