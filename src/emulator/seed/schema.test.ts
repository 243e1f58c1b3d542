// Validates generated alerts, instances, analyses, locations and audit events against GitHub's ghec.json schemas.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { openapiSchemaToJsonSchema } from "@openapi-contrib/openapi-schema-to-json-schema";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { createRng } from "./rng.js";
import { allRepos, seeded } from "./test-support.js";

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;
type SchemaMap = Record<string, Record<string, unknown>>;

/** OpenAPI 3.0 -> JSON Schema; `nullable` on a schema without `type` (a oneOf, a $ref holder) becomes anyOf-null. */
function convert(schema: Record<string, unknown>): Record<string, unknown> {
  const out = openapiSchemaToJsonSchema(schema, {
    cloneSchema: true,
    beforeTransform: (s) => {
      const node = s as Record<string, unknown>;
      if (node.nullable === true && !("type" in node)) {
        const { nullable: _n, ...rest } = node;
        return { anyOf: [rest, { type: "null" }] };
      }
      return node;
    },
  }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

const spec = createRequire(import.meta.url)("@octokit/openapi/generated/ghec.json") as { components: { schemas: SchemaMap } };
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const schemas: SchemaMap = {};
for (const [name, schema] of Object.entries(spec.components.schemas)) schemas[name] = convert(schema);
ajv.addSchema({ $id: "ghec", components: { schemas } });

function validator(name: string): ValidateFunction {
  const v = ajv.getSchema(`ghec#/components/schemas/${name}`);
  assert.ok(v, name);
  return v;
}

function validateAll(name: string, objects: unknown[]): void {
  assert.ok(objects.length > 0, `no ${name} objects to validate`);
  const validate = validator(name);
  for (const o of objects) {
    if (!validate(o)) assert.fail(`${name} invalid: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(o).slice(0, 1500)}`);
  }
}

/** Up to `n` items chosen with a fixed PRNG (always the same sample). */
function sample<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  const rng = createRng(99);
  return Array.from({ length: n }, () => rng.pick(items));
}

const { state } = seeded(42, "small");
const repos = allRepos(state);

describe("generated objects match GitHub's schemas", () => {
  it("rejects an object that breaks the schema (the check can fail)", () => {
    const bad = { ...repos.find((r) => r.dependabot.length > 0)!.dependabot[0]!, state: "closed" };
    assert.equal(validator("dependabot-alert")(bad), false);
    const nullDetail = { ...repos.find((r) => r.secretScanning.length > 0)!.secretScanning[0]!.alert, first_location_detected: null };
    assert.equal(validator("secret-scanning-alert")(nullDetail), true);
  });

  it("code-scanning-alert, code-scanning-alert-instance, code-scanning-analysis", () => {
    const records = repos.flatMap((r) => r.codeScanning);
    validateAll("code-scanning-alert", sample(records.map((c) => c.alert), 300));
    validateAll("code-scanning-alert-instance", sample(records.flatMap((c) => c.instances), 300));
    validateAll("code-scanning-analysis", sample(repos.flatMap((r) => r.analyses), 300));
  });

  it("dependabot-alert", () => {
    validateAll("dependabot-alert", sample(repos.flatMap((r) => r.dependabot), 300));
  });

  it("secret-scanning-alert, secret-scanning-location", () => {
    const records = repos.flatMap((r) => r.secretScanning);
    validateAll("secret-scanning-alert", sample(records.map((s) => s.alert), 300));
    validateAll("secret-scanning-location", records.flatMap((s) => s.locations));
  });

  it("audit-log-event (every action at least once, plus a sample)", () => {
    const events = state.audit.map((r) => r.event);
    const firstOfEach = new Map(events.map((e) => [e.action, e]));
    validateAll("audit-log-event", [...firstOfEach.values(), ...sample(events, 300)]);
  });
});
