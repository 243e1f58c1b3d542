// Retries, rate limits and conditional requests against the emulator's faults and budgets; every wait is
// observed through the injected sleep (which moves the emulator's clock), never real time.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { Writable } from "node:stream";
import { setTimeout as delay } from "node:timers/promises";
import { RequestError } from "@octokit/request-error";
import { pino } from "pino";
import { conditionalGet, MemoryEtagCache } from "./etag.js";
import { explainGitHubError } from "./explain.js";
import { startTestWorld, type TestWorld } from "./test-world.js";

type FaultCounts = { counts: Record<string, number> };
type RequestsLog = { total: number; charged: number };

describe("retries, rate limits and ETags", () => {
  let world: TestWorld;
  const enqueue = (kind: string, count = 1) => world.control("/_emulator/faults", { enqueue: { kind, count, pathPattern: "^/orgs/acme$" } });
  const faults = async () => ((await world.control("/_emulator/faults")) as FaultCounts).counts;
  const getOrg = (client = world.client()) => client.request("GET /orgs/{org}", { org: "acme" });

  before(async () => {
    world = await startTestWorld();
  });
  afterEach(async () => {
    world.sleeps.length = 0;
    await world.control("/_emulator/faults", { clear: true });
    await world.control("/_emulator/rate-limit", { token: world.ownerToken, limit: 5000, remaining: 5000 });
  });
  after(() => world.close());

  for (const kind of ["5xx", "drop", "truncate", "html"]) {
    it(`retries after a ${kind} fault, backing off exponentially`, async () => {
      const before = (await faults())[kind] ?? 0;
      await enqueue(kind, 2);
      const res = await getOrg();
      assert.equal(res.data.login, "acme");
      assert.equal((await faults())[kind], before + 2);
      assert.deepEqual(world.sleeps, [1000, 2000]);
    });
  }

  it("times out an attempt that hangs and retries it", async () => {
    await world.control("/_emulator/faults", { configure: { slowMs: 400 } });
    await enqueue("slow", 1);
    const requestsBefore = ((await world.control("/_emulator/requests")) as RequestsLog).total;
    const res = await getOrg(world.client({ requestTimeoutMs: 100 }));
    assert.equal(res.status, 200);
    assert.equal((await faults())["slow"], 1);
    assert.deepEqual(world.sleeps, [1000]);
    // The emulator still answers the attempt the client gave up on (after 400 ms): wait for it, or under load it lands
    // in a later test's request log.
    const total = async () => ((await world.control("/_emulator/requests")) as RequestsLog).total;
    for (let i = 0; i < 200 && (await total()) < requestsBefore + 2; i++) await delay(10);
    assert.equal(await total(), requestsBefore + 2, "the hung attempt and its retry");
  });

  it("gives up after the configured retries with a clear, retryable server error", async () => {
    await enqueue("html", 10);
    const err = await getOrg(world.client({ retries: 2 })).catch((e: unknown) => e);
    assert.ok(err instanceof RequestError);
    assert.equal(err.status, 502);
    assert.match(err.message, /HTML error page \("Unicorn! · GitHub"\) instead of JSON/);
    assert.deepEqual(world.sleeps, [1000, 2000]);
    const explained = explainGitHubError(err, { org: "acme" });
    assert.equal(explained.code, "github-unavailable");
    assert.match(explained.hint ?? "", /githubstatus/);
  });

  it("honours a request's own retry count", async () => {
    await enqueue("5xx", 3);
    const err = await world.client().request("GET /orgs/{org}", { org: "acme", request: { retries: 1 } }).catch((e: unknown) => e);
    assert.ok(err instanceof RequestError);
    assert.ok(err.status >= 500);
    assert.deepEqual(world.sleeps, [1000], "one retry");
  });

  it("does not retry a client error (4xx)", async () => {
    const requests = async () => ((await world.control("/_emulator/requests")) as RequestsLog).total;
    const before = await requests();
    const err = await world.client().request("GET /orgs/{org}", { org: "no-such-org" }).catch((e: unknown) => e);
    assert.ok(err instanceof RequestError);
    assert.equal(err.status, 404);
    assert.equal(await requests(), before + 1);
    assert.deepEqual(world.sleeps, []);
  });

  it("logs retries and waits without ever logging the token", async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const logger = pino({ level: "debug" }, sink);
    await enqueue("5xx", 1);
    await world.control("/_emulator/faults", { configure: { retryAfter: 3 } });
    await enqueue("secondary", 1);
    await getOrg(world.client({ logger }));
    const text = lines.join("");
    assert.match(text, /retrying after a server or network error/);
    assert.match(text, /secondary rate limit hit; backing off/);
    assert.ok(!text.includes(world.ownerToken));
  });

  it("names a truncated body as such", async () => {
    await enqueue("truncate", 5);
    const err = await getOrg(world.client({ retries: 0 })).catch((e: unknown) => e);
    assert.ok(err instanceof RequestError);
    assert.match(err.message, /truncated or invalid JSON body for GET \/orgs\/acme/);
  });

  it("honours retry-after on a secondary rate limit", async () => {
    await world.control("/_emulator/faults", { configure: { retryAfter: 7 } });
    await enqueue("secondary", 1);
    const res = await getOrg();
    assert.equal(res.status, 200);
    assert.deepEqual(world.sleeps, [7000]);
  });

  it("waits 60 s, then longer, on a secondary limit without retry-after, and explains when it persists", async () => {
    await world.control("/_emulator/faults", { configure: { retryAfter: 0, secondaryStatus: 429 } });
    await enqueue("secondary", 2);
    assert.equal((await getOrg()).status, 200);
    assert.deepEqual(world.sleeps, [60_000, 120_000]);

    world.sleeps.length = 0;
    await enqueue("secondary", 10);
    const err = await getOrg(world.client({ maxRateLimitRetries: 1 })).catch((e: unknown) => e);
    assert.deepEqual(world.sleeps, [60_000]);
    const explained = explainGitHubError(err, { org: "acme" });
    assert.equal(explained.code, "github-rate-limited");
    assert.match(explained.message, /secondary rate limit/);
  });

  it("waits for the reset when the primary limit is used up", async () => {
    await world.control("/_emulator/rate-limit", { token: world.ownerToken, remaining: 0 });
    const started = world.clock.now();
    const res = await getOrg();
    assert.equal(res.status, 200);
    assert.equal(world.sleeps.length, 1);
    const waited = world.sleeps[0]!;
    assert.ok(waited > 0 && waited <= 3_600_000 + 2000, `waited ${waited} ms`);
    assert.ok(world.clock.now() - started >= waited);
    assert.equal(res.headers["x-ratelimit-remaining"], "4999");
  });

  it("does not wait for a reset further away than allowed, and says when it comes", async () => {
    const bucket = (await world.control("/_emulator/rate-limit", { token: world.ownerToken, remaining: 0 })) as { resetAt: number };
    const err = await getOrg(world.client({ maxRateLimitWaitMs: 60_000 })).catch((e: unknown) => e);
    assert.deepEqual(world.sleeps, []);
    const explained = explainGitHubError(err, { org: "acme", now: world.clock.now() });
    assert.equal(explained.code, "github-rate-limited");
    const resetIso = new Date(Math.ceil(bucket.resetAt / 1000) * 1000).toISOString().replace(".000Z", "Z");
    assert.match(explained.message, new RegExp(`"core" is used up .* resets at ${resetIso}`));
  });

  it("pauses a resource proactively when its budget drops under the threshold, once for concurrent requests", async () => {
    const client = world.client({ rateLimitThreshold: 100 });
    await world.control("/_emulator/rate-limit", { token: world.ownerToken, remaining: 150 });
    await getOrg(client);
    assert.deepEqual(world.sleeps, [], "149 left: above the threshold");
    await world.control("/_emulator/rate-limit", { token: world.ownerToken, remaining: 50 });
    await getOrg(client);
    assert.deepEqual(world.sleeps, [], "the client learns 49 left from this response");
    const budget = client.ghaudit.rateLimits().find((b) => b.resource === "core")!;
    assert.equal(budget.remaining, 49);
    const results = await Promise.all([getOrg(client), getOrg(client), getOrg(client)]);
    assert.equal(world.sleeps.length, 1, "one shared pause");
    assert.equal(world.sleeps[0], budget.resetAt - (world.clock.now() - world.sleeps[0]!) + 1000);
    assert.ok(results.every((r) => r.status === 200));
    assert.ok(Number(results[0]!.headers["x-ratelimit-remaining"]) > 4990, "the budget was reset when requests resumed");
  });

  it("waitForRateLimits: false (test-connection) never waits: a used-up or low budget fails at once with its reset", async () => {
    const bucket = (await world.control("/_emulator/rate-limit", { token: world.ownerToken, remaining: 0 })) as { resetAt: number };
    const client = world.client({ waitForRateLimits: false });
    const used = explainGitHubError(await getOrg(client).catch((e: unknown) => e), { org: "acme", now: world.clock.now() });
    assert.deepEqual(world.sleeps, []);
    assert.equal(used.code, "github-rate-limited");
    const resetIso = new Date(Math.ceil(bucket.resetAt / 1000) * 1000).toISOString().replace(".000Z", "Z");
    assert.match(used.message, new RegExp(`"core" is used up .* resets at ${resetIso}`));

    await world.control("/_emulator/rate-limit", { token: world.ownerToken, remaining: 50 });
    const low = world.client({ waitForRateLimits: false, rateLimitThreshold: 100 });
    await getOrg(low);
    const err = explainGitHubError(await getOrg(low).catch((e: unknown) => e));
    assert.deepEqual(world.sleeps, [], "no pause");
    assert.equal(err.code, "github-rate-limited");
    assert.match(err.message, /"core" is below ghaudit's back-off threshold \(49 of 5000 left, threshold 100\); it resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in \d+ min\)/);
    assert.match(err.hint ?? "", /sync and serve would pause/);
  });

  it("GET /rate_limit is never paused", async () => {
    const client = world.client({ rateLimitThreshold: 100 });
    await world.control("/_emulator/rate-limit", { token: world.ownerToken, remaining: 10 });
    await getOrg(client);
    await client.request("GET /rate_limit");
    assert.deepEqual(world.sleeps, []);
  });

  it("spaces notifying writes 3 s apart (1 s write spacing + 3 s notifications) on the injected clock", async () => {
    const client = world.client();
    for (const title of ["first", "second"]) {
      const res = await client.request("POST /repos/{owner}/{repo}/issues", { owner: "acme", repo: "api", title });
      assert.equal(res.status, 201);
    }
    // Creating an issue notifies people, so plugin-throttling's notifications group (3 s) applies after the write group (1 s).
    assert.deepEqual(world.sleeps, [1000, 2000]);
  });

  it("answers 304 from the ETag cache without spending rate limit", async () => {
    const client = world.client();
    const cache = new MemoryEtagCache();
    const first = await conditionalGet(client, "GET /orgs/{org}", { org: "acme" }, cache);
    assert.equal(first.status, 200);
    assert.ok(!first.notModified && first.data.login === "acme");
    assert.match(first.etag ?? "", /^W\/"/);
    await world.control("/_emulator/requests", undefined, "DELETE");
    const remainingBefore = Number(first.headers["x-ratelimit-remaining"]);
    const second = await conditionalGet(client, "GET /orgs/{org}", { org: "acme" }, cache);
    assert.equal(second.status, 304);
    assert.equal(second.notModified, true);
    assert.equal(Number(second.headers["x-ratelimit-remaining"]), remainingBefore);
    const log = (await world.control("/_emulator/requests")) as RequestsLog;
    assert.deepEqual({ total: log.total, charged: log.charged }, { total: 1, charged: 0 });
    assert.deepEqual(world.sleeps, []);
  });

  it("stores the ETag only on commit() when asked to defer, and can keep the body", async () => {
    const client = world.client();
    const cache = new MemoryEtagCache();
    const first = await conditionalGet(client, "GET /orgs/{org}/repos", { org: "acme" }, cache, { deferCommit: true, keepBody: true });
    assert.equal(cache.size, 0);
    const again = await conditionalGet(client, "GET /orgs/{org}/repos", { org: "acme" }, cache);
    assert.equal(again.status, 200, "nothing committed yet, so no If-None-Match was sent");
    assert.equal(first.status, 200);
    if (first.status === 200) await first.commit();
    const cached = await conditionalGet(client, "GET /orgs/{org}/repos", { org: "acme" }, cache);
    assert.equal(cached.status, 304);
    assert.ok(cached.status === 304 && Array.isArray(cached.cachedBody));
  });
});
