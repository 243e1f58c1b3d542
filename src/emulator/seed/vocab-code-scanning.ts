// Code scanning vocabulary: CodeQL languages, real CodeQL query ids with their CWE tags, and a few third-party SARIF tools.
import type { CodeScanningAlert } from "../state/types.js";

export type CodeScanningRule = CodeScanningAlert["rule"];
export type CodeScanningTool = CodeScanningAlert["tool"];
export type RuleSeverity = "note" | "warning" | "error";
export type SecuritySeverity = "low" | "medium" | "high" | "critical";

export interface LanguageInfo {
  /** CodeQL language id (as in the analysis `category`, `/language:<id>`). */
  codeql: string;
  /** Dependabot ecosystem of the language's manifests, if any. */
  ecosystem: string | null;
  ext: string;
  dirs: readonly string[];
  files: readonly string[];
}

export const LANGUAGES: Readonly<Record<string, LanguageInfo>> = {
  js: { codeql: "javascript-typescript", ecosystem: "npm", ext: "ts", dirs: ["src/routes", "src/server", "src/lib", "app/controllers", "packages/api/src", "web/src/components", "test/fixtures"], files: ["users", "auth", "upload", "search", "template", "export", "proxy", "session", "db", "render"] },
  py: { codeql: "python", ecosystem: "pip", ext: "py", dirs: ["app", "app/api", "services", "scripts", "src/worker", "tests"], files: ["views", "models", "tasks", "handlers", "utils", "storage", "reports", "auth"] },
  java: { codeql: "java-kotlin", ecosystem: "maven", ext: "java", dirs: ["src/main/java/com/example/api", "src/main/java/com/example/service", "src/main/java/com/example/web", "src/test/java/com/example"], files: ["UserController", "ReportService", "FileResource", "AuthFilter", "SearchRepository", "ExportJob"] },
  go: { codeql: "go", ecosystem: "go", ext: "go", dirs: ["cmd/server", "internal/api", "internal/store", "pkg/client", "internal/worker"], files: ["handler", "server", "store", "archive", "client", "config"] },
  rb: { codeql: "ruby", ecosystem: "rubygems", ext: "rb", dirs: ["app/controllers", "app/models", "lib", "app/jobs", "spec"], files: ["users_controller", "search_controller", "report", "importer", "session_helper"] },
  cs: { codeql: "csharp", ecosystem: "nuget", ext: "cs", dirs: ["src/Api/Controllers", "src/Core/Services", "src/Web/Pages", "tests/Api.Tests"], files: ["AccountController", "FileService", "ReportBuilder", "SessionManager", "QueryHandler"] },
  rust: { codeql: "rust", ecosystem: "rust", ext: "rs", dirs: ["src", "src/handlers", "crates/core/src"], files: ["main", "db", "routes", "auth", "config"] },
  php: { codeql: "", ecosystem: "composer", ext: "php", dirs: ["src/Controller", "app/Http/Controllers", "public", "src/Service"], files: ["UserController", "index", "ReportController", "Mailer"] },
  actions: { codeql: "actions", ecosystem: "actions", ext: "yml", dirs: [".github/workflows"], files: ["ci", "release", "deploy", "pr-checks", "nightly"] },
};

type RuleRow = readonly [lang: string, id: string, description: string, severity: RuleSeverity, level: SecuritySeverity | null, cwes: string, message: string];

/** [language key, query id, description, rule severity, security severity, CWE numbers, alert message]. */
const CODEQL_RULES: readonly RuleRow[] = [
  ["js", "js/sql-injection", "Database query built from user-controlled sources", "error", "high", "089 090 943", "This query string depends on a user-provided value."],
  ["js", "js/xss", "Client-side cross-site scripting", "error", "high", "079 116", "Cross-site scripting vulnerability due to user-provided value."],
  ["js", "js/path-injection", "Uncontrolled data used in path expression", "error", "high", "022 023 036 073 099", "This path depends on a user-provided value."],
  ["js", "js/code-injection", "Code injection", "error", "critical", "094 095 079 116", "This code execution depends on a user-provided value."],
  ["js", "js/prototype-pollution-utility", "Prototype-polluting function", "warning", "medium", "078 079 094 400 471 915", "Properties are copied from source to destination without guarding against prototype pollution."],
  ["js", "js/missing-rate-limiting", "Missing rate limiting", "warning", "high", "770 307 400", "This route handler performs a database access, but is not rate-limited."],
  ["js", "js/insecure-randomness", "Insecure randomness", "warning", "high", "338", "This uses a cryptographically insecure random number generated at Math.random() in a security context."],
  ["js", "js/regex/missing-regexp-anchor", "Missing regular expression anchor", "warning", "medium", "020", "This hostname pattern may match any domain name, as it is missing a '$' or '/' at the end."],
  ["js", "js/log-injection", "Log injection", "error", "medium", "117", "Log entry depends on a user-provided value."],
  ["js", "js/clear-text-logging", "Clear-text logging of sensitive information", "error", "high", "312 359 532", "This logs sensitive data returned by an access to password as clear text."],
  ["js", "js/client-exposed-cookie", "Sensitive server cookie exposed to the client", "warning", "low", "1004", "Sensitive server cookie is missing 'httpOnly' flag."],
  ["js", "js/unused-local-variable", "Unused variable, import, function or class", "note", null, "", "Unused variable result."],
  ["py", "py/sql-injection", "SQL query built from user-controlled sources", "error", "high", "089", "This SQL query depends on a user-provided value."],
  ["py", "py/path-injection", "Uncontrolled data used in path expression", "error", "high", "022 023 036 073 099", "This path depends on a user-provided value."],
  ["py", "py/command-line-injection", "Uncontrolled command line", "error", "critical", "078 088", "This command line depends on a user-provided value."],
  ["py", "py/unsafe-deserialization", "Deserialization of user-controlled data", "error", "critical", "502", "Unsafe deserialization depends on a user-provided value."],
  ["py", "py/flask-debug", "Flask app is run in debug mode", "error", "high", "215 489", "A Flask app appears to be run in debug mode. This may allow an attacker to run arbitrary code through the debugger."],
  ["py", "py/clear-text-logging-sensitive-data", "Clear-text logging of sensitive information", "error", "high", "312 359 532", "This expression logs sensitive data (password) as clear text."],
  ["py", "py/weak-sensitive-data-hashing", "Use of a broken or weak cryptographic hashing algorithm on sensitive data", "warning", "high", "327 328 916", "Sensitive data (password) is used in a hashing algorithm (MD5) that is insecure for password hashing."],
  ["py", "py/stack-trace-exposure", "Information exposure through an exception", "error", "medium", "209 497", "Stack trace information flows to this location and may be exposed to an external user."],
  ["py", "py/url-redirection", "URL redirection from remote source", "error", "medium", "601", "Untrusted URL redirection depends on a user-provided value."],
  ["py", "py/insecure-cookie", "Failure to use secure cookies", "warning", "low", "614 1004 1275", "Cookie is added without the Secure and HttpOnly attributes properly set."],
  ["py", "py/unused-import", "Unused import", "note", null, "", "Import of 'os' is not used."],
  ["java", "java/sql-injection", "Query built from user-controlled sources", "error", "high", "089 564", "This query depends on a user-provided value."],
  ["java", "java/xss", "Cross-site scripting", "error", "medium", "079", "Cross-site scripting vulnerability due to a user-provided value."],
  ["java", "java/unsafe-deserialization", "Deserialization of user-controlled data", "error", "critical", "502", "Unsafe deserialization depends on a user-provided value."],
  ["java", "java/ssrf", "Server-side request forgery", "error", "critical", "918", "Potential server-side request forgery due to a user-provided value."],
  ["java", "java/path-injection", "Uncontrolled data used in path expression", "error", "high", "022 023 036 073", "This path depends on a user-provided value."],
  ["java", "java/spring-disabled-csrf-protection", "Disabled Spring CSRF protection", "error", "high", "352", "CSRF vulnerability due to protection being disabled."],
  ["java", "java/insecure-cookie", "Failure to use secure cookies", "error", "medium", "614", "Cookie is added to response without the 'secure' flag being set."],
  ["java", "java/weak-cryptographic-algorithm", "Use of a broken or risky cryptographic algorithm", "warning", "high", "327 328", "Cryptographic algorithm DES is weak and should not be used."],
  ["go", "go/sql-injection", "Database query built from user-controlled sources", "error", "high", "089", "This query depends on a user-provided value."],
  ["go", "go/path-injection", "Uncontrolled data used in path expression", "error", "high", "022 023 036 073 099", "This path depends on a user-provided value."],
  ["go", "go/request-forgery", "Uncontrolled data used in network request", "error", "critical", "918", "The URL of this request depends on a user-provided value."],
  ["go", "go/incorrect-integer-conversion", "Incorrect conversion between integer types", "error", "high", "190 681", "Incorrect conversion of an integer with architecture-dependent bit size from strconv.Atoi to a lower bit size type int32 without an upper bound check."],
  ["go", "go/log-injection", "Log entries created from user input", "error", "medium", "117", "This log entry depends on a user-provided value."],
  ["go", "go/disabled-certificate-check", "Disabled TLS certificate check", "warning", "high", "295", "InsecureSkipVerify should not be used in production code."],
  ["go", "go/zipslip", "Arbitrary file access during archive extraction (\"Zip Slip\")", "error", "high", "022", "Unsanitized archive entry, which may contain '..', is used in a file system operation."],
  ["rb", "rb/sql-injection", "SQL query built from user-controlled sources", "error", "high", "089", "This SQL query depends on a user-provided value."],
  ["rb", "rb/reflected-xss", "Reflected server-side cross-site scripting", "error", "medium", "079 116", "Cross-site scripting vulnerability due to a user-provided value."],
  ["rb", "rb/command-line-injection", "Uncontrolled command line", "error", "critical", "078 088", "This command depends on a user-provided value."],
  ["rb", "rb/unsafe-deserialization", "Deserialization of user-controlled data", "warning", "critical", "502", "Unsafe deserialization depends on a user-provided value."],
  ["rb", "rb/csrf-protection-disabled", "CSRF protection weakened or disabled", "warning", "high", "352", "Potential CSRF vulnerability due to forgery protection being disabled or weakened."],
  ["rb", "rb/weak-cookie-configuration", "Weak cookie configuration", "warning", "low", "732 1275", "Storing cookies without the SameSite attribute is insecure."],
  ["cs", "cs/sql-injection", "SQL query built from user-controlled sources", "error", "high", "089", "This query depends on a user-provided value."],
  ["cs", "cs/web/xss", "Cross-site scripting", "error", "medium", "079 116", "This HTML or JavaScript write depends on a user-provided value."],
  ["cs", "cs/path-injection", "Uncontrolled data used in path expression", "error", "high", "022 023 036 073 099", "This path depends on a user-provided value."],
  ["cs", "cs/unsafe-deserialization-untrusted-input", "Deserialization of untrusted data", "error", "critical", "502", "Unsafe deserializer is used on data from a user-provided value."],
  ["cs", "cs/web/cookie-httponly-not-set", "'HttpOnly' attribute is not set to true", "warning", "low", "1004", "Cookie attribute 'HttpOnly' is not set to true."],
  ["cs", "cs/log-forging", "Log entries created from user input", "error", "medium", "117", "This log entry depends on a user-provided value."],
  ["rust", "rust/sql-injection", "Database query built from user-controlled sources", "error", "high", "089", "This query depends on a user-provided value."],
  ["rust", "rust/cleartext-logging", "Cleartext logging of sensitive information", "warning", "high", "312 359 532", "This operation writes a password to a log file."],
  ["rust", "rust/request-forgery", "Server-side request forgery", "error", "high", "918", "The URL of this request depends on a user-provided value."],
  ["rust", "rust/hard-coded-cryptographic-value", "Hard-coded cryptographic value", "warning", "medium", "259 321 798 1204", "This hard-coded value is used as a key."],
  ["actions", "actions/untrusted-checkout/critical", "Checkout of untrusted code in a privileged context", "error", "critical", "829", "Potential execution of untrusted code on a privileged workflow (pull_request_target)."],
  ["actions", "actions/code-injection/critical", "Code injection", "error", "critical", "094 095 116", "Potential code injection in ${{ github.event.pull_request.title }}, which may be controlled by an external user."],
  ["actions", "actions/missing-workflow-permissions", "Workflow does not contain permissions", "warning", "medium", "275", "Actions job or workflow does not limit the permissions of the GITHUB_TOKEN."],
  ["actions", "actions/unpinned-tag", "Unpinned tag for a non-immutable Action in workflow", "warning", "medium", "829", "Unpinned 3rd party Action 'release.yml' step uses 'softprops/action-gh-release' with ref 'v2', not a pinned commit hash."],
];

/** [tool name, version, rule id, description, severity, security severity, CWE numbers, message, language key or "any"]. */
const THIRD_PARTY: readonly (readonly [string, string, string, string, RuleSeverity, SecuritySeverity | null, string, string, string])[] = [
  ["Semgrep OSS", "1.97.0", "javascript.lang.security.audit.path-traversal.path-join-resolve-traversal.path-join-resolve-traversal", "Possible path traversal through path.join", "warning", "medium", "022", "Detected possible user input going into a `path.join` or `path.resolve` function.", "js"],
  ["Semgrep OSS", "1.97.0", "python.lang.security.audit.subprocess-shell-true.subprocess-shell-true", "subprocess call with shell=True", "error", "high", "078", "Found 'subprocess' function 'run' with 'shell=True'.", "py"],
  ["Semgrep OSS", "1.97.0", "php.lang.security.injection.tainted-sql-string.tainted-sql-string", "User data flows into a manually-constructed SQL string", "error", "high", "089", "User data flows into this manually-constructed SQL string.", "php"],
  ["Semgrep OSS", "1.97.0", "php.lang.security.unlink-use.unlink-use", "unlink() with user input", "warning", "medium", "022", "Using user input when deleting files with `unlink()` is potentially dangerous.", "php"],
  ["Semgrep OSS", "1.97.0", "generic.secrets.security.detected-generic-secret.detected-generic-secret", "Generic secret detected", "error", "high", "798", "Generic Secret detected", "any"],
  ["Trivy", "0.56.2", "AVD-DS-0002", "Image user should not be 'root'", "error", "high", "250", "Specify at least 1 USER command in Dockerfile with non-root user as argument", "any"],
  ["Trivy", "0.56.2", "AVD-AWS-0086", "S3 Access block should block public ACL", "error", "high", "284", "No public access block so not blocking public acls", "any"],
  ["ESLint", "8.57.0", "security/detect-object-injection", "Detects \"variable[key]\" as a left- or right-hand assignment operand.", "warning", null, "", "Generic Object Injection Sink", "js"],
  ["ESLint", "8.57.0", "security/detect-non-literal-fs-filename", "Detects variable in filename argument of \"fs\" calls.", "warning", null, "", "Found readFile from package \"fs\" with non literal argument at index 0", "js"],
];

export interface RuleDef {
  lang: string;
  rule: CodeScanningRule;
  tool: CodeScanningTool;
  message: string;
}

export const CODEQL_VERSIONS = ["2.18.4", "2.19.1", "2.19.3", "2.20.1", "2.20.4", "2.21.0"] as const;

const toolCache = new Map<string, CodeScanningTool>();
function tool(name: string, version: string): CodeScanningTool {
  const key = `${name}@${version}`;
  let t = toolCache.get(key);
  if (!t) toolCache.set(key, (t = { name, guid: null, version }));
  return t;
}

export function codeqlTool(version: string): CodeScanningTool {
  return tool("CodeQL", version);
}

function makeRule(id: string, description: string, severity: RuleSeverity, level: SecuritySeverity | null, cwes: string, helpUri: string): CodeScanningRule {
  const cweTags = cwes ? cwes.split(" ").map((c) => `external/cwe/cwe-${c}`) : [];
  const tags = level ? ["security", ...cweTags] : ["maintainability", "quality"];
  return {
    id,
    severity,
    security_severity_level: level,
    description,
    name: id,
    full_description: `${description}. Review the flagged code and apply the recommended fix.`,
    tags,
    help: `# ${description}\n${description}.\n\n## Recommendation\nValidate or sanitize the value before use.\n`,
    help_uri: helpUri,
  };
}

/** Shared rule objects: every alert of the same rule points at the same object (never mutate them). */
export const RULES: readonly RuleDef[] = [
  ...CODEQL_RULES.map(([lang, id, desc, sev, level, cwes, message]) => ({
    lang,
    rule: makeRule(id, desc, sev, level, cwes, `https://codeql.github.com/codeql-query-help/${LANGUAGES[lang]!.codeql.split("-")[0]}/${id.replace(/\//g, "-")}/`),
    tool: codeqlTool(CODEQL_VERSIONS[CODEQL_VERSIONS.length - 1]!),
    message,
  })),
  ...THIRD_PARTY.map(([name, version, id, desc, sev, level, cwes, message, lang]) => ({
    lang,
    rule: makeRule(id, desc, sev, level, cwes, name === "ESLint" ? "https://github.com/eslint-community/eslint-plugin-security" : name === "Trivy" ? `https://avd.aquasec.com/misconfig/${id.toLowerCase()}` : "https://semgrep.dev/r"),
    tool: tool(name, version),
    message,
  })),
];

export const THIRD_PARTY_WORKFLOWS: Readonly<Record<string, string>> = {
  "Semgrep OSS": ".github/workflows/semgrep.yml:semgrep",
  Trivy: ".github/workflows/trivy.yml:scan",
  ESLint: ".github/workflows/eslint.yml:eslint",
};
