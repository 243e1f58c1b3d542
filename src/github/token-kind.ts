// What kind of credential a token is (from GitHub's prefixes), and how to name it in a sentence.

export type TokenKind = "classic" | "fine-grained" | "oauth" | "installation" | "app-user" | "app" | "unknown";

/** GitHub's token prefixes (docs: "About authentication with GitHub"); `app` = a GitHub App configured by key. */
export function tokenKindOf(token: string): TokenKind {
  if (token.startsWith("github_pat_")) return "fine-grained";
  if (token.startsWith("ghp_")) return "classic";
  if (token.startsWith("gho_")) return "oauth";
  if (token.startsWith("ghs_")) return "installation";
  if (token.startsWith("ghu_")) return "app-user";
  return "unknown";
}

const LABELS: Record<TokenKind, string> = {
  classic: "classic personal access token",
  "fine-grained": "fine-grained personal access token",
  oauth: "OAuth token",
  installation: "GitHub App installation token",
  "app-user": "GitHub App user token",
  app: "GitHub App",
  unknown: "token",
};

export function tokenKindLabel(kind: TokenKind): string {
  return LABELS[kind];
}

/** Whether the credential is governed by App-style permissions (fine-grained names) rather than classic scopes. */
export function usesPermissions(kind: TokenKind): boolean {
  return kind === "fine-grained" || kind === "installation" || kind === "app" || kind === "app-user";
}
