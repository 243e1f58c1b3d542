// POST /webhooks/github on a real server: every refused request answers its 4xx in the API's error shape and writes
// nothing; accepted deliveries are stored once (redeliveries too), with any of several secrets; pings are answered and
// other events ignored without being stored. On every store dialect.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RunningServer } from "../../src/api/server.js";
import { forEachDialect, type TestDatabase } from "../../src/store/testing.js";
import type { Store } from "../../src/store/index.js";
import { examples, post, postChunked, rowCounts, serve, webhookConfig, type Delivery } from "./support.js";

const OLD = "old-secret-before-rotation";
const NEW = "new-secret-after-rotation";
const LIMIT = 25 * 1024 * 1024;

const alertBody = JSON.stringify(examples("dependabot_alert")[1]);

forEachDialect("webhook intake", (dialect) => {
  let database: TestDatabase;
  let store: Store;
  let server: RunningServer;
  let n = 0;
  const id = () => `intake-${++n}-${Date.now()}`;

  before(async () => {
    database = await dialect.create();
    store = await database.open();
    server = await serve(store, webhookConfig("http://127.0.0.1:9", [OLD, NEW]));
  });
  after(async () => {
    await server.close();
    await database.drop();
  });

  describe("refused requests", () => {
    const big = "x".repeat(LIMIT + 1);
    const cases: [string, () => Delivery, number, string][] = [
      ["a wrong signature", () => ({ event: "dependabot_alert", id: id(), body: alertBody, secret: "not-a-configured-secret" }), 401, "webhook-bad-signature"],
      ["no signature", () => ({ event: "dependabot_alert", id: id(), body: alertBody, secret: null }), 401, "webhook-bad-signature"],
      ["a SHA-1 signature only", () => ({ event: "dependabot_alert", id: id(), body: alertBody, secret: null, headers: { "x-hub-signature": "sha1=0123456789abcdef0123456789abcdef01234567" } }), 401, "webhook-bad-signature"],
      ["a signature of another body", () => ({ event: "dependabot_alert", id: id(), body: alertBody.replace('"created"', '"dismissed"'), signed: alertBody, secret: OLD }), 401, "webhook-bad-signature"],
      ["no X-GitHub-Event", () => ({ event: "dependabot_alert", id: id(), body: alertBody, secret: OLD, headers: { "x-github-event": undefined } }), 400, "webhook-bad-request"],
      ["no X-GitHub-Delivery", () => ({ event: "dependabot_alert", id: id(), body: alertBody, secret: OLD, headers: { "x-github-delivery": undefined } }), 400, "webhook-bad-request"],
      ["a malformed X-GitHub-Delivery", () => ({ event: "dependabot_alert", id: "../../etc", body: alertBody, secret: OLD }), 400, "webhook-bad-request"],
      ["GET", () => ({ event: "dependabot_alert", id: id(), body: "", secret: null, method: "GET" }), 405, "webhook-method-not-allowed"],
      ["PUT", () => ({ event: "dependabot_alert", id: id(), body: alertBody, secret: OLD, method: "PUT" }), 405, "webhook-method-not-allowed"],
      ["text/plain", () => ({ event: "dependabot_alert", id: id(), body: alertBody, secret: OLD, contentType: "text/plain" }), 415, "webhook-unsupported-media-type"],
      ["no content type", () => ({ event: "dependabot_alert", id: id(), body: alertBody, secret: OLD, headers: { "content-type": undefined } }), 415, "webhook-unsupported-media-type"],
      ["malformed JSON", () => ({ event: "dependabot_alert", id: id(), body: alertBody.slice(0, -5), secret: NEW }), 400, "webhook-bad-request"],
      ["a JSON array", () => ({ event: "dependabot_alert", id: id(), body: "[1,2]", secret: NEW }), 400, "webhook-bad-request"],
      ["an empty body", () => ({ event: "dependabot_alert", id: id(), body: "", secret: null, headers: { "x-hub-signature-256": "sha256=" + "0".repeat(64) } }), 400, "webhook-bad-request"],
      ["a form body without payload", () => ({ event: "dependabot_alert", id: id(), body: "data=%7B%7D", secret: NEW, contentType: "application/x-www-form-urlencoded" }), 400, "webhook-bad-request"],
      ["a form payload that is not JSON", () => ({ event: "dependabot_alert", id: id(), body: "payload=%7Bnope", secret: NEW, contentType: "application/x-www-form-urlencoded" }), 400, "webhook-bad-request"],
      ["a body over 25 MB (Content-Length)", () => ({ event: "dependabot_alert", id: id(), body: big, secret: null, headers: { "x-hub-signature-256": "sha256=" + "0".repeat(64) } }), 413, "webhook-too-large"],
    ];
    for (const [name, make, status, code] of cases) {
      it(`${name}: ${status} ${code}, nothing written`, async () => {
        const before = await rowCounts(store);
        const res = await post(server.url, make());
        assert.equal(res.status, status);
        if (status === 405) assert.equal(res.headers.get("allow"), "POST");
        else {
          const error = res.body["error"] as { code: string; message: string };
          assert.equal(error.code, code);
          assert.ok(error.message.length > 0);
        }
        assert.deepEqual(await rowCounts(store), before);
      });
    }

    it("a chunked body that grows past 25 MB: 413 while reading, nothing written", async () => {
      const before = await rowCounts(store);
      const headers = { "content-type": "application/json", "x-github-event": "dependabot_alert", "x-github-delivery": id(), "x-hub-signature-256": "sha256=" + "0".repeat(64) };
      const res = await postChunked(server.url, headers, Buffer.alloc(1024 * 1024, 0x20), 27);
      assert.equal(res.status, 413);
      assert.equal((JSON.parse(res.body) as { error: { code: string } }).error.code, "webhook-too-large");
      assert.deepEqual(await rowCounts(store), before);
    });
  });

  it("stores a delivery once: a redelivery (same X-GitHub-Delivery) is answered 2xx and not stored again", async () => {
    const delivery = { event: "dependabot_alert", id: id(), body: alertBody, secret: OLD };
    const before = await rowCounts(store);
    const first = await post(server.url, delivery);
    assert.equal(first.status, 202);
    assert.equal(first.body["duplicate"], false);
    const again = await post(server.url, delivery);
    assert.equal(again.status, 200);
    assert.equal(again.body["duplicate"], true);
    assert.equal((await rowCounts(store)).deliveries, before.deliveries + 1);
    const stored = await store.webhookDeliveries.get(delivery.id);
    assert.equal(stored?.status, "pending");
    assert.equal(stored?.body, alertBody, "the body exactly as received");
    assert.equal(stored?.action, "created");
    assert.equal(stored?.hookId, "1");
    assert.equal(stored?.headers["x-github-event"], "dependabot_alert");
    assert.ok(!("authorization" in (stored?.headers ?? {})));
  });

  it("accepts either secret during a rotation", async () => {
    for (const secret of [OLD, NEW]) {
      const d = { event: "dependabot_alert", id: id(), body: alertBody, secret };
      assert.equal((await post(server.url, d)).status, 202);
      assert.ok(await store.webhookDeliveries.get(d.id));
    }
  });

  it("accepts application/x-www-form-urlencoded with the JSON in `payload`, signed over the form body", async () => {
    const body = new URLSearchParams({ payload: alertBody }).toString();
    const d = { event: "dependabot_alert", id: id(), body, secret: NEW, contentType: "application/x-www-form-urlencoded" };
    assert.equal((await post(server.url, d)).status, 202);
    assert.equal((await store.webhookDeliveries.get(d.id))?.body, body);
  });

  it("acknowledges ping and ignores other events without storing them, counting both", async () => {
    const before = await rowCounts(store);
    const ping = examples("ping")[0]!;
    const res = await post(server.url, { event: "ping", id: id(), body: JSON.stringify(ping), secret: OLD });
    assert.equal(res.status, 200);
    assert.equal(res.body["zen"], ping["zen"]);
    const push = await post(server.url, { event: "push", id: id(), body: '{"ref":"refs/heads/main"}', secret: NEW });
    assert.equal(push.status, 200);
    assert.equal(push.body["ignored"], true);
    assert.deepEqual(await rowCounts(store), before);
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { webhooks: { intake: { pings: number; ignored: Record<string, number>; rejected: Record<string, number> } } };
    assert.ok(health.webhooks.intake.pings >= 1);
    assert.equal(health.webhooks.intake.ignored["push"], 1);
    assert.ok((health.webhooks.intake.rejected["webhook-bad-signature"] ?? 0) >= 4);
  });

  it("with no secret configured, accepts unsigned deliveries", async () => {
    const open = await serve(store, webhookConfig("http://127.0.0.1:9", []));
    try {
      const d = { event: "dependabot_alert", id: id(), body: alertBody, secret: null };
      assert.equal((await post(open.url, d)).status, 202);
      assert.ok(await store.webhookDeliveries.get(d.id));
    } finally {
      await open.close();
    }
  });
});
