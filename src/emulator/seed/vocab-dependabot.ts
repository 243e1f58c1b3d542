// Dependabot vocabulary: ecosystems with real package names and manifest paths, CWE weaknesses and advisory summaries.

export interface EcosystemInfo {
  /** [package name, major version line]. */
  packages: readonly (readonly [string, number])[];
  manifests: readonly string[];
  /** Whether Dependabot reports `direct`/`transitive` for this ecosystem (otherwise `unknown`). */
  relationships: boolean;
}

export const ECOSYSTEMS: Readonly<Record<string, EcosystemInfo>> = {
  npm: {
    packages: [["lodash", 4], ["minimist", 1], ["axios", 1], ["express", 4], ["jsonwebtoken", 9], ["follow-redirects", 1], ["semver", 7], ["ws", 8], ["tar", 6], ["braces", 3], ["micromatch", 4], ["undici", 6], ["next", 14], ["vite", 5], ["webpack-dev-middleware", 7], ["path-to-regexp", 0], ["cookie", 0], ["body-parser", 1], ["send", 0], ["cross-spawn", 7], ["nanoid", 3], ["postcss", 8], ["serialize-javascript", 6], ["dompurify", 3], ["ip", 2]],
    manifests: ["package-lock.json", "package-lock.json", "yarn.lock", "web/package-lock.json", "packages/api/package-lock.json", "package.json"],
    relationships: true,
  },
  pip: {
    packages: [["django", 4], ["requests", 2], ["urllib3", 2], ["jinja2", 3], ["pillow", 10], ["cryptography", 42], ["flask", 2], ["werkzeug", 3], ["pyyaml", 6], ["aiohttp", 3], ["certifi", 2024], ["idna", 3], ["setuptools", 69], ["gunicorn", 22], ["sqlparse", 0], ["tornado", 6]],
    manifests: ["requirements.txt", "poetry.lock", "Pipfile.lock", "requirements/prod.txt", "uv.lock"],
    relationships: true,
  },
  maven: {
    packages: [["org.springframework:spring-web", 6], ["com.fasterxml.jackson.core:jackson-databind", 2], ["org.apache.logging.log4j:log4j-core", 2], ["org.yaml:snakeyaml", 2], ["io.netty:netty-codec-http2", 4], ["org.apache.commons:commons-text", 1], ["com.google.protobuf:protobuf-java", 3], ["ch.qos.logback:logback-classic", 1], ["org.postgresql:postgresql", 42], ["org.apache.tomcat.embed:tomcat-embed-core", 10], ["org.springframework.security:spring-security-core", 6]],
    manifests: ["pom.xml", "services/core/pom.xml", "build.gradle", "app/build.gradle.kts"],
    relationships: true,
  },
  go: {
    packages: [["golang.org/x/net", 0], ["golang.org/x/crypto", 0], ["github.com/golang-jwt/jwt/v4", 4], ["google.golang.org/grpc", 1], ["google.golang.org/protobuf", 1], ["github.com/gin-gonic/gin", 1], ["github.com/docker/docker", 26], ["github.com/opencontainers/runc", 1], ["golang.org/x/text", 0], ["github.com/go-git/go-git/v5", 5], ["github.com/hashicorp/go-retryablehttp", 0]],
    manifests: ["go.mod", "tools/go.mod"],
    relationships: true,
  },
  rubygems: {
    packages: [["actionpack", 7], ["activerecord", 7], ["nokogiri", 1], ["rack", 3], ["puma", 6], ["loofah", 2], ["rails-html-sanitizer", 1], ["rexml", 3], ["net-imap", 0], ["devise", 4]],
    manifests: ["Gemfile.lock"],
    relationships: false,
  },
  nuget: {
    packages: [["Newtonsoft.Json", 13], ["System.Text.Json", 8], ["Microsoft.Data.SqlClient", 5], ["System.Net.Http", 4], ["Azure.Identity", 1], ["Microsoft.AspNetCore.Http", 2], ["System.Drawing.Common", 8], ["MessagePack", 2]],
    manifests: ["src/Api/Api.csproj", "packages.lock.json", "src/Core/packages.lock.json"],
    relationships: false,
  },
  composer: {
    packages: [["laravel/framework", 11], ["symfony/http-kernel", 6], ["guzzlehttp/guzzle", 7], ["guzzlehttp/psr7", 2], ["twig/twig", 3], ["phpmailer/phpmailer", 6], ["league/commonmark", 2], ["monolog/monolog", 3]],
    manifests: ["composer.lock"],
    relationships: false,
  },
  rust: {
    packages: [["openssl", 0], ["h2", 0], ["tokio", 1], ["hyper", 1], ["time", 0], ["regex", 1], ["smallvec", 1], ["rustls", 0], ["crossbeam-channel", 0], ["idna", 0]],
    manifests: ["Cargo.lock"],
    relationships: true,
  },
  actions: {
    packages: [["tj-actions/changed-files", 45], ["actions/download-artifact", 4], ["reviewdog/action-setup", 1]],
    manifests: [".github/workflows/ci.yml", ".github/workflows/release.yml"],
    relationships: true,
  },
};

/** [CWE number, name, summary template with `{pkg}`]. */
export const WEAKNESSES: readonly (readonly [number, string, string])[] = [
  [89, "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')", "{pkg} vulnerable to SQL Injection"],
  [79, "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')", "{pkg} Cross-site Scripting vulnerability"],
  [22, "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')", "Path traversal in {pkg}"],
  [1321, "Improperly Controlled Modification of Object Prototype Attributes ('Prototype Pollution')", "Prototype Pollution in {pkg}"],
  [1333, "Inefficient Regular Expression Complexity", "Regular Expression Denial of Service (ReDoS) in {pkg}"],
  [918, "Server-Side Request Forgery (SSRF)", "{pkg} vulnerable to Server-Side Request Forgery"],
  [20, "Improper Input Validation", "Improper Input Validation in {pkg}"],
  [400, "Uncontrolled Resource Consumption", "{pkg} Denial of Service via uncontrolled resource consumption"],
  [502, "Deserialization of Untrusted Data", "Deserialization of Untrusted Data in {pkg}"],
  [601, "URL Redirection to Untrusted Site ('Open Redirect')", "Open Redirect in {pkg}"],
  [295, "Improper Certificate Validation", "Improper Certificate Validation in {pkg}"],
  [200, "Exposure of Sensitive Information to an Unauthorized Actor", "{pkg} exposes sensitive information to an unauthorized actor"],
  [674, "Uncontrolled Recursion", "Uncontrolled Recursion in {pkg}"],
  [444, "Inconsistent Interpretation of HTTP Requests ('HTTP Request/Response Smuggling')", "HTTP Request Smuggling in {pkg}"],
  [862, "Missing Authorization", "Missing Authorization in {pkg}"],
  [327, "Use of a Broken or Risky Cryptographic Algorithm", "{pkg} uses a broken or risky cryptographic algorithm"],
  [787, "Out-of-bounds Write", "Out-of-bounds Write in {pkg}"],
  [863, "Incorrect Authorization", "Incorrect Authorization in {pkg}"],
  [78, "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')", "Command Injection in {pkg}"],
  [611, "Improper Restriction of XML External Entity Reference", "XML External Entity (XXE) Injection in {pkg}"],
  [770, "Allocation of Resources Without Limits or Throttling", "{pkg} allows unbounded resource allocation"],
  [94, "Improper Control of Generation of Code ('Code Injection')", "Code Injection in {pkg}"],
  [506, "Embedded Malicious Code", "{pkg} contains embedded malicious code"],
];
