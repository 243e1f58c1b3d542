// Fault injection: GitHub's real failure modes on demand, either queued (deterministic, for tests) or at a
// seeded random rate (for soak runs and the demo).
import type { MiddlewareHandler } from "hono";
import type { EmuEnv } from "./context.js";
import { createRng, type Rng } from "../seed/rng.js";

export const FAULT_KINDS = ["5xx", "slow", "drop", "truncate", "html", "secondary"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultOptions {
  /** Probability (0..1) that a request gets a random fault from `kinds`. */
  rate?: number;
  kinds?: FaultKind[];
  /** Delay for `slow` faults. */
  slowMs?: number;
  /** Seconds announced in `retry-after` for secondary rate limits. */
  retryAfter?: number;
  secondaryStatus?: 403 | 429;
  /** Only requests whose path matches are eligible. */
  pathPattern?: string;
  /** Probability (0..1) that an audit event written by the simulator reaches the API late, and by how much. */
  lateAuditRate?: number;
  lateAuditMs?: number;
  seed?: number;
}

interface Queued {
  kind: FaultKind;
  remaining: number;
  pattern: RegExp | null;
  /** Matched against the decoded query string (`phrase=created:2024-01-01..2024-01-02&per_page=100`). */
  query: RegExp | null;
}

export class FaultInjector {
  options: Required<Omit<FaultOptions, "pathPattern" | "seed">> & { pathPattern: RegExp | null };
  readonly counts: Record<FaultKind, number> = { "5xx": 0, slow: 0, drop: 0, truncate: 0, html: 0, secondary: 0 };
  readonly #queue: Queued[] = [];
  readonly #rng: Rng;

  constructor(options: FaultOptions = {}) {
    this.#rng = createRng(options.seed ?? 1);
    this.options = FaultInjector.#resolve(options);
  }

  static #resolve(options: FaultOptions): FaultInjector["options"] {
    return {
      rate: options.rate ?? 0,
      kinds: options.kinds ?? ["5xx", "slow", "drop", "truncate", "html", "secondary"],
      slowMs: options.slowMs ?? 2000,
      retryAfter: options.retryAfter ?? 60,
      secondaryStatus: options.secondaryStatus ?? 403,
      pathPattern: options.pathPattern ? new RegExp(options.pathPattern) : null,
      lateAuditRate: options.lateAuditRate ?? 0,
      lateAuditMs: options.lateAuditMs ?? 5 * 60_000,
    };
  }

  configure(options: FaultOptions): void {
    this.options = FaultInjector.#resolve({ ...this.#plain(), ...options });
  }

  #plain(): FaultOptions {
    const { pathPattern, ...rest } = this.options;
    return { ...rest, ...(pathPattern ? { pathPattern: pathPattern.source } : {}) };
  }

  /**
   * Makes the next `count` eligible requests fail with `kind`: those whose path matches `pathPattern` and whose
   * decoded query string matches `queryPattern` (e.g. one time slice of an audit-log walk), or all.
   */
  enqueue(kind: FaultKind, count = 1, pathPattern?: string, queryPattern?: string): void {
    this.#queue.push({
      kind,
      remaining: count,
      pattern: pathPattern ? new RegExp(pathPattern) : null,
      query: queryPattern ? new RegExp(queryPattern) : null,
    });
  }

  clear(): void {
    this.#queue.length = 0;
    this.options = FaultInjector.#resolve({});
  }

  /** Whether the simulator should make this audit event arrive late, and by how many ms. */
  auditDelay(): number {
    return this.options.lateAuditRate > 0 && this.#rng.next() < this.options.lateAuditRate ? this.options.lateAuditMs : 0;
  }

  /** `query`: the decoded query string, without `?`. */
  pick(path: string, query = ""): FaultKind | null {
    for (const q of this.#queue) {
      if (q.remaining > 0 && (!q.pattern || q.pattern.test(path)) && (!q.query || q.query.test(query))) {
        q.remaining--;
        if (q.remaining === 0) this.#queue.splice(this.#queue.indexOf(q), 1);
        return q.kind;
      }
    }
    const { rate, kinds, pathPattern } = this.options;
    if (rate <= 0 || kinds.length === 0 || (pathPattern && !pathPattern.test(path))) return null;
    if (this.#rng.next() >= rate) return null;
    return kinds[Math.floor(this.#rng.next() * kinds.length)] ?? null;
  }

  middleware(): MiddlewareHandler<EmuEnv> {
    return async (c, next) => {
      const url = new URL(c.req.url);
      const path = url.pathname;
      if (path.startsWith("/_emulator")) return next();
      const kind = this.pick(path, decodeQuery(url.search));
      if (!kind) return next();
      this.counts[kind]++;
      switch (kind) {
        case "slow":
          await new Promise((r) => setTimeout(r, this.options.slowMs));
          return next();
        case "drop":
          c.env.incoming.socket.destroy();
          return new Response(null, { status: 500 });
        case "5xx":
          return c.json(
            { message: "Server Error", documentation_url: "https://docs.github.com/rest", status: "502" },
            502,
          );
        case "html":
          return c.html(
            "<!DOCTYPE html><html><head><title>Unicorn! · GitHub</title></head><body><h1>No server is currently available to service your request.</h1><p>Sorry about that. Please try refreshing and contact us if the problem persists.</p></body></html>",
            502,
          );
        case "secondary":
          c.header("retry-after", String(this.options.retryAfter));
          return c.json(
            {
              message:
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.",
              documentation_url:
                "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
              status: String(this.options.secondaryStatus),
            },
            this.options.secondaryStatus,
          );
        case "truncate": {
          await next();
          const text = await c.res.text();
          const headers = new Headers(c.res.headers);
          headers.delete("content-length");
          c.res = new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), {
            status: c.res.status,
            headers,
          });
          return;
        }
      }
    };
  }
}

/** `?phrase=created%3A2024-01-01&a=b+c` -> `phrase=created:2024-01-01&a=b c` (undecodable text is left as it is). */
function decodeQuery(search: string): string {
  const text = search.startsWith("?") ? search.slice(1) : search;
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}
