// Reading a stored delivery back: its JSON payload (raw JSON or the `payload` field of a form body) and the parts
// alert processing needs (repository, org, sender, alert object), with errors that say what is missing.
import type { components } from "@octokit/openapi-types-ghec";
import type { WebhookDelivery } from "../../store/index.js";

export type JsonObject = Record<string, unknown>;

/** The webhook's repository object (`repository-webhooks` in GitHub's schemas); only these fields are read. */
type WebhookRepository = Pick<components["schemas"]["repository-webhooks"], "id" | "full_name" | "owner">;

/** A delivery that can never be processed (retrying does not help). */
export class PayloadError extends Error {
  override readonly name = "PayloadError";
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The payload of a body as GitHub sends it: raw JSON (`application/json`), or JSON in the `payload` field of an
 * `application/x-www-form-urlencoded` body. Throws PayloadError when it is not a JSON object.
 */
export function parsePayload(contentType: string, body: string): JsonObject {
  let json: string = body;
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    const field = new URLSearchParams(body).get("payload");
    if (field === null) throw new PayloadError("the form body has no `payload` field");
    json = field;
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new PayloadError(`the payload is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(value)) throw new PayloadError("the payload is not a JSON object");
  return value;
}

export function deliveryPayload(delivery: WebhookDelivery): JsonObject {
  return parsePayload(delivery.headers["content-type"] ?? "application/json", delivery.body);
}

export interface AlertPayload {
  /** `owner/name`. */
  repository: string;
  repositoryObject: JsonObject;
  repoId: number;
  /** The org login, when the repository belongs to one. */
  org: string | null;
  /** Who acted (`sender.login`); GitHub itself for automatic changes. */
  sender: string | null;
  alert: JsonObject;
  number: number | null;
  action: string | null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** The alert-related parts of a payload; PayloadError when the repository or the alert object is missing. */
export function alertPayload(payload: JsonObject): AlertPayload {
  const repo = payload["repository"];
  if (!isObject(repo) || str(repo["full_name"]) === null) throw new PayloadError("the payload has no repository.full_name");
  const repository = repo as unknown as WebhookRepository & JsonObject;
  const alert = payload["alert"];
  if (!isObject(alert)) throw new PayloadError("the payload has no alert object");
  const organization = payload["organization"];
  const owner = isObject(repository.owner) ? (repository.owner as JsonObject) : null;
  const org = isObject(organization)
    ? str(organization["login"])
    : owner !== null && owner["type"] === "Organization"
      ? str(owner["login"])
      : null;
  const sender = isObject(payload["sender"]) ? str(payload["sender"]["login"]) : null;
  const number = alert["number"];
  return {
    repository: repository.full_name,
    repositoryObject: repository,
    repoId: typeof repository.id === "number" ? repository.id : 0,
    org,
    sender,
    alert,
    number: typeof number === "number" && Number.isInteger(number) && number > 0 ? number : null,
    action: str(payload["action"]),
  };
}
