// The control API (/_emulator/*, no auth): tests and the demo move time, trigger activity, read the truth,
// read request counts, inject faults, add tokens and webhook targets.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { EmuApp } from "./http/context.js";
import { GitHubHttpError } from "./http/errors.js";
import { FAULT_KINDS, type FaultInjector } from "./http/faults.js";
import type { RateLimiter } from "./http/rate-limit.js";
import type { EmulatorState } from "./state/state.js";
import { ACTIVITY_KINDS, type ActivityKind, type ActivitySimulator } from "./simulator/simulator.js";
import type { WebhookSender } from "./webhooks/sender.js";
import type { RequestLog } from "./server.js";

export interface ControlDeps {
  state: EmulatorState;
  faults: FaultInjector;
  limiter: RateLimiter;
  requests: RequestLog;
  simulator: ActivitySimulator;
  webhooks: WebhookSender;
}

const TimeBody = z.object({ advanceMs: z.number().int().nonnegative() });
const ActivityBody = z.object({
  count: z.number().int().positive().max(100_000).default(1),
  kinds: z.array(z.enum(ACTIVITY_KINDS as [ActivityKind, ...ActivityKind[]])).optional(),
});
const RedeliverBody = z.object({ guid: z.string(), hookId: z.number().int().optional() });
const FaultBody = z.union([
  z.object({
    enqueue: z.object({
      kind: z.enum(FAULT_KINDS),
      count: z.number().int().positive().default(1),
      pathPattern: z.string().optional(),
      queryPattern: z.string().optional(),
    }),
  }),
  z.object({
    configure: z.object({
      rate: z.number().min(0).max(1).optional(),
      kinds: z.array(z.enum(FAULT_KINDS)).optional(),
      slowMs: z.number().int().nonnegative().optional(),
      retryAfter: z.number().int().nonnegative().optional(),
      secondaryStatus: z.union([z.literal(403), z.literal(429)]).optional(),
      pathPattern: z.string().optional(),
      lateAuditRate: z.number().min(0).max(1).optional(),
      lateAuditMs: z.number().int().nonnegative().optional(),
    }),
  }),
  z.object({ clear: z.literal(true) }),
]);
const TokenBody = z.object({
  kind: z.enum(["classic", "fine-grained", "installation"]).default("classic"),
  login: z.string(),
  scopes: z.array(z.string()).default([]),
  permissions: z.record(z.string(), z.enum(["read", "write", "admin"])).default({}),
  orgs: z.union([z.array(z.string()), z.literal("*")]).default("*"),
  expiresInMs: z.number().int().positive().optional(),
});
const RateBody = z.object({
  token: z.string().optional(),
  resource: z.string().default("core"),
  limit: z.number().int().nonnegative().optional(),
  remaining: z.number().int().nonnegative().optional(),
});
const WebhookBody = z.object({
  url: z.string().url(),
  secret: z.string().nullable().default(null),
  contentType: z.enum(["json", "form"]).default("json"),
  events: z.union([z.array(z.string()), z.literal("*")]).default("*"),
});
const AuditBody = z.object({ events: z.array(z.record(z.string(), z.unknown())), lateByMs: z.number().int().nonnegative().optional() });

export function registerControl(app: EmuApp, deps: ControlDeps): void {
  const { state, faults, limiter, requests, simulator, webhooks } = deps;
  const json = async <T>(schema: z.ZodType<T>, body: Promise<unknown>): Promise<T> => {
    const parsed = schema.safeParse(await body.catch(() => ({})));
    if (!parsed.success) throw new ControlError(parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
    return parsed.data;
  };

  app.get("/_emulator/health", (c) => c.json({ ok: true, now: state.now(), version: state.version }));

  app.get("/_emulator/truth", (c) =>
    c.json({
      now: state.now(),
      enterprises: [...state.enterprises.values()],
      orgs: [...state.orgs.values()],
      repos: [...state.repos.values()].map((r) => ({
        fullName: r.fullName,
        id: r.id,
        visibility: r.visibility,
        archived: r.archived,
        features: r.features,
        alerts: {
          code_scanning: r.codeScanning.map((a) => ({ number: a.alert.number, state: a.alert.state, updated_at: a.alert.updated_at })),
          dependabot: r.dependabot.map((a) => ({ number: a.number, state: a.state, updated_at: a.updated_at })),
          secret_scanning: r.secretScanning.map((a) => ({ number: a.alert.number, state: a.alert.state, updated_at: a.alert.updated_at })),
        },
      })),
      auditEvents: state.audit.length,
      auditVisible: state.audit.filter((a) => a.visibleAt <= state.now()).length,
      issues: state.issues,
    }),
  );

  app.get("/_emulator/audit", (c) => {
    const since = Number(c.req.query("since") ?? 0);
    return c.json(state.audit.filter((a) => a.at >= since).map((a) => ({ ...a.event, _visible_at: a.visibleAt })));
  });

  app.post("/_emulator/audit", async (c) => {
    const body = await json(AuditBody, c.req.json());
    const ids = body.events.map((e) => state.appendAudit(e as never, body.lateByMs ? { lateByMs: body.lateByMs } : {}).event._document_id);
    return c.json({ ids }, 201);
  });

  app.post("/_emulator/time", async (c) => {
    const body = await json(TimeBody, c.req.json());
    state.clock.advance(body.advanceMs);
    state.touch();
    return c.json({ now: state.now() });
  });

  app.post("/_emulator/activity", async (c) => {
    const body = await json(ActivityBody, c.req.json());
    return c.json({ results: simulator.step(body.count, body.kinds) });
  });

  app.get("/_emulator/requests", (c) => c.json(requests.toJSON()));
  app.delete("/_emulator/requests", (c) => {
    requests.reset();
    return c.json({ ok: true });
  });

  app.get("/_emulator/faults", (c) => c.json({ counts: faults.counts }));
  app.post("/_emulator/faults", async (c) => {
    const body = await json(FaultBody, c.req.json());
    if ("enqueue" in body) faults.enqueue(body.enqueue.kind, body.enqueue.count, body.enqueue.pathPattern, body.enqueue.queryPattern);
    else if ("configure" in body) faults.configure(body.configure);
    else faults.clear();
    return c.json({ ok: true });
  });

  app.post("/_emulator/tokens", async (c) => {
    const body = await json(TokenBody, c.req.json());
    const user = state.user(body.login);
    const prefix = body.kind === "classic" ? "ghp_" : body.kind === "fine-grained" ? "github_pat_" : "ghs_";
    const token = `${prefix}${randomBytes(27).toString("base64url").replace(/[-_]/g, "0").slice(0, 36)}`;
    state.addToken({
      token,
      kind: body.kind,
      login: body.login,
      userId: user?.id ?? state.nextId(),
      scopes: body.scopes,
      permissions: body.permissions,
      orgs: body.orgs,
      expiresAt: body.expiresInMs ? state.now() + body.expiresInMs : null,
      installationId: null,
    });
    return c.json({ token }, 201);
  });

  app.post("/_emulator/rate-limit", async (c) => {
    const body = await json(RateBody, c.req.json());
    const token = body.token ? state.tokens.get(body.token) : undefined;
    if (body.token && !token) throw new ControlError("unknown token");
    const caller = token ? { kind: "token" as const, token, appId: null } : { kind: "anonymous" as const, token: null, appId: null };
    const bucket = limiter.bucketFor(caller, "127.0.0.1", body.resource);
    if (body.limit !== undefined) bucket.limit = body.limit;
    if (body.remaining !== undefined) bucket.used = Math.max(0, bucket.limit - body.remaining);
    return c.json(bucket);
  });

  app.post("/_emulator/webhooks", async (c) => {
    const body = await json(WebhookBody, c.req.json());
    const hook = webhooks.addTarget(body);
    // GitHub pings a hook when it is created.
    const ping = await webhooks.ping(hook);
    return c.json({ ...hook, secret: hook.secret ? "[set]" : null, ping }, 201);
  });

  app.get("/_emulator/webhooks/deliveries", (c) => c.json(webhooks.deliveries()));

  app.post("/_emulator/webhooks/redeliver", async (c) => {
    const body = await json(RedeliverBody, c.req.json());
    try {
      return c.json(await webhooks.redeliver(body.guid, body.hookId));
    } catch (err) {
      throw new ControlError(err instanceof Error ? err.message : String(err));
    }
  });

  /** Waits until no webhook delivery is in flight (tests call it before reading what a receiver got). */
  app.post("/_emulator/webhooks/idle", async (c) => {
    await webhooks.idle();
    return c.json({ ok: true });
  });
}

/** Control API errors render like GitHub's (400 with a message) through the app's one error handler. */
class ControlError extends GitHubHttpError {
  constructor(message: string) {
    super(400, message);
  }
}
