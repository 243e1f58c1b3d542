// Secret scanning vocabulary: real secret type slugs, display names, providers, and generators for plausible secret values.
import { base62, githubToken, hex, randomChars } from "./ids.js";
import type { Rng } from "./rng.js";

const ALNUM_UP = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const HEX = "0123456789abcdef";
const LOWER_NUM = "abcdefghijklmnopqrstuvwxyz0123456789";

export interface SecretType {
  type: string;
  displayName: string;
  /** `null` for non-provider patterns (private keys, connection strings, …). */
  provider: string | null;
  providerSlug: string | null;
  /** Relative frequency. */
  weight: number;
  /** Whether GitHub can check validity with the provider. */
  validity: boolean;
  make(rng: Rng): string;
}

export const SECRET_TYPES: readonly SecretType[] = [
  { type: "github_personal_access_token", displayName: "GitHub Personal Access Token", provider: "GitHub", providerSlug: "github", weight: 14, validity: true, make: (r) => githubToken(r, "ghp") },
  { type: "github_oauth_access_token", displayName: "GitHub OAuth Access Token", provider: "GitHub", providerSlug: "github", weight: 3, validity: true, make: (r) => githubToken(r, "gho") },
  { type: "github_app_installation_access_token", displayName: "GitHub App Installation Access Token", provider: "GitHub", providerSlug: "github", weight: 2, validity: true, make: (r) => githubToken(r, "ghs") },
  { type: "aws_access_key_id", displayName: "AWS Access Key ID", provider: "Amazon AWS", providerSlug: "aws", weight: 10, validity: true, make: (r) => `AKIA${randomChars(r, ALNUM_UP, 16)}` },
  { type: "aws_secret_access_key", displayName: "AWS Secret Access Key", provider: "Amazon AWS", providerSlug: "aws", weight: 6, validity: true, make: (r) => randomChars(r, B64, 40) },
  { type: "slack_api_token", displayName: "Slack API Token", provider: "Slack", providerSlug: "slack", weight: 7, validity: true, make: (r) => `xoxb-${r.int(1e11, 9e11)}-${r.int(1e12, 9e12)}-${base62(r, 24)}` },
  { type: "slack_incoming_webhook_url", displayName: "Slack Incoming Webhook URL", provider: "Slack", providerSlug: "slack", weight: 4, validity: true, make: (r) => `https://hooks.slack.com/services/T${randomChars(r, ALNUM_UP, 8)}/B${randomChars(r, ALNUM_UP, 10)}/${base62(r, 24)}` },
  { type: "stripe_api_key", displayName: "Stripe API Key", provider: "Stripe", providerSlug: "stripe", weight: 4, validity: true, make: (r) => `sk_live_${base62(r, 99)}` },
  { type: "stripe_test_secret_key", displayName: "Stripe Test API Secret Key", provider: "Stripe", providerSlug: "stripe", weight: 4, validity: false, make: (r) => `sk_test_${base62(r, 99)}` },
  { type: "google_api_key", displayName: "Google API Key", provider: "Google Cloud", providerSlug: "google_cloud", weight: 8, validity: true, make: (r) => `AIza${randomChars(r, B64.slice(0, 62) + "-_", 35)}` },
  { type: "google_cloud_private_key_id", displayName: "Google Cloud Private Key ID", provider: "Google Cloud", providerSlug: "google_cloud", weight: 3, validity: false, make: (r) => hex(r, 40) },
  { type: "azure_storage_account_key", displayName: "Azure Storage Account Key", provider: "Azure", providerSlug: "azure", weight: 5, validity: true, make: (r) => `${randomChars(r, B64, 86)}==` },
  { type: "azure_devops_personal_access_token", displayName: "Azure DevOps Personal Access Token", provider: "Azure", providerSlug: "azure", weight: 2, validity: true, make: (r) => randomChars(r, "abcdefghijklmnopqrstuvwxyz234567", 52) },
  { type: "npm_access_token", displayName: "npm Access Token", provider: "npm", providerSlug: "npm", weight: 4, validity: true, make: (r) => `npm_${base62(r, 36)}` },
  { type: "pypi_api_token", displayName: "PyPI API Token", provider: "Python Package Index", providerSlug: "pypi", weight: 2, validity: true, make: (r) => `pypi-AgEIcHlwaS5vcmc${randomChars(r, B64.slice(0, 62) + "-_", 60)}` },
  { type: "openai_api_key", displayName: "OpenAI API Key", provider: "OpenAI", providerSlug: "openai", weight: 5, validity: true, make: (r) => `sk-proj-${randomChars(r, B64.slice(0, 62) + "-_", 48)}T3BlbkFJ${randomChars(r, B64.slice(0, 62) + "-_", 48)}` },
  { type: "twilio_api_key", displayName: "Twilio API Key", provider: "Twilio", providerSlug: "twilio", weight: 2, validity: false, make: (r) => `SK${randomChars(r, HEX, 32)}` },
  { type: "sendgrid_api_key", displayName: "SendGrid API Key", provider: "Twilio SendGrid", providerSlug: "sendgrid", weight: 2, validity: true, make: (r) => `SG.${base62(r, 22)}.${base62(r, 43)}` },
  { type: "datadog_api_key", displayName: "Datadog API Key", provider: "Datadog", providerSlug: "datadog", weight: 2, validity: false, make: (r) => randomChars(r, HEX, 32) },
  { type: "rsa_private_key", displayName: "RSA Private Key", provider: null, providerSlug: null, weight: 3, validity: false, make: (r) => `-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA${randomChars(r, B64, 64)}\n-----END RSA PRIVATE KEY-----` },
  { type: "openssh_private_key", displayName: "OpenSSH Private Key", provider: null, providerSlug: null, weight: 2, validity: false, make: (r) => `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA${randomChars(r, B64, 64)}\n-----END OPENSSH PRIVATE KEY-----` },
  { type: "postgres_connection_string", displayName: "PostgreSQL Connection String", provider: null, providerSlug: null, weight: 3, validity: false, make: (r) => `postgres://app:${base62(r, 16)}@db-${randomChars(r, LOWER_NUM, 6)}.internal:5432/app` },
  { type: "http_basic_authentication_header", displayName: "HTTP Basic Authentication Header", provider: null, providerSlug: null, weight: 2, validity: false, make: (r) => `Authorization: Basic ${randomChars(r, B64, 28)}=` },
  { type: "password", displayName: "Password", provider: null, providerSlug: null, weight: 3, validity: false, make: (r) => `${base62(r, 12)}!${r.int(10, 99)}` },
];

export const SECRET_TYPE_WEIGHTS: readonly (readonly [SecretType, number])[] = SECRET_TYPES.map((t) => [t, t.weight] as const);

export const SECRET_FILES = [
  "config/settings.py", ".env", ".env.production", "deploy/values.yaml", "src/config.ts", "scripts/deploy.sh",
  "docker-compose.yml", "terraform/providers.tf", "README.md", "test/fixtures/credentials.json", "app/config/secrets.yml",
  ".github/workflows/deploy.yml", "notebooks/exploration.ipynb", "src/main/resources/application.properties",
] as const;
