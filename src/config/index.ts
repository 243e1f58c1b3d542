// The configuration module's public surface: load and validate, the schema, and client options per org.
export { loadConfig, type Config, type ConfigSource, type LoadConfigOptions } from "./load.js";
export { configSchema, createConfigSchema } from "./schema.js";
export type { AuthConfig, ConfigInput, EnterpriseConfig, OrgConfig, ParsedConfig, StoreConfig } from "./schema.js";
export type { ConfigFlags, Env, Problem } from "./sources.js";
export { formatDuration, parseDuration } from "./duration.js";
export { authFor, githubClientOptions, type Target } from "./github.js";
