// GitHub App authentication: RS256 JWTs signed on the injected clock, the org's installation discovered with
// GET /orgs/{org}/installation, and installation tokens from @octokit/auth-app cached until shortly before expiry.
import { createPrivateKey, type KeyObject } from "node:crypto";
import type { createAppAuth } from "@octokit/auth-app";
import { RequestError } from "@octokit/request-error";
import type { EndpointDefaults, OctokitResponse, RequestInterface } from "@octokit/types";
import { SignJWT } from "jose";
import type { Clock } from "../core/clock.js";
import type { Secret } from "../core/secret.js";
import { requestPath } from "./rate-limits.js";

export type AppAuth = ReturnType<typeof createAppAuth>;

/** Accepts PKCS#1 (`BEGIN RSA PRIVATE KEY`, what GitHub downloads) and PKCS#8 PEM, also with `\n` escaped. */
export function parsePrivateKey(pem: string): KeyObject {
  const text = pem.includes("\n") ? pem : pem.replace(/\\n/g, "\n");
  const key = createPrivateKey({ key: text.trim(), format: "pem" });
  if (key.asymmetricKeyType !== "rsa") throw new TypeError(`expected an RSA key, got ${key.asymmetricKeyType ?? "unknown"}`);
  return key;
}

/**
 * JWT for `iss` (client ID or App ID): iat 60 s in the past against clock drift, exp 9 minutes ahead
 * (GitHub rejects exp more than 10 minutes out). Docs: "Generating a JSON Web Token (JWT) for a GitHub App".
 */
export function createJwtSigner(privateKey: Secret, clock: Clock) {
  const key = parsePrivateKey(privateKey.reveal());
  return async (iss: string | number, timeDifference?: number): Promise<{ jwt: string; expiresAt: string }> => {
    const now = Math.floor(clock.now() / 1000) + (timeDifference ?? 0);
    const exp = now + 540;
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .setIssuedAt(now - 60)
      .setExpirationTime(exp)
      .setIssuer(String(iss))
      .sign(key);
    return { jwt, expiresAt: new Date(exp * 1000).toISOString() };
  };
}

/**
 * auth-app's token cache, on the injected clock: an entry counts as missing `refreshMarginMs` before its
 * `expires_at`, so auth-app mints the next token before the old one dies (tokens live one hour).
 * Values are auth-app's own `token|createdAt|expiresAt|…` strings.
 */
export class InstallationTokenCache {
  readonly #entries = new Map<string, string>();
  readonly #clock: Clock;
  readonly #marginMs: number;

  constructor(clock: Clock, refreshMarginMs: number) {
    this.#clock = clock;
    this.#marginMs = refreshMarginMs;
  }

  /** "" = miss (auth-app treats any falsy value as a miss). */
  get(key: string): string {
    const value = this.#entries.get(key);
    if (!value) return "";
    const expiresAt = Date.parse(value.split("|")[2] ?? "");
    if (!Number.isFinite(expiresAt) || this.#clock.now() >= expiresAt - this.#marginMs) {
      this.#entries.delete(key);
      return "";
    }
    return value;
  }

  set(key: string, value: string): void {
    this.#entries.set(key, value);
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** Routes that take the App's JWT rather than an installation token (as in auth-app's list). */
export function isAppRoute(path: string): boolean {
  return (
    /^\/app(\/|$)/.test(path) ||
    /^\/(orgs|users|enterprises)\/[^/]+\/installation$/.test(path) ||
    /^\/repos\/[^/]+\/[^/]+\/installation$/.test(path) ||
    /^\/marketplace_listing\//.test(path)
  );
}

export interface InstallationAuthOptions {
  /** auth-app bound to the App-level client (JWT requests and token minting go through it). */
  appAuth: AppAuth;
  /** Sends JWT requests through the App-level client (used to discover the installation). */
  appRequest: RequestInterface;
  org: string;
  installationId?: number;
  cache: InstallationTokenCache;
}

/** An Octokit auth strategy acting as the App's installation on one org. */
export function createInstallationAuth(o: InstallationAuthOptions) {
  let discovered: Promise<number> | null = null;
  const installationId = (): Promise<number> => {
    if (o.installationId !== undefined) return Promise.resolve(o.installationId);
    if (!discovered) {
      const pending = o.appRequest("GET /orgs/{org}/installation", { org: o.org }).then((r) => r.data.id);
      pending.catch(() => {
        if (discovered === pending) discovered = null;
      });
      discovered = pending;
    }
    return discovered;
  };
  const installationAuth = async (refresh = false) =>
    o.appAuth({ type: "installation", installationId: await installationId(), ...(refresh ? { refresh: true } : {}) });

  /** Octokit calls this innermost, with the fully merged request options. */
  async function hook(request: RequestInterface, options: Required<EndpointDefaults>): Promise<OctokitResponse<unknown>> {
    const send = (authorization: string) => request({ ...options, headers: { ...options.headers, authorization } });
    if (isAppRoute(requestPath(options))) return send(`bearer ${(await o.appAuth({ type: "app" })).token}`);
    try {
      return await send(`token ${(await installationAuth()).token}`);
    } catch (err) {
      if (!(err instanceof RequestError) || err.status !== 401) throw err;
      // Revoked, or expired before our clock thought so: mint a fresh token once, then let a 401 stand.
      o.cache.clear();
      return send(`token ${(await installationAuth(true)).token}`);
    }
  }

  return Object.assign(() => installationAuth(), { hook, installationId });
}
