// The configuration's zod schema: every setting, its default and its check; docs/config.md describes the same.
import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { RulesSettings } from "../rules/config.js";
import { Secret } from "../core/secret.js";
import { parsePrivateKey } from "../github/app-auth.js";
import { resolveApiBase } from "../github/base-url.js";
import { parseDuration } from "./duration.js";

/**
 * A whole number, written as one or as digits: a `${VAR}` in the file always gives text, and `--port` comes as text.
 */
function wholeNumber(number: z.ZodNumber) {
  return z.preprocess((v) => (typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v), number);
}

export interface SchemaContext {
  /** Relative paths in the file (private keys, SQLite database) are resolved against this folder. */
  baseDir: string;
  /**
   * Only the store is wanted (export, rules test): no org or credentials are required. The file is still checked
   * whole.
   */
  storeOnly?: boolean;
}

const duration = (hint = "e.g. 300s, 5m, 1h, 7d") =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === null) {
      ctx.addIssue({ code: "custom", message: `${JSON.stringify(value)} is not a duration (${hint})` });
      return z.NEVER;
    }
    return ms;
  });

const secret = z.string().min(1, "must not be empty").transform((s) => new Secret(s));

export type AuthConfig =
  | { kind: "token"; token: Secret }
  | { kind: "app"; app_id?: number; client_id?: string; private_key: Secret; installation_id?: number };

type AuthInput = { token?: string; app_id?: number; client_id?: string; private_key?: string; private_key_path?: string };

/** Reads and checks the App key at `path` (or inline); returns the PEM or an error sentence. */
function loadKey(input: AuthInput, baseDir: string): { pem: string } | { error: string; field: string } {
  let pem = input.private_key;
  let field = "private_key";
  if (input.private_key_path !== undefined) {
    field = "private_key_path";
    const path = isAbsolute(input.private_key_path) ? input.private_key_path : resolve(baseDir, input.private_key_path);
    if (!existsSync(path) || !statSync(path).isFile()) return { error: `file not found (${path})`, field };
    pem = readFileSync(path, "utf8");
  }
  try {
    parsePrivateKey(pem ?? "");
  } catch {
    return { error: "not an RSA private key in PEM format (the .pem file GitHub lets you download)", field };
  }
  return { pem: pem ?? "" };
}

function authSchema(ctx: SchemaContext) {
  return z
    .strictObject({
      token: z.string().min(1, "must not be empty").optional(),
      app_id: wholeNumber(z.number().int().positive()).optional(),
      client_id: z.string().min(1, "must not be empty").optional(),
      private_key: z.string().min(1, "must not be empty").optional(),
      private_key_path: z.string().min(1, "must not be empty").optional(),
      installation_id: wholeNumber(z.number().int().positive()).optional(),
    })
    .superRefine(
      (a, c) => {
        if (typeof a !== "object" || a === null) return;
        const app = a.app_id !== undefined || a.client_id !== undefined || a.private_key !== undefined || a.private_key_path !== undefined;
        if (a.token !== undefined && app) {
          c.addIssue({ code: "custom", path: ["token"], message: "use either token or a GitHub App (app_id/client_id + private key), not both" });
          return;
        }
        if (a.token !== undefined) return;
        if (!app) {
          c.addIssue({ code: "custom", message: "needs token, or app_id/client_id with private_key or private_key_path" });
          return;
        }
        if (a.app_id === undefined && a.client_id === undefined) {
          c.addIssue({ code: "custom", path: ["app_id"], message: "a GitHub App needs app_id or client_id" });
        }
        if (a.private_key !== undefined && a.private_key_path !== undefined) {
          c.addIssue({ code: "custom", path: ["private_key"], message: "use either private_key or private_key_path, not both" });
        } else if (a.private_key === undefined && a.private_key_path === undefined) {
          c.addIssue({ code: "custom", path: ["private_key_path"], message: "a GitHub App needs private_key_path (or private_key)" });
        } else {
          const key = loadKey(a, ctx.baseDir);
          if ("error" in key) c.addIssue({ code: "custom", path: [key.field], message: key.error });
        }
      },
      { when: () => true },
    )
    .transform((a): AuthConfig => {
      if (a.token !== undefined) return { kind: "token", token: new Secret(a.token) };
      const key = loadKey(a, ctx.baseDir);
      return {
        kind: "app",
        ...(a.app_id !== undefined ? { app_id: a.app_id } : {}),
        ...(a.client_id !== undefined ? { client_id: a.client_id } : {}),
        private_key: new Secret("pem" in key ? key.pem : ""),
        ...(a.installation_id !== undefined ? { installation_id: a.installation_id } : {}),
      };
    });
}

/** A polling interval: under 10 s a stream would spend its rate limit (and its lease) on back-to-back polls. */
const pollInterval = () => duration().refine((ms) => ms >= 10_000, "must be at least 10s");

const stream = { enabled: z.boolean().default(true), interval: pollInterval().optional() };
const auditLogStream = z
  .strictObject({
    ...stream,
    include: z.enum(["web", "git", "all"]).default("web"),
    lookback: z
      .union([z.string(), z.number()])
      .transform((v, c): number | "all" => {
        if (v === "all") return "all";
        const ms = parseDuration(v);
        if (ms !== null) return ms;
        c.addIssue({ code: "custom", message: `${JSON.stringify(v)} is neither "all" nor a duration (e.g. 24h, 30d)` });
        return z.NEVER;
      })
      .default(86_400_000),
    overlap: duration().default(300_000),
  })
  .prefault({});
const plainStream = z.strictObject(stream).prefault({});

/** `- acme` is short for `- name: acme`. */
const named = <T extends z.ZodType>(key: string, schema: T) =>
  z.preprocess((v) => (typeof v === "string" ? { [key]: v } : v), schema);

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

function orgSchema(ctx: SchemaContext) {
  return named(
    "name",
    z.strictObject({
      name: z.string().regex(LOGIN, "is not a GitHub org login"),
      auth: authSchema(ctx).optional(),
      streams: z
        .strictObject({
          audit_log: auditLogStream,
          code_scanning: plainStream,
          dependabot: plainStream,
          secret_scanning: plainStream,
          repositories: plainStream,
        })
        .prefault({}),
    }),
  );
}

function enterpriseSchema(ctx: SchemaContext) {
  return named(
    "slug",
    z.strictObject({
      slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, "is not an enterprise slug"),
      auth: authSchema(ctx).optional(),
      streams: z
        .strictObject({ audit_log: auditLogStream, code_scanning: plainStream, dependabot: plainStream, secret_scanning: plainStream })
        .prefault({}),
    }),
  );
}

export type StoreConfig = { dialect: "sqlite"; path: string } | { dialect: "postgres"; url: Secret };

function storeSchema(ctx: SchemaContext) {
  return z
    .strictObject({ url: z.string().min(1, "must not be empty").default("./data/ghaudit.db") })
    .prefault({})
    .transform(({ url }, c): StoreConfig => {
      if (/^postgres(ql)?:\/\//i.test(url)) {
        try {
          new URL(url);
        } catch {
          c.addIssue({ code: "custom", path: ["url"], message: "is not a valid postgres:// URL" });
        }
        return { dialect: "postgres", url: new Secret(url) };
      }
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
        c.addIssue({ code: "custom", path: ["url"], message: "must be a SQLite file path or a postgres:// URL" });
        return z.NEVER;
      }
      return { dialect: "sqlite", path: url === ":memory:" || isAbsolute(url) ? url : resolve(ctx.baseDir, url) };
    });
}

const apiUrl = z.string().transform((value, c) => {
  try {
    return resolveApiBase(value).baseUrl;
  } catch (err) {
    c.addIssue({ code: "custom", message: (err as Error).message });
    return z.NEVER;
  }
});

export function createConfigSchema(ctx: SchemaContext) {
  return z
    .strictObject({
      github: z.strictObject({ api_url: apiUrl.default("https://api.github.com"), auth: authSchema(ctx).optional() }).prefault({}),
      orgs: z.array(orgSchema(ctx)).default([]),
      enterprises: z.array(enterpriseSchema(ctx)).default([]),
      poll: z
        .strictObject({
          interval: pollInterval().default(300_000),
          rate_limit_threshold: wholeNumber(z.number().int().min(0)).default(100),
          reconcile_every: duration().default(86_400_000),
        })
        .prefault({}),
      risk: z
        .strictObject({
          secret_scanning_default: z
            .string()
            .transform((s) => s.toUpperCase())
            .pipe(z.enum(["CRITICAL", "HIGH", "MEDIUM", "LOW"]))
            .default("HIGH"),
        })
        .prefault({}),
      store: storeSchema(ctx),
      webhooks: z.strictObject({ secrets: z.array(secret).default([]) }).prefault({}),
      /** Built-in heuristics, user rule files and Sigma directories (src/rules/config.ts, docs/rules.md). */
      rules: RulesSettings.prefault({}),
      server: z
        .strictObject({ host: z.string().min(1).default("127.0.0.1"), port: wholeNumber(z.number().int().min(0).max(65_535)).default(8080) })
        .prefault({}),
    })
    .superRefine((value, c) => crossChecks(value, c, ctx), { when: () => true });
}

type PartialConfig = {
  github?: { auth?: unknown };
  orgs?: ({ name?: string; auth?: unknown } | undefined)[];
  enterprises?: ({ slug?: string; auth?: unknown } | undefined)[];
};

/** Parsed auth has `kind`; auth that failed its own checks is still the raw mapping. */
function isAppAuth(auth: unknown): boolean {
  if (typeof auth !== "object" || auth === null) return false;
  if ("kind" in auth) return auth.kind === "app";
  return ["app_id", "client_id", "private_key", "private_key_path"].some((k) => k in auth);
}

/** Checks that span settings; they run even when fields failed (failed fields keep their raw value). */
function crossChecks(value: unknown, c: z.RefinementCtx, ctx: SchemaContext): void {
  if (typeof value !== "object" || value === null || ctx.storeOnly) return;
  const config = value as PartialConfig;
  const orgs = Array.isArray(config.orgs) ? config.orgs : [];
  const enterprises = Array.isArray(config.enterprises) ? config.enterprises : [];
  if (orgs.length === 0 && enterprises.length === 0) {
    c.addIssue({ code: "custom", path: ["orgs"], message: "list at least one org (or enterprise) to collect from, in the file or with --org" });
  }
  const defaultAuth = config.github?.auth;
  const seen = new Map<string, number>();
  orgs.forEach((org, i) => {
    if (!org?.name) return;
    const key = org.name.toLowerCase();
    if (seen.has(key)) c.addIssue({ code: "custom", path: ["orgs", i, "name"], message: `"${org.name}" is listed twice (also orgs[${seen.get(key)}])` });
    seen.set(key, i);
    if (org.auth === undefined && defaultAuth === undefined) {
      c.addIssue({ code: "custom", path: ["orgs", i, "auth"], message: `no credentials for org "${org.name}": set GITHUB_TOKEN, github.auth or orgs[${i}].auth` });
    }
  });
  enterprises.forEach((ent, i) => {
    if (!ent?.slug) return;
    const auth = ent.auth ?? defaultAuth;
    if (auth === undefined) {
      c.addIssue({ code: "custom", path: ["enterprises", i, "auth"], message: `no credentials for enterprise "${ent.slug}": set GITHUB_TOKEN, github.auth or enterprises[${i}].auth` });
    } else if (isAppAuth(auth)) {
      c.addIssue({ code: "custom", path: ["enterprises", i, "auth"], message: "enterprise endpoints need a classic token of an enterprise owner; a GitHub App cannot read them" });
    }
  });
}

export const configSchema = createConfigSchema({ baseDir: process.cwd() });
export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type OrgConfig = ParsedConfig["orgs"][number];
export type EnterpriseConfig = ParsedConfig["enterprises"][number];
