// The conformance validator itself: GitHub's own examples pass it, and broken objects do not.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { toJsonSchema, validateResponse, validateSchema, validateWebhook } from "../../src/emulator/testing/openapi.js";

const require = createRequire(import.meta.url);
const spec = require("@octokit/openapi/generated/ghec.json") as { components: { examples: Record<string, { value: unknown }> } };
/** An example, with the spec's own quirk fixed: its Dependabot EPSS percentile is a string ("0.16001e0"). */
function example(name: string): Record<string, unknown> {
  const value = structuredClone(spec.components.examples[name]!.value) as Record<string, unknown>;
  const epss = (value["security_advisory"] as { epss?: { percentile: unknown } } | undefined)?.epss;
  if (epss) epss.percentile = Number(epss.percentile);
  return value;
}

describe("OpenAPI validator", () => {
  it("turns nullable into a null type, also for enums and $ref-only schemas", () => {
    assert.deepEqual(toJsonSchema({ type: "string", enum: ["a"], nullable: true }), { type: ["string", "null"], enum: ["a", null] });
    assert.deepEqual(toJsonSchema({ allOf: [{ $ref: "#/x" }], nullable: true }), { anyOf: [{ allOf: [{ $ref: "#/x" }] }, { type: "null" }] });
    // A property called "nullable" is a property, not the keyword.
    assert.deepEqual(toJsonSchema({ properties: { nullable: { type: "boolean" } } }), { properties: { nullable: { type: "boolean" } } });
  });

  it("accepts GitHub's own examples", () => {
    for (const [method, path, name] of [
      ["get", "/orgs/{org}/repos", "minimal-repository-items"],
      ["get", "/orgs/{org}/audit-log", "audit-log"],
      ["get", "/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}", "code-scanning-alert"],
    ] as const) {
      const result = validateResponse(method, path, 200, spec.components.examples[name]!.value);
      assert.ok(result.ok, `${name}: ${result.errors.join("; ")}`);
    }
  });

  it("rejects wrong types, missing required fields and values outside an enum", () => {
    assert.ok(validateSchema("dependabot-alert", example("dependabot-alert-open")).ok);
    const alert = example("dependabot-alert-open");
    alert["state"] = "closed";
    assert.equal(validateSchema("dependabot-alert", alert).ok, false);
    const missing = example("dependabot-alert-open");
    delete missing["number"];
    assert.equal(validateSchema("dependabot-alert", missing).ok, false);
    const nullReason = example("dependabot-alert-open");
    nullReason["dismissed_reason"] = null;
    assert.ok(validateSchema("dependabot-alert", nullReason).ok);
    assert.equal(validateResponse("get", "/orgs/{org}/audit-log", 200, [{ "@timestamp": "yesterday" }]).ok, false);
  });

  it("validates webhook bodies against @octokit/openapi-webhooks", () => {
    const hooks = require("@octokit/openapi-webhooks/generated/ghec.json") as { components: { examples: Record<string, { value: unknown }> } };
    const body = hooks.components.examples["secret-scanning-alert-location-created"]?.value;
    assert.ok(body, "the package ships an example for secret_scanning_alert_location.created");
    const result = validateWebhook("secret_scanning_alert_location", "created", body);
    assert.ok(result.ok, result.errors.join("; "));
    assert.equal(validateWebhook("secret_scanning_alert_location", "created", { action: "created" }).ok, false);
  });
});
