// Facts about GitHub's API that both the collector and the emulator rely on (one definition for both).

/**
 * Secret scanning's non-provider ("generic") patterns: alert lists leave them out unless `secret_type` names them
 * (docs: "All default secret patterns are returned. To return generic patterns, pass the token name(s)").
 */
export const GENERIC_SECRET_TYPES: readonly string[] = [
  "http_basic_authentication_header",
  "http_bearer_authentication_header",
  "mongodb_connection_string",
  "mysql_connection_string",
  "openssh_private_key",
  "pgp_private_key",
  "postgres_connection_string",
  "rsa_private_key",
  "ec_private_key",
  "password",
];
