// PATCH body parsing and JSON-schema-style validation with GitHub's error shapes: 400 "Problems parsing JSON" for
// malformed JSON, 422 "Invalid request.\n\n<detail>" for a body that breaks the operation's schema.
import type { EmuContext } from "../../http/context.js";
import { GitHubHttpError } from "../../http/errors.js";
import { isMember } from "../../http/auth.js";
import { renderUser } from "../../render.js";
import type { EmulatorState } from "../../state/state.js";
import type { EmuOrg, SimpleUser } from "../../state/types.js";

export const invalidRequest = (detail: string, documentationUrl: string): GitHubHttpError =>
  new GitHubHttpError(422, `Invalid request.\n\n${detail}`, { documentationUrl });

const show = (v: unknown) => JSON.stringify(v) ?? String(v);
const list = (values: readonly string[]) => `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;

/** A parsed JSON object body plus typed, validated accessors for its fields. */
export class PatchBody {
  readonly fields: Record<string, unknown>;
  readonly #doc: string;

  private constructor(fields: Record<string, unknown>, documentationUrl: string) {
    this.fields = fields;
    this.#doc = documentationUrl;
  }

  static async read(c: EmuContext, documentationUrl: string): Promise<PatchBody> {
    const text = await c.req.text();
    let parsed: unknown;
    try {
      parsed = text.trim() === "" ? {} : JSON.parse(text);
    } catch {
      throw new GitHubHttpError(400, "Problems parsing JSON", { documentationUrl });
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw invalidRequest(`For 'links/0/schema', ${show(parsed)} is not an object.`, documentationUrl);
    }
    return new PatchBody(parsed as Record<string, unknown>, documentationUrl);
  }

  has(field: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.fields, field);
  }

  invalid(detail: string): GitHubHttpError {
    return invalidRequest(detail, this.#doc);
  }

  /** `additionalProperties: false`. */
  onlyKeys(allowed: readonly string[]): void {
    for (const key of Object.keys(this.fields)) {
      if (!allowed.includes(key)) throw this.invalid(`${show(key)} is not a permitted key.`);
    }
  }

  /** `anyOf: [{required: [a]}, {required: [b]}, …]`. */
  requireAny(fields: readonly string[]): void {
    if (!fields.some((f) => this.has(f))) {
      throw this.invalid(`No subschema in "anyOf" matched.\n${fields.map((f) => `${show(f)} wasn't supplied.`).join("\n")}`);
    }
  }

  missing(field: string): GitHubHttpError {
    return this.invalid(`${show(field)} wasn't supplied.`);
  }

  /** An enum member, `null` when allowed and sent, or undefined when absent. */
  enumOf<T extends string>(field: string, values: readonly T[], nullable = false): T | null | undefined {
    if (!this.has(field)) return undefined;
    const v = this.fields[field];
    if (v === null && nullable) return null;
    if (typeof v !== "string" || !values.includes(v as T)) {
      throw this.invalid(`For 'properties/${field}', ${show(v)} is not one of ${list(values)}.`);
    }
    return v as T;
  }

  string(field: string, options: { maxLength?: number; nullable?: boolean } = {}): string | null | undefined {
    if (!this.has(field)) return undefined;
    const v = this.fields[field];
    if (v === null && options.nullable) return null;
    if (typeof v !== "string") throw this.invalid(`For 'properties/${field}', ${show(v)} is not a string.`);
    if (options.maxLength !== undefined && [...v].length > options.maxLength) {
      throw this.invalid(`For 'properties/${field}', ${show(v)} is too long (maximum is ${options.maxLength} characters).`);
    }
    return v;
  }

  boolean(field: string): boolean | undefined {
    if (!this.has(field)) return undefined;
    const v = this.fields[field];
    if (typeof v !== "boolean") throw this.invalid(`For 'properties/${field}', ${show(v)} is not a boolean.`);
    return v;
  }

  stringArray(field: string): string[] | undefined {
    if (!this.has(field)) return undefined;
    const v = this.fields[field];
    if (!Array.isArray(v)) throw this.invalid(`For 'properties/${field}', ${show(v)} is not an array.`);
    v.forEach((item, i) => {
      if (typeof item !== "string") throw this.invalid(`For 'properties/${field}/items/${i}', ${show(item)} is not a string.`);
    });
    return v as string[];
  }

  object(field: string): Record<string, unknown> | undefined {
    if (!this.has(field)) return undefined;
    const v = this.fields[field];
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      throw this.invalid(`For 'properties/${field}', ${show(v)} is not an object.`);
    }
    return v as Record<string, unknown>;
  }
}

/**
 * Resolves assignee logins to users: org members (any role) and bots (`copilot-swe-agent[bot]`) may be assigned.
 * Anyone else is a 422, as GitHub requires assignees to have access to the repository.
 */
export function resolveAssignees(
  state: EmulatorState,
  org: EmuOrg,
  logins: readonly string[],
  documentationUrl: string,
): SimpleUser[] {
  const seen = new Set<string>();
  const users: SimpleUser[] = [];
  for (const login of logins) {
    const key = login.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const bot = login.endsWith("[bot]");
    const user = state.user(login);
    const member = isMember(org, login) || org.securityManagers.some((m) => m.toLowerCase() === key);
    if (!bot && (!user || !member)) {
      throw invalidRequest(`Could not resolve to a user with write access to the repository: ${show(login)}.`, documentationUrl);
    }
    users.push(renderUser(state, user?.login ?? login));
  }
  return users;
}

/** Logins of a list of users, lower-cased and sorted (for change detection). */
export function loginSet(users: readonly { login: string }[] | null | undefined): string {
  return (users ?? []).map((u) => u.login.toLowerCase()).sort().join(",");
}
