// Word lists for the seeded world: people, countries, companies, org and repo names, teams, user agents, comments.

export const FIRST_NAMES = [
  "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj", "olivia",
  "peggy", "rupert", "sybil", "trent", "victor", "walter", "yara", "zoe", "amir", "priya", "arjun", "ananya", "wei",
  "li", "hiroshi", "yuki", "sven", "ingrid", "lars", "elena", "mateo", "lucia", "diego", "sofia", "jonas", "lena",
  "tomasz", "agnieszka", "pierre", "camille", "giulia", "marco", "fatima", "omar", "chidi", "ngozi", "kwame", "ama",
  "sean", "aoife", "ravi", "deepa", "kenji", "mei", "noah", "emma", "liam", "ava", "ethan", "mia", "lucas", "isla",
  "oskar", "freya", "mikhail", "olena", "andrei", "ioana", "joao", "beatriz", "carlos", "valentina", "tariq", "leila",
] as const;

export const LAST_NAMES = [
  "smith", "johnson", "nguyen", "garcia", "martinez", "chen", "wang", "kumar", "patel", "singh", "muller", "schmidt",
  "schneider", "fischer", "kowalski", "nowak", "dubois", "martin", "rossi", "russo", "tanaka", "sato", "suzuki", "kim",
  "lee", "park", "oconnor", "murphy", "walsh", "andersson", "johansson", "nielsen", "hansen", "silva", "santos",
  "oliveira", "fernandez", "lopez", "gonzalez", "perez", "ivanov", "petrov", "shevchenko", "popescu", "cohen", "levi",
  "okafor", "adeyemi", "mensah", "haddad", "khan", "ali", "ahmed", "brown", "taylor", "wilson", "evans", "thomas",
  "roberts", "walker", "wright", "hughes", "green", "baker", "carter", "mitchell", "turner", "collins", "stewart",
  "morris", "reed", "cook", "bell", "cooper", "ward", "bailey", "jensen", "berg", "lindqvist", "novak", "horvat",
] as const;

/** Weighted ISO 3166 countries (code, name, weight): where a developer population tends to sit. */
export const COUNTRIES: readonly (readonly [string, string, number])[] = [
  ["US", "United States", 30], ["IN", "India", 10], ["DE", "Germany", 8], ["GB", "United Kingdom", 8],
  ["CA", "Canada", 5], ["FR", "France", 4], ["BR", "Brazil", 4], ["NL", "Netherlands", 3], ["PL", "Poland", 3],
  ["ES", "Spain", 2], ["SE", "Sweden", 2], ["JP", "Japan", 2], ["AU", "Australia", 2], ["IE", "Ireland", 2],
  ["UA", "Ukraine", 2], ["PT", "Portugal", 1], ["IL", "Israel", 1], ["SG", "Singapore", 1], ["CH", "Switzerland", 1],
  ["MX", "Mexico", 1], ["NG", "Nigeria", 1], ["AR", "Argentina", 1], ["RO", "Romania", 1], ["KR", "South Korea", 1],
  ["DK", "Denmark", 1], ["FI", "Finland", 1], ["IT", "Italy", 1], ["CZ", "Czechia", 1], ["ZA", "South Africa", 1],
];

/** Company slug and display name; orgs are named `<slug>-<suffix>`. */
export const COMPANIES: readonly (readonly [string, string])[] = [
  ["acme", "Acme Corporation"], ["globex", "Globex Corporation"], ["initech", "Initech"], ["umbrella", "Umbrella Corp"],
  ["hooli", "Hooli"], ["soylent", "Soylent Industries"], ["cyberdyne", "Cyberdyne Systems"], ["tyrell", "Tyrell Corp"],
  ["wonka", "Wonka Industries"], ["vandelay", "Vandelay Industries"], ["aperture", "Aperture Science"],
  ["contoso", "Contoso Ltd"], ["fabrikam", "Fabrikam Inc"], ["northwind", "Northwind Traders"],
  ["tailspin", "Tailspin Toys"], ["oscorp", "Oscorp Industries"], ["massive-dynamic", "Massive Dynamic"],
  ["piedpiper", "Pied Piper"], ["dunder-mifflin", "Dunder Mifflin"], ["stark", "Stark Industries"],
];

export const ORG_SUFFIXES = [
  "platform", "payments", "mobile", "data", "security", "labs", "infra", "oss", "web", "ml", "devtools", "partners",
  "research", "internal-tools",
] as const;

export const REPO_DOMAINS = [
  "payments", "checkout", "billing", "auth", "identity", "search", "catalog", "inventory", "orders", "notifications",
  "analytics", "reporting", "gateway", "ledger", "pricing", "shipping", "onboarding", "profile", "messaging",
  "scheduler", "recommendations", "fraud", "audit", "admin", "customer", "partner", "media", "storage", "metrics",
  "events", "feature-flags", "subscriptions", "invoicing", "loyalty", "support", "maps", "booking", "wallet",
] as const;

export const REPO_KINDS = [
  "api", "service", "web", "frontend", "worker", "ui", "sdk", "cli", "infra", "terraform", "helm-charts", "lib",
  "pipeline", "jobs", "app", "backend", "proxy", "docs", "e2e-tests", "etl", "consumer", "dashboard",
] as const;

export const REPO_SINGLETONS = [
  ".github", "docs", "infrastructure", "design-system", "monorepo", "platform-tools", "android-app", "ios-app",
  "website", "terraform-modules", "shared-workflows", "developer-portal", "security-policies", "k8s-manifests",
] as const;

export const REPO_DESCRIPTIONS = [
  "Public HTTP API", "Background job processing", "Customer-facing web application", "Internal admin console",
  "Shared client library", "Infrastructure as code", "Deployment manifests", "Event consumers", null, null,
] as const;

export const TEAMS = [
  "platform", "security", "frontend", "backend", "sre", "data-eng", "mobile", "qa", "devex", "payments-core",
  "identity", "release-managers", "architects", "interns",
] as const;

export const BROWSER_AGENTS = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 Edg/127.0.0.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:130.0) Gecko/20100101 Firefox/130.0",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
] as const;

export const API_AGENTS = [
  "octokit-rest.js/21.0.2 octokit-core.js/6.1.2 Node.js/20",
  "GitHub CLI 2.58.0",
  "Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-github/6.3.0",
  "python-requests/2.32.3",
  "PyGithub/Python",
  "go-github/v65",
  "curl/8.7.1",
] as const;

export const GIT_AGENTS = ["git/2.46.0", "git/2.43.0", "git/2.39.5 (Apple Git-154)", "git/2.45.2.windows.1", "JGit/6.10"] as const;

export const CODE_SCANNING_DISMISS_COMMENTS = [
  "Input is validated by the request schema before it reaches this call.",
  "Only reachable from the admin CLI, which runs with operator credentials.",
  "Test fixture, never deployed.",
  "Sanitized by the ORM layer; see docs/security.md.",
  "Accepted risk, tracked in SEC-1432.",
  "Legacy code scheduled for removal next quarter.",
  "False positive: the path is built from a constant allow-list.",
] as const;

export const DEPENDABOT_DISMISS_COMMENTS = [
  "Only used in the build toolchain, not shipped.",
  "The vulnerable function is not called by our code.",
  "Upgrade blocked by a breaking API change, tracked in JIRA-2231.",
  "Fix is in progress in the next release branch.",
  "Risk accepted by the security team until the migration completes.",
] as const;

export const SECRET_RESOLVE_COMMENTS = [
  "Rotated the key and removed it from history.",
  "This is a dummy value used in unit tests.",
  "Key was already expired.",
  "Not a real credential, example from the vendor docs.",
  "Revoked by the provider after notification.",
] as const;

export const BYPASS_COMMENTS = [
  "It's used in tests",
  "It's a false positive",
  "I'll fix it later",
] as const;

export const ACTIONS_SECRET_NAMES = [
  "NPM_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "SLACK_WEBHOOK_URL", "DOCKERHUB_TOKEN", "SONAR_TOKEN",
  "SENTRY_AUTH_TOKEN", "GCP_SA_KEY", "DEPLOY_KEY", "CODECOV_TOKEN", "PYPI_API_TOKEN", "AZURE_CREDENTIALS",
] as const;

export const OAUTH_APPS = ["Jenkins CI", "Internal Dashboard", "Backstage", "Release Bot", "Grafana"] as const;

export const INTEGRATIONS = ["renovate", "snyk", "codecov", "slack", "sentry-io", "linear", "vercel", "sonarcloud", "jira-cloud"] as const;

export const WORKFLOW_NAMES = ["CI", "Build and test", "Deploy", "Release", "CodeQL", "Lint", "Nightly", "Dependency Review"] as const;

export const DELETED_REPO_NAMES = ["old-prototype", "hackathon-2023", "poc-graphql", "tmp-migration", "legacy-portal", "test-repo", "demo-app"] as const;
