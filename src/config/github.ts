// From the loaded configuration to GitHub client options for one org or enterprise (its own auth or the default).
import type { GitHubAuth, GitHubClientOptions } from "../github/client.js";
import type { Config } from "./load.js";
import type { AuthConfig } from "./schema.js";

export type Target = { org: string } | { enterprise: string };

function toGitHubAuth(auth: AuthConfig, org: string): GitHubAuth {
  if (auth.kind === "token") return { kind: "token", token: auth.token };
  return {
    kind: "app",
    privateKey: auth.private_key,
    org,
    ...(auth.app_id !== undefined ? { appId: auth.app_id } : {}),
    ...(auth.client_id !== undefined ? { clientId: auth.client_id } : {}),
    ...(auth.installation_id !== undefined ? { installationId: auth.installation_id } : {}),
  };
}

/** The credentials that apply to an org or enterprise: its own `auth`, else `github.auth` (validated to exist). */
export function authFor(config: Config, target: Target): AuthConfig {
  const own =
    "org" in target
      ? config.orgs.find((o) => o.name.toLowerCase() === target.org.toLowerCase())?.auth
      : config.enterprises.find((e) => e.slug.toLowerCase() === target.enterprise.toLowerCase())?.auth;
  const auth = own ?? config.github.auth;
  if (!auth) throw new Error(`no credentials configured for ${JSON.stringify(target)}`);
  return auth;
}

/** Options for createGitHubClient; pass `extra` for a logger, clock or sleep. */
export function githubClientOptions(config: Config, target: Target, extra: Partial<GitHubClientOptions> = {}): GitHubClientOptions {
  const name = "org" in target ? target.org : target.enterprise;
  return {
    apiUrl: config.github.api_url,
    auth: toGitHubAuth(authFor(config, target), name),
    rateLimitThreshold: config.poll.rate_limit_threshold,
    ...extra,
  };
}
