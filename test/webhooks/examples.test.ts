// GitHub's own example payloads (@octokit/webhooks-examples) of every accepted event, signed with the real algorithm
// and posted to a real server: each delivery is stored, processed, and its change shows in the alert timeline (with
// source `webhook` and the delivery id) and through the API. GitHub itself is unreachable here (an empty emulator
// that knows no token), so alerts are stored from the webhook alone. On every store dialect.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { RunningServer } from "../../src/api/server.js";
import { alertId, type AlertKind } from "../../src/core/records.js";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { forEachDialect, type TestDatabase } from "../../src/store/testing.js";
import type { Store } from "../../src/store/index.js";
import { examples, post, serve, webhookConfig, type Payload } from "./support.js";

const SECRET = "It's a Secret to Everybody";

interface Case {
  event: string;
  index: number;
  payload: Payload;
  kind: AlertKind;
  repository: string;
  number: number | null;
  /** The state the action moves the alert to, null when the action changes none. */
  to: string | null;
  delivery: string;
}

const KIND: Record<string, AlertKind> = {
  code_scanning_alert: "code_scanning",
  dependabot_alert: "dependabot",
  secret_scanning_alert: "secret_scanning",
  secret_scanning_alert_location: "secret_scanning",
  repository_vulnerability_alert: "dependabot",
};

function target(event: string, action: string, alert: Payload): string | null {
  if (event === "secret_scanning_alert_location") return null;
  if (["created", "create", "reopened", "reopen"].includes(action)) return "open";
  if (action === "dismiss") return "dismissed";
  return String(alert["state"]);
}

/** Every example, each in a repository of its own (examples reuse one alert number with clashing histories). */
function cases(): Case[] {
  const out: Case[] = [];
  for (const event of Object.keys(KIND)) {
    examples(event).forEach((payload, index) => {
      const repo = payload["repository"] as { full_name: string; name: string };
      repo.full_name = `${repo.full_name}-${event}-${index}`;
      repo.name = repo.full_name.split("/")[1]!;
      const alert = payload["alert"] as Payload;
      const number = typeof alert["number"] === "number" ? alert["number"] : null;
      out.push({ event, index, payload, kind: KIND[event]!, repository: repo.full_name, number, to: target(event, String(payload["action"]), alert), delivery: `example-${event}-${index}-${Date.now()}` });
    });
  }
  return out;
}

forEachDialect("webhook example payloads", (dialect) => {
  let database: TestDatabase;
  let store: Store;
  let server: RunningServer;
  let github: Emulator;
  const all = cases();

  before(async () => {
    github = await startEmulator({ seedWorld: false });
    database = await dialect.create();
    store = await database.open();
    server = await serve(store, webhookConfig(github.url, [SECRET]));
    for (const [i, c] of all.entries()) {
      // One of them as a form body, the other content type GitHub offers.
      const form = i === 1;
      const json = JSON.stringify(c.payload);
      const body = form ? new URLSearchParams({ payload: json }).toString() : json;
      const res = await post(server.url, { event: c.event, id: c.delivery, body, secret: SECRET, ...(form ? { contentType: "application/x-www-form-urlencoded" } : {}) });
      assert.equal(res.status, 202, `${c.event}[${c.index}]: ${JSON.stringify(res.body)}`);
    }
    await server.webhooks.processor.drain();
  });
  after(async () => {
    await server.close();
    await database.drop();
    await github.close();
  });

  it("covers every accepted event", () => {
    assert.deepEqual(new Set(all.map((c) => c.event)), new Set(Object.keys(KIND)));
  });

  it("stores and processes every delivery (the legacy one without an alert number is ignored)", async () => {
    for (const c of all) {
      const d = await store.webhookDeliveries.get(c.delivery);
      assert.equal(d?.status, c.number === null ? "ignored" : "processed", `${c.event}[${c.index}] ${d?.error ?? ""}`);
    }
    assert.equal(server.webhooks.stats().processing.failures, 0);
  });

  it("records each action's state change in the alert's timeline, from the webhook", async () => {
    for (const c of all.filter((x) => x.number !== null && x.to !== null)) {
      const timeline = await store.alertEvents.timeline(alertId(c.kind, c.repository, c.number!));
      const mine = timeline.filter((e) => e.source === "webhook" && e.sourceRef === c.delivery);
      assert.ok(mine.some((e) => e.toState === c.to), `${c.event}[${c.index}] ${c.payload["action"]}: ${JSON.stringify(timeline)}`);
    }
  });

  it("stores alerts the webhook describes fully, with the poll normalizers' fields", async () => {
    for (const c of all.filter((x) => x.number !== null)) {
      const alert = await store.alerts.get(alertId(c.kind, c.repository, c.number!));
      const complete = typeof (c.payload["alert"] as Payload)["created_at"] === "string" && c.event !== "repository_vulnerability_alert";
      assert.equal(alert !== undefined, complete, `${c.event}[${c.index}]`);
      if (!alert) continue;
      const state = (c.payload["alert"] as Payload)["state"];
      assert.equal(alert.state, typeof state === "string" ? state : "open");
      assert.equal(alert.repository, c.repository);
      assert.equal((alert.normalized as { alert_kind: string }).alert_kind, c.kind);
      assert.ok(!("secret" in (alert.raw as Payload)), "the literal secret is never stored");
    }
  });

  it("keeps who dismissed, why and when (code scanning closed_by_user, legacy dismiss)", async () => {
    const closed = all.find((c) => c.event === "code_scanning_alert" && c.payload["action"] === "closed_by_user")!;
    const entry = (await store.alertEvents.timeline(alertId("code_scanning", closed.repository, 10))).find((e) => e.toState === "dismissed");
    assert.equal(entry?.actor, "Codertocat");
    assert.equal(entry?.reason, "false positive");
    assert.equal(entry?.at, Date.parse("2021-02-11T02:59:08Z"));

    const legacy = all.find((c) => c.event === "repository_vulnerability_alert" && c.payload["action"] === "dismiss")!;
    const dismissed = (await store.alertEvents.timeline(alertId("dependabot", legacy.repository, 2))).find((e) => e.toState === "dismissed");
    assert.equal(dismissed?.actor, "octocat");
    assert.equal(dismissed?.reason, "No bandwidth to fix this");
    assert.equal(dismissed?.at, Date.parse("2017-10-25T00:00:00Z"));
  });

  it("gives a reopen its actor (the sender), which REST data never has", async () => {
    const reopened = all.find((c) => c.event === "secret_scanning_alert" && c.payload["action"] === "reopened")!;
    const entry = (await store.alertEvents.timeline(alertId("secret_scanning", reopened.repository, 191))).find((e) => e.sourceRef === reopened.delivery);
    assert.equal(entry?.toState, "open");
    assert.equal(entry?.actor, "Codertocat");
  });

  it("keeps a Dependabot alert's creation and fix at GitHub's times, and the secret location's path", async () => {
    const fixed = all.find((c) => c.event === "dependabot_alert" && c.payload["action"] === "fixed")!;
    const timeline = await store.alertEvents.timeline(alertId("dependabot", fixed.repository, 1));
    assert.deepEqual(
      timeline.map((e) => [e.fromState, e.toState, new Date(e.at).toISOString()]),
      [[null, "open", "2022-06-14T15:21:52.000Z"], ["open", "fixed", "2022-06-15T13:55:40.000Z"]],
    );
    const location = all.find((c) => c.event === "secret_scanning_alert_location")!;
    const alert = await store.alerts.get(alertId("secret_scanning", location.repository, 191));
    assert.equal(alert?.location, "/example/secrets.txt");
  });

  it("serves the webhook-fed alert and timeline through the API", async () => {
    const fixed = all.find((c) => c.event === "dependabot_alert" && c.payload["action"] === "fixed")!;
    const res = await fetch(`${server.url}/api/alerts/${encodeURIComponent(alertId("dependabot", fixed.repository, 1))}`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { alert: { state: string }; timeline: { to_state: string; source: string; source_ref: string }[] };
    assert.equal(body.alert.state, "fixed");
    assert.ok(body.timeline.every((t) => t.source === "webhook" && t.source_ref === fixed.delivery), JSON.stringify(body.timeline));
  });
});
