// Unit tests of the audit log's `phrase` parser and matcher.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { AuditLogEvent, AuditRecord } from "../state/types.js";
import { compilePhrase, createdSpan, parsePhrase, PhraseSyntaxError, type PhraseScope } from "./phrase.js";
import { parseCreated } from "./created.js";

const T = Date.UTC(2024, 6, 8, 12, 30, 15, 250); // 2024-07-08T12:30:15.250Z

function rec(event: Record<string, unknown>, at = T): AuditRecord {
  const org = event.org;
  const orgs = Array.isArray(org) ? (org as string[]) : typeof org === "string" ? [org] : [];
  return { event: { "@timestamp": at, ...event } as AuditLogEvent, at, visibleAt: at, seq: 0, git: false, orgs, enterprise: null };
}

const match = (phrase: string, r: AuditRecord, scope: PhraseScope = "org") => compilePhrase(parsePhrase(phrase, scope))(r);
const bad = (phrase: string, scope: PhraseScope = "org") =>
  assert.throws(() => parsePhrase(phrase, scope), PhraseSyntaxError, `expected "${phrase}" to be rejected`);

test("an empty phrase matches everything", () => {
  assert.equal(match("", rec({ action: "repo.create" })), true);
  assert.equal(match("   ", rec({})), true);
  assert.equal(parsePhrase("", "org").hasCreated, false);
});

test("action: a category matches its actions, a full name matches exactly", () => {
  const r = rec({ action: "repo.access" });
  assert.equal(match("action:repo", r), true);
  assert.equal(match("action:repo.access", r), true);
  assert.equal(match("action:repo.create", r), false);
  assert.equal(match("action:rep", r), false, "no partial category");
  assert.equal(match("action:repository_vulnerability_alert", r), false);
  assert.equal(match("action:org.config", rec({ action: "org.config.enable_collaborators_only" })), true);
  assert.equal(match("action:REPO", r), true, "case-insensitive");
  assert.equal(match("action:repo", rec({})), false);
});

test("actor:, user:, operation: compare whole values case-insensitively", () => {
  const r = rec({ actor: "Octocat", user: "monalisa", operation_type: "modify" });
  assert.equal(match("actor:octocat", r), true);
  assert.equal(match("actor:octo", r), false);
  assert.equal(match("user:monalisa", r), true);
  assert.equal(match("user:octocat", r), false);
  assert.equal(match("operation:modify", r), true);
  assert.equal(match("operation:create", r), false);
});

test("org: matches single and array-valued org fields", () => {
  assert.equal(match("org:acme", rec({ org: "acme" })), true);
  assert.equal(match("org:ACME", rec({ org: "acme" })), true);
  assert.equal(match("org:acme", rec({ org: ["other", "acme"] })), true);
  assert.equal(match("org:acme", rec({ org: "acme-labs" })), false);
});

test("repo: needs owner/name and also covers Git events' repository field", () => {
  const r = rec({ repo: "acme/widgets" });
  assert.equal(match("repo:acme/widgets", r), true);
  assert.equal(match("repo:widgets", r), false);
  assert.equal(match("repo:acme/widgets", rec({ repository: "acme/widgets" })), true);
});

test("created: a date covers its UTC day; comparisons use the start or end of that span", () => {
  const r = rec({});
  for (const [phrase, want] of [
    ["created:2024-07-08", true],
    ["created:=2024-07-08", true],
    ["created:2024-07-07", false],
    ["created:>2024-07-07", true],
    ["created:>2024-07-08", false],
    ["created:>=2024-07-08", true],
    ["created:<2024-07-08", false],
    ["created:<2024-07-09", true],
    ["created:<=2024-07-08", true],
    ["created:<=2024-07-07", false],
    ["created:2024-07-01..2024-07-08", true],
    ["created:2024-07-01..2024-07-07", false],
    ["created:2024-07-08..*", true],
    ["created:*..2024-07-07", false],
    ["created:*..*", true],
  ] as const) {
    assert.equal(match(phrase, r), want, phrase);
  }
  assert.equal(parsePhrase("created:2024-07-08", "org").hasCreated, true);
});

test("created: ISO date-times with seconds, milliseconds and offsets", () => {
  const r = rec({});
  assert.equal(match("created:2024-07-08T12:30:15Z", r), true, "second precision");
  assert.equal(match("created:2024-07-08T12:30Z", r), true, "minute precision");
  assert.equal(match("created:2024-07-08T12:30:15.250Z", r), true);
  assert.equal(match("created:2024-07-08T12:30:15.251Z", r), false);
  assert.equal(match("created:>2024-07-08T12:30:15Z", r), false);
  assert.equal(match("created:>=2024-07-08T14:30:15+02:00", r), true);
  assert.equal(match("created:>2024-07-08T14:30:14+02:00", r), true);
  assert.equal(match("created:<2024-07-08T14:30:15+02:00", r), false);
  assert.equal(match("created:2024-07-08T12:00:00Z..2024-07-08T12:30:15Z", r), true);
  assert.deepEqual(parseCreated("2024-07-08T00:00:00"), { from: Date.UTC(2024, 6, 8), to: Date.UTC(2024, 6, 8) + 1000 });
});

test("country: two-letter code or full name, quoted names with spaces", () => {
  const r = rec({ actor_location: { country_code: "NZ", country_name: "New Zealand" } });
  assert.equal(match("country:NZ", r), true);
  assert.equal(match("country:nz", r), true);
  assert.equal(match('country:"New Zealand"', r), true);
  assert.equal(match("country:Zealand", r), false);
  assert.equal(match("country:US", r), false);
  assert.equal(match("country:US", rec({})), false);
});

test("hashed_token: exact, URI-encoded values are decoded", () => {
  const r = rec({ hashed_token: "EH4L8o6PfCqipALbL%2B=" });
  const plain = rec({ hashed_token: "EH4L8o6PfCqipALbL+=" });
  assert.equal(match('hashed_token:"EH4L8o6PfCqipALbL%2B%3D"', plain), true);
  assert.equal(match("hashed_token:EH4L8o6PfCqipALbL+=", plain), true);
  assert.equal(match("hashed_token:eh4l8o6pfcqipalbl+=", plain), false, "case-sensitive");
  assert.equal(match("hashed_token:other", r), false);
});

test("enterprise qualifiers: business, ids (including array org_id); rejected on the org endpoint", () => {
  const r = rec({ business: "acme-ent", actor_id: 7, user_id: 8, repo_id: 9, org_id: [1, 2], business_id: 3 });
  assert.equal(match("business:ACME-ENT", r, "enterprise"), true);
  assert.equal(match("actor_id:7", r, "enterprise"), true);
  assert.equal(match("actor_id:8", r, "enterprise"), false);
  assert.equal(match("user_id:8", r, "enterprise"), true);
  assert.equal(match("repo_id:9", r, "enterprise"), true);
  assert.equal(match("repo_id:9", rec({ repository_id: 9 }), "enterprise"), true);
  assert.equal(match("org_id:2", r, "enterprise"), true);
  assert.equal(match("org_id:3", r, "enterprise"), false);
  assert.equal(match("business_id:3", r, "enterprise"), true);
  for (const q of ["business:acme-ent", "actor_id:7", "user_id:8", "repo_id:9", "org_id:2"]) bad(q, "org");
  bad("actor_id:seven", "enterprise");
});

test("negation excludes; negations of one key all apply", () => {
  const a = rec({ actor: "hubot", action: "repo.create" });
  const b = rec({ actor: "octocat", action: "repo.create" });
  assert.equal(match("-actor:hubot", a), false);
  assert.equal(match("-actor:hubot", b), true);
  assert.equal(match("-actor:hubot -actor:octocat", b), false);
  assert.equal(match("-action:repo", a), false);
  assert.equal(match("-created:2024-07-08", a), false);
  assert.equal(parsePhrase("-created:2024-07-08", "org").hasCreated, true);
});

test("a repeated key ORs its values, different keys AND", () => {
  const a = rec({ actor: "hubot", action: "repo.create" });
  const b = rec({ actor: "octocat", action: "team.add_member" });
  const c = rec({ actor: "monalisa", action: "repo.create" });
  const phrase = "actor:hubot actor:octocat";
  assert.deepEqual([a, b, c].map((r) => match(phrase, r)), [true, true, false]);
  const both = "actor:hubot actor:octocat action:repo";
  assert.deepEqual([a, b, c].map((r) => match(both, r)), [true, false, false]);
  const mixed = "action:repo -actor:monalisa";
  assert.deepEqual([a, b, c].map((r) => match(mixed, r)), [true, false, false]);
  assert.equal(match("action:team AND actor:octocat", b), true, "explicit AND is the default");
});

test("keys are case-insensitive, terms may be separated by any whitespace, canonical form ignores order", () => {
  assert.equal(match("ACTOR:hubot", rec({ actor: "hubot" })), true);
  const x = parsePhrase("actor:a\taction:repo  created:>2024-01-01", "org");
  const y = parsePhrase("created:>2024-01-01 action:repo actor:a", "org");
  assert.equal(x.canonical, y.canonical);
  assert.notEqual(x.canonical, parsePhrase("actor:a -action:repo created:>2024-01-01", "org").canonical);
  assert.equal(x.terms.length, 3);
});

test("bad syntax is rejected", () => {
  bad("octocat"); // free text
  bad("foo:bar"); // unknown qualifier
  bad("actor:"); // empty value
  bad('country:"United States'); // unterminated quote
  bad("created:yesterday");
  bad("created:2024-13-01");
  bad("created:2024-02-30");
  bad("created:2024-07-08T25:00Z");
  bad("created:>");
  bad("created:2024-07-01..");
  bad("created:..2024-07-01");
  bad("-");
  bad("OR");
});

test("createdSpan: the hull of the positive created: ranges (ORed); negated terms and other keys do not narrow", () => {
  const span = (phrase: string) => createdSpan(parsePhrase(phrase, "org"));
  const day = (d: number) => Date.UTC(2024, 6, d);
  assert.deepEqual(span(""), { from: -Infinity, to: Infinity });
  assert.deepEqual(span("action:repo -created:2024-07-08"), { from: -Infinity, to: Infinity });
  assert.deepEqual(span("created:2024-07-08"), { from: day(8), to: day(9) });
  assert.deepEqual(span("created:2024-07-08 created:2024-07-03..2024-07-04 -created:2024-07-03"), { from: day(3), to: day(9) });
  assert.deepEqual(span("created:>=2024-07-08 created:2024-07-01"), { from: day(1), to: Infinity });
  assert.deepEqual(span("created:<2024-07-08 action:repo"), { from: -Infinity, to: day(8) });
  assert.deepEqual(span("created:2024-07-08T12:30:15Z..2024-07-08T12:30:15Z"), { from: T - 250, to: T + 750 });
  // Every event the phrase matches lies in its span.
  for (const phrase of ["created:2024-07-08 created:2024-07-10", "created:>2024-07-08T12:30:15Z -created:2024-07-09"]) {
    const { from, to } = span(phrase);
    for (let at = day(6); at < day(12); at += 3_600_000) {
      if (match(phrase, rec({}, at))) assert.ok(at >= from && at < to, `${phrase} at ${new Date(at).toISOString()}`);
    }
  }
});
