// Test-only: validates emulator response bodies against the 200 response schema of a ghec.json operation with Ajv
// (OpenAPI `nullable` converted, `$ref`s resolved inside one document, strict off).
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { openapiSchemaToJsonSchema } from "@openapi-contrib/openapi-schema-to-json-schema";

type Json = Record<string, unknown>;
interface Response {
  $ref?: string;
  content?: Record<string, { schema: Json }>;
}
interface Spec {
  paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Response> };
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
let ajv: Ajv | null = null;
let spec: Spec | null = null;
const compiled = new Map<string, ValidateFunction>();

/** OpenAPI 3.0 `nullable` on a schema without `type` (`allOf`/`$ref` wrappers): Ajv needs an explicit null branch. */
function nullableWithoutType(schema: Json): Json {
  if (schema.nullable === true && !("type" in schema)) {
    const { nullable: _nullable, ...rest } = schema;
    return { anyOf: [rest, { type: "null" }] };
  }
  return schema;
}

function load(): { ajv: Ajv; spec: Spec } {
  if (ajv && spec) return { ajv, spec };
  spec = createRequire(import.meta.url)("@octokit/openapi/generated/ghec.json") as Spec;
  const schemas: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(spec.components.schemas)) {
    const converted = openapiSchemaToJsonSchema(schema as never, {
      cloneSchema: true,
      beforeTransform: (s) => nullableWithoutType(s as Json) as never,
    }) as Json;
    delete converted.$schema;
    schemas[name] = converted;
  }
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "ghec", components: { schemas } });
  return { ajv, spec };
}

/** The response schema of `method path` for `status`, as a JSON schema referencing the spec document. */
function responseSchema(path: string, method: string, status: string): Json {
  const { spec } = load();
  const op = spec.paths[path]?.[method.toLowerCase()];
  let response = op?.responses[status];
  if (response?.$ref) response = spec.components.responses[response.$ref.split("/").pop()!];
  const schema = response?.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`no ${status} JSON schema for ${method} ${path}`);
  // Rewrite local refs so they resolve against the registered document.
  const text = JSON.stringify(schema).replace(/"#\/components\/schemas\//g, '"ghec#/components/schemas/');
  return openapiSchemaToJsonSchema(JSON.parse(text) as never, { beforeTransform: (s) => nullableWithoutType(s as Json) as never }) as Json;
}

/** Throws with Ajv's errors when `body` does not match the operation's response schema. */
export function assertMatchesSpec(path: string, method: string, body: unknown, status = "200"): void {
  const key = `${method} ${path} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    const schema = responseSchema(path, method, status);
    delete schema.$schema;
    validate = load().ajv.compile(schema);
    compiled.set(key, validate);
  }
  if (!validate(body)) {
    const errors = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    throw new Error(`${key}: response does not match the spec:\n${errors.join("\n")}`);
  }
}
