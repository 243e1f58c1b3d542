// Tests for the webhook sender: GitHub's headers and signatures on a real local receiver, form mode, redelivery, failures.
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { verify } from "@octokit/webhooks-methods";
import { buildWorld, startReceiver, type Receiver } from "../simulator/test-world.js";
import { validateWebhook } from "../testing/openapi.js";
import { HOOKSHOT_USER_AGENT, signatureHeaders, WebhookSender } from "./sender.js";

const SECRET = "It's a Secret to Everybody";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let rx: Receiver;
before(async () => {
  rx = await startReceiver();
});
after(() => rx.close());
beforeEach(() => {
  rx.received.length = 0;
  rx.respond = 204;
});

test("signature headers match GITHUB-API.md's test vector and an independent HMAC-SHA1", async () => {
  const headers = await signatureHeaders(SECRET, "Hello, World!");
  assert.equal(headers["X-Hub-Signature-256"], "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  assert.equal(headers["X-Hub-Signature"], `sha1=${createHmac("sha1", SECRET).update("Hello, World!").digest("hex")}`);
});

describe("JSON deliveries", () => {
  test("carry GitHub's headers and a signature that verifies over the raw body", async () => {
    const { webhooks, state, org } = buildWorld({ hooks: [{ url: rx.url, secret: SECRET }] });
    const hook = webhooks.targets()[0]!;
    const [record] = await webhooks.deliver("dependabot_alert", { action: "created", organization: { id: org.id }, note: "héllo ✓" });
    assert.equal(rx.received.length, 1);
    const { headers, raw } = rx.received[0]!;
    assert.equal(headers["x-github-event"], "dependabot_alert");
    assert.match(String(headers["x-github-delivery"]), GUID);
    assert.equal(headers["x-github-hook-id"], String(hook.hookId));
    assert.equal(headers["x-github-hook-installation-target-type"], "organization");
    assert.equal(headers["x-github-hook-installation-target-id"], String(org.id));
    assert.equal(headers["user-agent"], HOOKSHOT_USER_AGENT);
    assert.match(String(headers["user-agent"]), /^GitHub-Hookshot\/[0-9a-f]{7}$/);
    assert.equal(headers["content-type"], "application/json");
    assert.equal(await verify(SECRET, raw.toString("utf8"), String(headers["x-hub-signature-256"])), true);
    assert.equal(await verify("wrong secret", raw.toString("utf8"), String(headers["x-hub-signature-256"])), false);
    assert.equal(headers["x-hub-signature"], `sha1=${createHmac("sha1", SECRET).update(raw).digest("hex")}`);
    assert.deepEqual(JSON.parse(raw.toString("utf8")), { action: "created", organization: { id: org.id }, note: "héllo ✓" });
    assert.equal(record!.status_code, 204);
    assert.equal(record!.status, "OK");
    assert.equal(record!.guid, headers["x-github-delivery"]);
    assert.equal(record!.redelivery, false);
    assert.equal(record!.action, "created");
    assert.equal(record!.delivered_at, new Date(state.now()).toISOString().replace(".000Z", "Z"));
    assert.deepEqual(webhooks.deliveries(), [record]);
  });

  test("without a secret no signature headers are sent", async () => {
    const { webhooks } = buildWorld({ hooks: [{ url: rx.url }] });
    await webhooks.deliver("ping", { zen: "x" });
    assert.equal(rx.received[0]!.headers["x-hub-signature-256"], undefined);
    assert.equal(rx.received[0]!.headers["x-hub-signature"], undefined);
  });

  test("only subscribed hooks get an event; one event shares one GUID across hooks, the next gets a new one", async () => {
    const { webhooks } = buildWorld({
      hooks: [
        { url: rx.url, events: ["dependabot_alert"] },
        { url: rx.url, events: "*" },
        { url: rx.url, events: ["secret_scanning_alert"] },
      ],
    });
    await webhooks.deliver("dependabot_alert", { action: "fixed" });
    assert.equal(rx.received.length, 2);
    assert.equal(rx.received[0]!.headers["x-github-delivery"], rx.received[1]!.headers["x-github-delivery"]);
    await webhooks.deliver("code_scanning_alert", { action: "fixed" });
    assert.equal(rx.received.length, 3);
    assert.notEqual(rx.received[2]!.headers["x-github-delivery"], rx.received[0]!.headers["x-github-delivery"]);
  });

  test("hooks added to state.webhooks at runtime (control API) are delivered to", async () => {
    const { webhooks, state } = buildWorld();
    state.addWebhook({ url: rx.url, secret: null, contentType: "json", events: "*" });
    await webhooks.deliver("dependabot_alert", { action: "created" });
    assert.equal(rx.received.length, 1);
  });
});

test("form mode sends payload=<urlencoded JSON> and signs the form body", async () => {
  const { webhooks } = buildWorld({ hooks: [{ url: rx.url, secret: SECRET, contentType: "form" }] });
  const payload = { action: "resolved", text: "a&b=c +ü" };
  await webhooks.deliver("secret_scanning_alert", payload);
  const { headers, raw } = rx.received[0]!;
  assert.equal(headers["content-type"], "application/x-www-form-urlencoded");
  const body = raw.toString("utf8");
  assert.match(body, /^payload=/);
  assert.deepEqual(JSON.parse(new URLSearchParams(body).get("payload")!), payload);
  assert.equal(await verify(SECRET, body, String(headers["x-hub-signature-256"])), true);
  assert.equal(await verify(SECRET, JSON.stringify(payload), String(headers["x-hub-signature-256"])), false);
});

test("redelivery resends the same bytes with the same X-GitHub-Delivery and redelivery=true", async () => {
  const { webhooks } = buildWorld({ hooks: [{ url: rx.url, secret: SECRET }] });
  const [first] = await webhooks.deliver("dependabot_alert", { action: "dismissed" });
  const [again] = await webhooks.redeliver(first!.guid);
  assert.equal(rx.received.length, 2);
  const [a, b] = rx.received;
  assert.equal(b!.headers["x-github-delivery"], a!.headers["x-github-delivery"]);
  assert.equal(b!.headers["x-hub-signature-256"], a!.headers["x-hub-signature-256"]);
  assert.deepEqual(b!.raw, a!.raw);
  assert.equal(again!.guid, first!.guid);
  assert.equal(again!.redelivery, true);
  assert.notEqual(again!.id, first!.id);
  await assert.rejects(webhooks.redeliver("00000000-0000-0000-0000-000000000000"), /not in the delivery log/);
});

describe("failures are recorded, never retried", () => {
  test("a 500 answer", async () => {
    const { webhooks } = buildWorld({ hooks: [{ url: rx.url }] });
    rx.respond = 500;
    const [record] = await webhooks.deliver("dependabot_alert", { action: "created" });
    assert.equal(record!.status_code, 500);
    assert.equal(record!.status, "Invalid HTTP Response: 500");
    await webhooks.idle();
    assert.equal(rx.received.length, 1);
  });

  test("a receiver that never answers times out", async () => {
    const { webhooks } = buildWorld({ hooks: [{ url: rx.url }], timeoutMs: 150 });
    rx.respond = "hang";
    void webhooks.deliver("dependabot_alert", { action: "created" });
    await webhooks.idle();
    const [record] = webhooks.deliveries();
    assert.equal(record!.status_code, 0);
    assert.match(record!.error ?? "", /timed out/);
    assert.equal(rx.received.length, 1);
  });

  test("a refused connection", async () => {
    const closed = await startReceiver();
    await closed.close();
    const { webhooks } = buildWorld({ hooks: [{ url: closed.url }] });
    const [record] = await webhooks.deliver("dependabot_alert", { action: "created" });
    assert.equal(record!.status_code, 0);
    assert.match(record!.error ?? "", /ECONNREFUSED/);
  });
});

test("no more than `concurrency` POSTs are in flight, and with 1 they arrive in event order", async () => {
  let active = 0;
  let peak = 0;
  const order: number[] = [];
  const slow = createServer((req, res) => {
    active++;
    peak = Math.max(peak, active);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      order.push((JSON.parse(Buffer.concat(chunks).toString()) as { i: number }).i);
      setTimeout(() => {
        active--;
        res.end();
      }, 15);
    });
  });
  await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`;
  const { state } = buildWorld();
  const two = new WebhookSender(state, [{ url }], { concurrency: 2 });
  for (let i = 0; i < 8; i++) void two.deliver("dependabot_alert", { i });
  await two.idle();
  assert.equal(peak, 2);
  peak = 0;
  order.length = 0;
  state.webhooks.length = 0;
  const one = new WebhookSender(state, [{ url }], { concurrency: 1 });
  for (let i = 0; i < 8; i++) void one.deliver("dependabot_alert", { i });
  await one.idle();
  assert.equal(peak, 1);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7]);
  slow.closeAllConnections();
  await new Promise<void>((resolve) => slow.close(() => resolve()));
});

test("the delivery log is bounded", async () => {
  const { state } = buildWorld();
  const sender = new WebhookSender(state, [{ url: rx.url }], { maxLog: 3 });
  for (let i = 0; i < 5; i++) await sender.deliver("dependabot_alert", { action: "created", i });
  assert.equal(sender.deliveries().length, 3);
  assert.deepEqual(sender.deliveries().map((d) => d.id), [3, 4, 5]);
});

test("ping reaches a hook whatever its events and matches the official ping schema", async () => {
  const { webhooks, org } = buildWorld({ hooks: [{ url: rx.url, secret: SECRET, events: ["dependabot_alert"] }] });
  const record = await webhooks.ping(webhooks.targets()[0]!, org);
  assert.equal(record.event, "ping");
  const body = JSON.parse(rx.received[0]!.raw.toString("utf8")) as { hook_id: number; hook: { config: { secret?: string } } };
  assert.equal(rx.received[0]!.headers["x-github-event"], "ping");
  assert.equal(body.hook_id, webhooks.targets()[0]!.hookId);
  assert.equal(body.hook.config.secret, "********");
  const result = validateWebhook("ping", undefined, body);
  assert.ok(result.ok, result.errors.join("\n"));
});
