// `POST /webhooks/github`: GitHub's webhook deliveries. Every check (method, content type, headers, size, signature
// over the raw body, then the payload) runs before anything is written; an accepted alert event is stored durably
// before the 2xx and processed afterwards. Refusals use the API's one error shape.
import type { IncomingMessage } from "node:http";
import type { Context, Hono } from "hono";
import { AppError, type ErrorCode } from "../../core/errors.js";
import { isAlertEvent } from "../../sources/webhooks/events.js";
import { parsePayload, PayloadError } from "../../sources/webhooks/payload.js";
import { mediaType, readBody, WEBHOOK_BODY_LIMIT } from "./body.js";
import type { WebhookIntake } from "./intake.js";

export const WEBHOOK_PATH = "/webhooks/github";
const MEDIA_TYPES = ["application/json", "application/x-www-form-urlencoded"];
const EVENT = /^[a-z][a-z0-9_]{0,99}$/;
const DELIVERY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** Headers kept with a stored delivery (GitHub's own; nothing a proxy may add, such as cookies or credentials). */
const KEPT_HEADER = /^(content-type|user-agent|x-github-[a-z0-9-]+|x-hub-signature(-256)?)$/;

export interface WebhookRouteOptions {
  intake: WebhookIntake;
  /** Bytes; GitHub's cap by default. */
  bodyLimit?: number;
}

export function registerWebhookRoute(app: Hono, options: WebhookRouteOptions): void {
  const { intake } = options;
  const limit = options.bodyLimit ?? WEBHOOK_BODY_LIMIT;
  const refuse = (code: ErrorCode, status: number, message: string, hint?: string): AppError => {
    intake.reject(code);
    return new AppError(code, message, { status, ...(hint ? { hint } : {}) });
  };

  const handle = async (c: Context): Promise<Response> => {
    if (c.req.method !== "POST") {
      c.header("Allow", "POST");
      throw refuse("webhook-method-not-allowed", 405, `${WEBHOOK_PATH} takes POST, not ${c.req.method}.`, "Point a GitHub webhook at this URL; GitHub sends POST requests.");
    }
    const type = mediaType(c.req.header("content-type"));
    if (!MEDIA_TYPES.includes(type)) {
      throw refuse("webhook-unsupported-media-type", 415, `Content type "${type || "(none)"}" is not a webhook body.`, "Set the webhook's content type to application/json (application/x-www-form-urlencoded also works).");
    }
    const event = c.req.header("x-github-event") ?? "";
    const id = c.req.header("x-github-delivery") ?? "";
    if (!EVENT.test(event) || !DELIVERY.test(id)) {
      const missing = !EVENT.test(event) ? "X-GitHub-Event" : "X-GitHub-Delivery";
      throw refuse("webhook-bad-request", 400, `The ${missing} header is missing or malformed.`, "Only GitHub's webhook deliveries are accepted here.");
    }
    const length = Number(c.req.header("content-length") ?? "0");
    if (length > limit) throw tooLarge(refuse, limit);
    const signature = c.req.header("x-hub-signature-256");
    if (intake.verifies && !signature) {
      throw refuse("webhook-bad-signature", 401, "The delivery has no X-Hub-Signature-256 header.", "Give the webhook in GitHub the same secret as webhooks.secrets (or GHAUDIT_WEBHOOK_SECRET).");
    }

    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const read = await readBody(c.req.raw, incoming, limit);
    if (!read.ok) throw tooLarge(refuse, limit);
    const body = read.body.toString("utf8");
    if (body === "") throw refuse("webhook-bad-request", 400, "The delivery has an empty body.");
    if (signature !== undefined && intake.verifies && !(await intake.verify(body, signature))) {
      throw refuse("webhook-bad-signature", 401, "The X-Hub-Signature-256 signature does not match the body with any configured secret.", "Check that the webhook's secret in GitHub equals one of webhooks.secrets.");
    }

    let payload: Record<string, unknown>;
    try {
      payload = parsePayload(type, body);
    } catch (err) {
      if (!(err instanceof PayloadError)) throw err;
      throw refuse("webhook-bad-request", 400, `Malformed webhook body: ${err.message}.`);
    }
    if (event === "ping") {
      intake.counters.pings++;
      return c.json({ ok: true, event, zen: typeof payload["zen"] === "string" ? payload["zen"] : null }, 200);
    }
    if (!isAlertEvent(event)) {
      intake.ignore(event);
      return c.json({ ok: true, event, ignored: true }, 200);
    }
    const { inserted } = await intake.store({
      id,
      event,
      action: typeof payload["action"] === "string" ? payload["action"] : null,
      hookId: c.req.header("x-github-hook-id") ?? null,
      headers: keptHeaders(c),
      body,
    });
    return c.json({ ok: true, event, delivery: id, duplicate: !inserted }, inserted ? 202 : 200);
  };

  app.all(WEBHOOK_PATH, async (c) => {
    intake.active++;
    try {
      return await handle(c);
    } finally {
      intake.active--;
    }
  });
}

function tooLarge(refuse: (code: ErrorCode, status: number, message: string) => AppError, limit: number): AppError {
  return refuse("webhook-too-large", 413, `The delivery is larger than ${limit} bytes (GitHub sends at most 25 MB).`);
}

function keptHeaders(c: Context): Record<string, string> {
  const out: Record<string, string> = {};
  c.req.raw.headers.forEach((value, name) => {
    const key = name.toLowerCase();
    if (KEPT_HEADER.test(key)) out[key] = value;
  });
  return out;
}
