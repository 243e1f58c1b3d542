// `ghaudit test-connection --org ORG`: GET /orgs/{org} and one request per stream, each shown ✓ or ✗ with the fix.
import { Command } from "commander";
import { explainGitHubError } from "../github/index.js";
import { systemClock } from "../core/clock.js";
import { createLogger } from "../core/logger.js";
import { planStreams, clientFor } from "../pipeline/sync.js";
import { configFrom, withCommonFlags, type CommonFlags } from "./context.js";

export function testConnectionCommand(): Command {
  return withCommonFlags(new Command("test-connection").description("Check the token against each org/enterprise and stream")).action(
    async (flags: CommonFlags) => {
      const config = configFrom(flags);
      const logger = createLogger({ level: flags.logLevel ?? "warn" });
      const options = { config, logger, clock: systemClock, clients: new Map() };
      let failures = 0;
      const plan = planStreams(config);
      const targets = [...new Map(plan.map((p) => [`${p.target.scope}:${p.target.name}`, p.target])).values()];
      for (const target of targets) {
        // A diagnostic never waits for a rate limit: a low or used-up budget is a ✗ with its reset time.
        const client = clientFor(options, target, { waitForRateLimits: false });
        console.log(`${target.scope} ${target.name} (${client.ghaudit.baseUrl}, ${client.ghaudit.tokenKind})`);
        // GitHub shows an org's private details (`plan`, ...) only to owners with admin:org, which ghaudit does not
        // need: without them the org line is decided by the streams. Only a 404 from every security stream tells an
        // outsider's token (or one for another org); a 403 means the user is in the org but lacks a scope or role.
        let org: { login: string; full: boolean } | null = null;
        if (target.scope === "org") {
          try {
            const { data } = await client.request("GET /orgs/{org}", { org: target.name });
            org = { login: data.login, full: (data as { plan?: unknown }).plan !== undefined };
          } catch (err) {
            const e = explainGitHubError(err, { org: target.name, tokenKind: client.ghaudit.tokenKind });
            console.log(`  ✗ organization: ${e.message}`);
            if (e.hint) console.log(`    ${e.hint}`);
            failures++;
            continue;
          }
        }
        const lines: string[] = [];
        let security = 0;
        let notFound = 0;
        for (const planned of plan.filter((p) => p.target === target || (p.target.scope === target.scope && p.target.name === target.name))) {
          const result = await planned.source.probe({ client, logger, clock: systemClock, target, settings: planned.settings });
          lines.push(`  ${result.ok ? "✓" : "✗"} ${planned.source.description}: ${result.message}`);
          if (result.hint) lines.push(`    ${result.hint}`);
          // Anyone can list an org's public repositories: only the security streams tell a member from an outsider.
          if (planned.source.type !== "repositories") {
            security++;
            if (!result.ok && result.status === 404) notFound++;
          }
          if (!result.ok) failures++;
        }
        if (org) {
          if (org.full || security === 0 || notFound < security) console.log(`  ✓ organization ${org.login}`);
          else {
            console.log(`  ✗ organization ${org.login}: visible only as an outsider (the token's user is not a member, or the token is for another org)`);
            failures++;
          }
        }
        for (const l of lines) console.log(l);
      }
      process.exitCode = failures ? 1 : 0;
    },
  );
}
