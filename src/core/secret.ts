// A wrapper for credentials that redacts itself wherever it is printed, logged or serialized.

const REDACTED = "[redacted]";

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The real value: call only where the secret is sent to its destination. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Secret(${REDACTED})`;
  }
}

/** Token prefixes GitHub uses (see docs: "About authentication"), for redacting tokens that slipped into text. */
const TOKEN_PATTERN = /\b(gh[pousr]_[A-Za-z0-9_]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g;

export function redactTokens(text: string): string {
  return text.replace(TOKEN_PATTERN, (m) => `${m.slice(0, 4)}…${REDACTED}`);
}

/** `postgres://user:***@host/db`: the location with its password hidden, for messages and logs. */
export function redactUrl(location: string): string {
  try {
    const url = new URL(location);
    if (url.password) url.password = "***";
    for (const key of [...url.searchParams.keys()]) if (/pass/i.test(key)) url.searchParams.set(key, "***");
    return url.toString();
  } catch {
    return location.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:***@");
  }
}
