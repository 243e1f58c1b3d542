// Turns whatever the user wrote for "GitHub" into the REST API base URL (github.com, GHE.com, GHES, emulator).

export const GITHUB_COM_API = "https://api.github.com";

export type GitHubFlavor = "github.com" | "ghe.com" | "ghes" | "custom";

export interface ApiBase {
  /** The URL Octokit sends requests to, without a trailing slash. */
  baseUrl: string;
  flavor: GitHubFlavor;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * Rules (docs/config.md, "GitHub API URL"):
 * - empty, `github.com`, `api.github.com` → `https://api.github.com`;
 * - `SUB.ghe.com` → `https://api.SUB.ghe.com` (GitHub Enterprise Cloud with data residency);
 * - any other host with no path → GHES: `https://HOST/api/v3`; a path is kept as written (`/api/v3` included);
 * - loopback hosts (the emulator, local proxies) are used exactly as written, and only they may use `http://`
 *   (github.com and GHE.com are always reached over https; any other `http://` host is refused: the token would travel
 *   in clear text).
 * A scheme is optional (`https://` is assumed). Throws a RangeError with a readable reason otherwise.
 */
export function resolveApiBase(input: string | undefined | null): ApiBase {
  const text = (input ?? "").trim();
  if (text === "") return { baseUrl: GITHUB_COM_API, flavor: "github.com" };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new RangeError(`"${text}" is not a URL (expected e.g. https://api.github.com or https://github.example.com)`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new RangeError(`"${text}" must use https:// (or http:// for a local emulator)`);
  }
  if (url.username || url.password) throw new RangeError("the API URL must not contain credentials");
  if (url.search || url.hash) throw new RangeError(`"${text}" must not have a query or fragment`);
  const host = url.hostname.toLowerCase();
  const path = url.pathname.replace(/\/+$/, "");
  const origin = `${url.protocol}//${url.host}`;

  if (LOOPBACK.has(host)) return { baseUrl: `${origin}${path}`, flavor: "custom" };
  if (host === "github.com" || host === "api.github.com" || host === "www.github.com") {
    if (path !== "") throw new RangeError(`"${text}": GitHub.com's API has no path; use https://api.github.com`);
    return { baseUrl: GITHUB_COM_API, flavor: "github.com" };
  }
  if (host.endsWith(".ghe.com")) {
    if (path !== "") throw new RangeError(`"${text}": GHE.com's API has no path; use https://api.SUBDOMAIN.ghe.com`);
    const apiHost = host.startsWith("api.") ? host : `api.${host}`;
    return { baseUrl: `https://${apiHost}`, flavor: "ghe.com" };
  }
  if (url.protocol === "http:") {
    throw new RangeError(`"${text}" would send the token unencrypted: use https:// (http:// is only for an emulator or proxy on this machine)`);
  }
  if (path === "") return { baseUrl: `${origin}/api/v3`, flavor: "ghes" };
  return { baseUrl: `${origin}${path}`, flavor: path.endsWith("/api/v3") ? "ghes" : "custom" };
}

export function resolveApiBaseUrl(input: string | undefined | null): string {
  return resolveApiBase(input).baseUrl;
}
