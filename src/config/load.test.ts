// loadConfig: defaults, every problem reported at once with field paths, flags over env over file, App keys,
// interpolation, and a client built from the result talking to the emulator.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { AppError } from "../core/errors.js";
import { Secret } from "../core/secret.js";
import { createGitHubClient } from "../github/client.js";
import { startTestWorld } from "../github/test-world.js";
import { formatDuration, parseDuration } from "./duration.js";
import { githubClientOptions } from "./github.js";
import { loadConfig, type LoadConfigOptions } from "./load.js";

const dir = mkdtempSync(join(tmpdir(), "ghaudit-config-"));
let n = 0;
function file(text: string): string {
  const path = join(dir, `config-${++n}.yaml`);
  writeFileSync(path, text);
  return path;
}
function fails(options: LoadConfigOptions): AppError {
  try {
    loadConfig(options);
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.code, "config-invalid");
    assert.equal(err.exitCode, 78);
    return err;
  }
  assert.fail("expected the configuration to be rejected");
}

describe("loadConfig", () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("takes whole numbers written as text (from ${VAR} or a flag), and names the field and the flag when they are not", () => {
    const path = file("server:\n  port: ${PORT}\npoll:\n  rate_limit_threshold: ${THRESHOLD}\norgs:\n  - name: acme\n    auth:\n      app_id: ${APP}\n      installation_id: ${INST}\n      private_key: ${KEY}\n");
    const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const env = { PORT: "9000", THRESHOLD: "50", APP: "12", INST: "456", KEY: key };
    const config = loadConfig({ flags: { config: path }, env, cwd: dir });
    assert.equal(config.server.port, 9000);
    assert.equal(config.poll.rate_limit_threshold, 50);
    assert.equal(config.orgs[0]?.auth?.kind === "app" ? config.orgs[0].auth.installation_id : null, 456);
    assert.match(fails({ flags: { config: path, port: "abc" }, env, cwd: dir }).message, /server\.port: .*expected number.*\(from --port\)/);
    assert.match(fails({ flags: { config: path, port: "99999" }, env, cwd: dir }).message, /server\.port: .*65535.*\(from --port\)/);
    assert.equal(loadConfig({ flags: { config: path, port: "8181", interval: "1m" }, env, cwd: dir }).poll.interval, 60_000);
  });

  it("works with only GITHUB_TOKEN and --org, with documented defaults", () => {
    const config = loadConfig({ flags: { org: "acme" }, env: { GITHUB_TOKEN: "ghp_secretsecretsecretsecret0001" }, cwd: dir });
    assert.equal(config.source.file, null);
    assert.equal(config.github.api_url, "https://api.github.com");
    assert.ok(config.github.auth?.kind === "token" && config.github.auth.token instanceof Secret);
    assert.equal(config.github.auth.token.reveal(), "ghp_secretsecretsecretsecret0001");
    assert.deepEqual(config.orgs.map((o) => o.name), ["acme"]);
    assert.deepEqual(config.orgs[0]!.streams.audit_log, { enabled: true, include: "web", lookback: 86_400_000, overlap: 300_000 });
    assert.equal(config.orgs[0]!.streams.secret_scanning.enabled, true);
    assert.deepEqual(config.poll, { interval: 300_000, rate_limit_threshold: 100, reconcile_every: 86_400_000 });
    assert.equal(config.risk.secret_scanning_default, "HIGH");
    assert.deepEqual(config.store, { dialect: "sqlite", path: join(dir, "data/ghaudit.db") });
    assert.deepEqual(config.server, { host: "127.0.0.1", port: 8080 });
    assert.ok(!JSON.stringify(config).includes("secretsecret"), "secrets redact themselves");
  });

  it("reports every problem at once, each with its field path, and names the file", () => {
    const path = file(`
github:
  api_url: ftp://github.example.com
orgs:
  - acme
  - name: beta
    auth: { app_id: 12, private_key_path: keys/missing.pem }
    streams:
      audit_log: { include: everything, lookback: forever }
      dependabot: { enabeld: true }
      code_scanning: { interval: 0s }
poll: { interval: 5x }
risk: { secret_scanning_default: severe }
`);
    const err = fails({ flags: { config: path }, env: { GITHUB_TOKEN: "ghp_x" }, cwd: "/" });
    const expected = [
      "github.api_url: \"ftp://github.example.com\" must use https://",
      `orgs[1].auth.private_key_path: file not found (${join(dir, "keys/missing.pem")})`,
      "orgs[1].streams.audit_log.include: Invalid option",
      "orgs[1].streams.audit_log.lookback: \"forever\" is neither \"all\" nor a duration",
      "orgs[1].streams.dependabot.enabeld: unknown setting",
      "orgs[1].streams.code_scanning.interval: must be at least 10s",
      "poll.interval: \"5x\" is not a duration",
      "risk.secret_scanning_default: Invalid option",
    ];
    for (const line of expected) assert.ok(err.message.includes(`  - ${line}`), `missing: ${line}\n${err.message}`);
    assert.match(err.message, new RegExp(`^Invalid configuration in ${path.replace(/[.]/g, "\\.")} \\(8 problems\\):`));
    assert.equal((err.details as { problems: unknown[] }).problems.length, 8);
    assert.match(err.hint ?? "", /docs\/config\.md/);
  });

  it("checks across settings: credentials, duplicates, enterprises and at least one target", () => {
    const none = fails({ env: {}, cwd: dir });
    assert.match(none.message, /orgs: list at least one org/);
    const path = file(`
orgs: [acme, ACME]
enterprises:
  - slug: big
    auth: { client_id: Iv1.abc, private_key: "-----BEGIN RSA PRIVATE KEY-----" }
`);
    const err = fails({ flags: { config: path }, env: {}, cwd: dir });
    assert.match(err.message, /orgs\[0\]\.auth: no credentials for org "acme": set GITHUB_TOKEN, github\.auth or orgs\[0\]\.auth/);
    assert.match(err.message, /orgs\[1\]\.name: "ACME" is listed twice \(also orgs\[0\]\)/);
    assert.match(err.message, /enterprises\[0\]\.auth\.private_key: not an RSA private key/);
    assert.match(err.message, /enterprises\[0\]\.auth: enterprise endpoints need a classic token/);
  });

  it("flags override the environment, which overrides the file", () => {
    const path = file(`
github: { api_url: https://github.example.com, auth: { token: ghp_fromfile } }
orgs: [acme]
store: { url: ./from-file.db }
server: { port: 9000 }
webhooks: { secrets: [from-file] }
`);
    const fileOnly = loadConfig({ flags: { config: path }, env: {}, cwd: "/" });
    assert.equal(fileOnly.github.api_url, "https://github.example.com/api/v3");
    assert.ok(fileOnly.github.auth?.kind === "token" && fileOnly.github.auth.token.reveal() === "ghp_fromfile");
    assert.deepEqual(fileOnly.store, { dialect: "sqlite", path: join(dir, "from-file.db") }, "file paths are relative to the file");
    assert.equal(fileOnly.webhooks.secrets[0]?.reveal(), "from-file");

    const env = { GITHUB_API_URL: "https://octocorp.ghe.com", GITHUB_TOKEN: "ghp_fromenv", GHAUDIT_DB: "env.db", GHAUDIT_WEBHOOK_SECRET: "from-env" };
    const withEnv = loadConfig({ flags: { config: path }, env, cwd: "/work" });
    assert.equal(withEnv.github.api_url, "https://api.octocorp.ghe.com");
    assert.ok(withEnv.github.auth?.kind === "token" && withEnv.github.auth.token.reveal() === "ghp_fromenv");
    assert.deepEqual(withEnv.store, { dialect: "sqlite", path: "/work/env.db" }, "env paths are relative to the working directory");
    assert.deepEqual(withEnv.webhooks.secrets.map((s) => s.reveal()), ["from-env"]);

    const withFlags = loadConfig({ flags: { config: path, apiUrl: "https://api.github.com", db: "postgres://u:pw@db/ghaudit", port: "9100" }, env, cwd: "/work" });
    assert.equal(withFlags.github.api_url, "https://api.github.com");
    assert.ok(withFlags.store.dialect === "postgres" && withFlags.store.url.reveal() === "postgres://u:pw@db/ghaudit");
    assert.ok(!JSON.stringify(withFlags.store).includes("pw"));
    assert.equal(withFlags.server.port, 9100);
  });

  it("GHAUDIT_CONFIG names the file when --config is absent, and says where a bad value came from", () => {
    const path = file("orgs: [acme]\n");
    const config = loadConfig({ env: { GHAUDIT_CONFIG: path, GITHUB_TOKEN: "ghp_x" }, cwd: "/" });
    assert.equal(config.source.file, path);
    const err = fails({ env: { GHAUDIT_CONFIG: path, GITHUB_TOKEN: "ghp_x", GITHUB_API_URL: "gopher://x" }, cwd: "/" });
    assert.match(err.message, /github\.api_url: .* \(from GITHUB_API_URL\)/);
    const missing = fails({ flags: { config: join(dir, "nope.yaml") }, env: {}, cwd: "/" });
    assert.match(missing.message, /Config file not found: .*nope\.yaml \(from --config\)/);
    const folder = fails({ flags: { config: dir }, env: {}, cwd: "/" });
    assert.match(folder.message, /Config file is a folder, not a file: /);
  });

  it("--org picks the file's entries (keeping their settings) and adds the others", () => {
    const path = file(`
github: { auth: { token: ghp_x } }
orgs:
  - name: acme
    streams: { audit_log: { include: all, lookback: all, overlap: 10m }, dependabot: { enabled: false } }
  - beta
`);
    const config = loadConfig({ flags: { config: path, org: ["ACME", "gamma"] }, env: {}, cwd: "/" });
    assert.deepEqual(config.orgs.map((o) => o.name), ["acme", "gamma"]);
    assert.deepEqual(config.orgs[0]!.streams.audit_log, { enabled: true, include: "all", lookback: "all", overlap: 600_000 });
    assert.equal(config.orgs[0]!.streams.dependabot.enabled, false);
    assert.equal(config.orgs[1]!.streams.dependabot.enabled, true);
  });

  it("interpolates ${VAR} and reports unset variables", () => {
    const path = file('github: { auth: { token: "${MY_TOKEN}" } }\norgs: [acme]\nwebhooks: { secrets: ["$${literal}", "${MISSING}"] }\n');
    const err = fails({ flags: { config: path }, env: { MY_TOKEN: "ghp_interp" }, cwd: "/" });
    assert.match(err.message, /\(1 problem\):\n {2}- webhooks\.secrets\[1\]: environment variable MISSING is not set$/);
    const config = loadConfig({ flags: { config: path }, env: { MY_TOKEN: "ghp_interp", MISSING: "s2" }, cwd: "/" });
    assert.ok(config.github.auth?.kind === "token" && config.github.auth.token.reveal() === "ghp_interp");
    assert.deepEqual(config.webhooks.secrets.map((s) => s.reveal()), ["${literal}", "s2"]);
  });

  it("reports YAML syntax errors with line and column", () => {
    const err = fails({ flags: { config: file("orgs:\n  - acme\n   bad: [\n") }, env: {}, cwd: "/" });
    assert.match(err.message, /YAML line \d+, column \d+:/);
  });

  it("loads a GitHub App key relative to the file and builds client options from it", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    mkdirSync(join(dir, "keys"), { recursive: true });
    writeFileSync(join(dir, "keys/app.pem"), privateKey.export({ type: "pkcs1", format: "pem" }));
    const path = file(`
github: { api_url: github.example.com, auth: { client_id: Iv23liABC, private_key_path: keys/app.pem } }
orgs: [acme, { name: beta, auth: { token: ghp_beta } }]
poll: { rate_limit_threshold: 250 }
`);
    const config = loadConfig({ flags: { config: path }, env: {}, cwd: "/" });
    assert.ok(config.github.auth?.kind === "app");
    assert.match(config.github.auth.private_key.reveal(), /BEGIN RSA PRIVATE KEY/);
    const acme = githubClientOptions(config, { org: "acme" });
    assert.equal(acme.apiUrl, "https://github.example.com/api/v3");
    assert.equal(acme.rateLimitThreshold, 250);
    assert.ok(acme.auth.kind === "app" && acme.auth.org === "acme" && acme.auth.clientId === "Iv23liABC");
    assert.equal(githubClientOptions(config, { org: "beta" }).auth.kind, "token");
  });

  it("gives createGitHubClient what it needs to talk to GitHub (the emulator)", async () => {
    const world = await startTestWorld();
    try {
      const config = loadConfig({ flags: { org: "acme" }, env: { GITHUB_TOKEN: world.ownerToken, GITHUB_API_URL: world.emulator.url }, cwd: dir });
      const client = createGitHubClient(githubClientOptions(config, { org: "acme" }, { clock: world.clock, sleep: world.sleep }));
      const res = await client.request("GET /orgs/{org}", { org: "acme" });
      assert.equal(res.data.login, "acme");
    } finally {
      await world.close();
    }
  });
});

describe("durations", () => {
  it("parses what people write", () => {
    assert.equal(parseDuration("300s"), 300_000);
    assert.equal(parseDuration("5m"), 300_000);
    assert.equal(parseDuration("1h30m"), 5_400_000);
    assert.equal(parseDuration("1h 30m"), 5_400_000);
    assert.equal(parseDuration("7d"), 604_800_000);
    assert.equal(parseDuration("250ms"), 250);
    assert.equal(parseDuration(90), 90_000);
    assert.equal(parseDuration("90"), 90_000);
    for (const bad of ["", "5x", "m", "5 minutes", "-5s", "1h30"]) assert.equal(parseDuration(bad), null, bad);
  });

  it("formats back", () => {
    assert.equal(formatDuration(5_400_000), "1h30m");
    assert.equal(formatDuration(300_000), "5m");
    assert.equal(formatDuration(0), "0s");
  });
});
