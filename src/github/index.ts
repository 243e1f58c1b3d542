// The GitHub client module's public surface: build a client, read conditionally, explain failures.
export { createGitHubClient, GHAUDIT_VERSION, GITHUB_API_VERSION } from "./client.js";
export type { GitHubAuth, GitHubClient, GitHubClientInfo, GitHubClientOptions, GitHubOctokit } from "./client.js";
export { GITHUB_COM_API, resolveApiBase, resolveApiBaseUrl, type ApiBase, type GitHubFlavor } from "./base-url.js";
export { conditionalGet, etagKey, MemoryEtagCache } from "./etag.js";
export type { ConditionalOptions, ConditionalResult, EtagCache, EtagEntry } from "./etag.js";
export { explainGitHubError, type ExplainContext } from "./explain.js";
export { describePermission, parseScopes, permissionSetting, streamNeeds, type StreamNeeds } from "./permissions.js";
export { parsePrivateKey } from "./app-auth.js";
export { responseText } from "./http.js";
export type { RateBudget, Sleep } from "./rate-limits.js";
export { tokenKindLabel, tokenKindOf, type TokenKind } from "./token-kind.js";
