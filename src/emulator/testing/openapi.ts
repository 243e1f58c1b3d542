// Validates emulator responses against GitHub's official OpenAPI description (ghec.json from @octokit/openapi)
// and webhook bodies against @octokit/openapi-webhooks. Test-only: loads ~100 MB of JSON once per process.
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const require = createRequire(import.meta.url);
// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => void;

const DROP = new Set(["nullable", "example", "examples", "discriminator", "xml", "externalDocs", "deprecated", "readOnly", "writeOnly"]);

/** OpenAPI 3.0 schema -> JSON Schema: `nullable` becomes a null type (or an anyOf), vendor keys go. */
export function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROP.has(key) || key.startsWith("x-")) continue;
    if ((key === "properties" || key === "patternProperties") && value && typeof value === "object" && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]));
    } else if (key === "enum" || key === "required" || key === "default") {
      out[key] = value;
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (node["nullable"] === true) {
    if (typeof out["type"] === "string") {
      out["type"] = [out["type"], "null"];
      if (Array.isArray(out["enum"]) && !out["enum"].includes(null)) out["enum"] = [...out["enum"], null];
    } else {
      return { anyOf: [out, { type: "null" }] };
    }
  }
  return out;
}

export interface ValidationResult {
  ok: boolean;
  errors: string[];
}

function describe(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}

let rest: { ajv: Ajv; spec: JsonObject } | null = null;

function restAjv(): { ajv: Ajv; spec: JsonObject } {
  if (rest) return rest;
  const spec = require("@octokit/openapi/generated/ghec.json") as JsonObject;
  const components = spec["components"] as JsonObject;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "ghec", components: { schemas: toJsonSchema(components["schemas"]!) } } as object);
  rest = { ajv, spec };
  return rest;
}

const compiled = new Map<string, ValidateFunction>();

/** The response schema GitHub declares for `method path` and `status` (path as in the spec, e.g. `/orgs/{org}/repos`). */
export function validateResponse(method: string, path: string, status: number, body: unknown): ValidationResult {
  const key = `${method.toLowerCase()} ${path} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    const { ajv, spec } = restAjv();
    const paths = spec["paths"] as JsonObject;
    const op = (paths[path] as JsonObject | undefined)?.[method.toLowerCase()] as JsonObject | undefined;
    if (!op) throw new Error(`ghec.json has no operation ${method} ${path}`);
    let response = (op["responses"] as JsonObject)[String(status)] as JsonObject | undefined;
    if (!response) throw new Error(`ghec.json declares no ${status} response for ${method} ${path}`);
    const ref = response["$ref"];
    if (typeof ref === "string") {
      response = ((spec["components"] as JsonObject)["responses"] as JsonObject)[ref.split("/").pop()!] as JsonObject;
    }
    const schema = ((response["content"] as JsonObject | undefined)?.["application/json"] as JsonObject | undefined)?.["schema"];
    if (!schema) throw new Error(`no JSON schema for ${key}`);
    const rewritten = JSON.parse(JSON.stringify(toJsonSchema(schema)).replaceAll('"#/components/', '"ghec#/components/')) as object;
    validate = ajv.compile(rewritten);
    compiled.set(key, validate);
  }
  const ok = validate(body) as boolean;
  return { ok, errors: ok ? [] : describe(validate) };
}

/** Validates a named component schema of ghec.json (e.g. `dependabot-alert`). */
export function validateSchema(name: string, value: unknown): ValidationResult {
  const key = `schema ${name}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = restAjv().ajv.compile({ $ref: `ghec#/components/schemas/${name}` });
    compiled.set(key, validate);
  }
  const ok = validate(value) as boolean;
  return { ok, errors: ok ? [] : describe(validate) };
}

let hooks: { ajv: Ajv2020; spec: JsonObject } | null = null;

/** Validates a webhook body for `event` + `action` (e.g. `dependabot_alert`, `dismissed`) against the official schema. */
export function validateWebhook(event: string, action: string | undefined, body: unknown): ValidationResult {
  if (!hooks) {
    const spec = require("@octokit/openapi-webhooks/generated/ghec.json") as JsonObject;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: "hooks", components: spec["components"] } as object);
    hooks = { ajv, spec };
  }
  const name = [event, action].filter(Boolean).join("-").replaceAll("_", "-");
  const key = `webhook ${name}`;
  let validate = compiled.get(key);
  if (!validate) {
    const op = (hooks.spec["webhooks"] as JsonObject)[name] as JsonObject | undefined;
    if (!op) throw new Error(`@octokit/openapi-webhooks has no webhook ${name}`);
    const schema = (((op["post"] as JsonObject)["requestBody"] as JsonObject)["content"] as JsonObject)["application/json"] as JsonObject;
    const rewritten = JSON.parse(JSON.stringify(schema["schema"]).replaceAll('"#/components/', '"hooks#/components/')) as object;
    validate = hooks.ajv.compile(rewritten);
    compiled.set(key, validate);
  }
  const ok = validate(body) as boolean;
  return { ok, errors: ok ? [] : describe(validate) };
}
