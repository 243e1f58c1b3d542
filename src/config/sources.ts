// Where settings come from before validation: the YAML file (with ${VAR} interpolation), then environment
// variables, then command-line flags, each later one overriding; every override remembers its origin.
import { isAbsolute, resolve } from "node:path";
import { parseDocument } from "yaml";

export type Env = Record<string, string | undefined>;

/** Command-line flags that override the file and the environment (commander's camelCase names). */
export interface ConfigFlags {
  config?: string;
  org?: string | string[];
  enterprise?: string | string[];
  apiUrl?: string;
  db?: string;
  port?: number | string;
  /** poll.interval */
  interval?: string;
}

export interface Problem {
  /** `orgs[1].auth.private_key_path`, or "" for the whole file. */
  path: string;
  message: string;
  /** The env var or flag the value came from, when not the file. */
  origin?: string;
}

export type Raw = Record<string, unknown>;

const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

/** Parses YAML; syntax errors come back as problems with line and column. */
export function parseYaml(text: string): { data: unknown; problems: Problem[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const problems = doc.errors.map((e) => {
    const pos = e.linePos?.[0];
    const reason = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    return { path: "", message: `YAML ${pos ? `line ${pos.line}, column ${pos.col}` : "error"}: ${reason}` };
  });
  if (problems.length > 0) return { data: undefined, problems };
  return { data: doc.toJS() as unknown, problems };
}

/** Replaces `${NAME}` in every string with the environment variable; `$${` stays a literal `${`. */
export function interpolate(value: unknown, env: Env, problems: Problem[], path: PropertyKey[] = []): unknown {
  if (typeof value === "string") {
    return value.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, name: string) => {
      if (match.startsWith("$$")) return match.slice(1);
      const v = env[name];
      if (v === undefined || v === "") {
        problems.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
        return match;
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, problems, [...path, i]));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, problems, [...path, k])]));
  return value;
}

const list = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean);

/** `--org a --org b` keeps the file's settings for a and b and adds defaults for names the file lacks. */
function select(entries: unknown, names: string[], key: "name" | "slug"): unknown[] {
  const existing = Array.isArray(entries) ? entries : [];
  return names.map((name) => {
    const found = existing.find((e) => (typeof e === "string" ? e : isRecord(e) ? e[key] : undefined)?.toString().toLowerCase() === name.toLowerCase());
    return found ?? { [key]: name };
  });
}

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v.trim() === "" ? undefined : v);

/** Applies env and flags onto the file's data (flags win); returns where each overridden setting came from. */
export function applyOverrides(raw: Raw, env: Env, flags: ConfigFlags, cwd: string): Map<string, string> {
  const origins = new Map<string, string>();
  const section = (name: string): Raw | null => {
    const current = raw[name];
    if (current === undefined || current === null) return (raw[name] = {}) as Raw;
    return isRecord(current) ? current : null;
  };
  const set = (sectionName: string, key: string, value: unknown, origin: string) => {
    const target = section(sectionName);
    if (!target) return;
    target[key] = value;
    origins.set(`${sectionName}.${key}`, origin);
  };
  const pick = (flag: string | undefined, flagName: string, envName: string): [string, string] | null => {
    if (nonEmpty(flag) !== undefined) return [flag!, flagName];
    const fromEnv = nonEmpty(env[envName]);
    return fromEnv !== undefined ? [fromEnv, envName] : null;
  };
  const localPath = (p: string) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p === ":memory:" || isAbsolute(p) ? p : resolve(cwd, p));

  const api = pick(flags.apiUrl, "--api-url", "GITHUB_API_URL");
  if (api) set("github", "api_url", api[0], api[1]);
  const token = nonEmpty(env["GITHUB_TOKEN"]);
  if (token) set("github", "auth", { token }, "GITHUB_TOKEN");

  const db = pick(flags.db, "--db", "GHAUDIT_DB");
  const store = section("store");
  if (db) set("store", "url", localPath(db[0]), db[1]);
  else if (store && store["url"] === undefined) store["url"] = resolve(cwd, "data/ghaudit.db");

  const webhookSecret = nonEmpty(env["GHAUDIT_WEBHOOK_SECRET"]);
  if (webhookSecret) set("webhooks", "secrets", [webhookSecret], "GHAUDIT_WEBHOOK_SECRET");
  if (flags.port !== undefined && flags.port !== "") set("server", "port", String(flags.port), "--port");
  if (nonEmpty(flags.interval)) set("poll", "interval", flags.interval, "--interval");

  const orgs = list(flags.org);
  if (orgs.length > 0) {
    raw["orgs"] = select(raw["orgs"], orgs, "name");
    orgs.forEach((_, i) => origins.set(`orgs[${i}].name`, "--org"));
  }
  const enterprises = list(flags.enterprise);
  if (enterprises.length > 0) {
    raw["enterprises"] = select(raw["enterprises"], enterprises, "slug");
    enterprises.forEach((_, i) => origins.set(`enterprises[${i}].slug`, "--enterprise"));
  }
  return origins;
}

/** The origin of `path` or of the nearest overridden setting above it. */
export function originOf(origins: Map<string, string>, path: string): string | undefined {
  for (let p = path; p !== ""; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, "")) {
    const origin = origins.get(p);
    if (origin) return origin;
    if (!/(\.[^.[\]]+|\[\d+\])$/.test(p)) break;
  }
  return undefined;
}
