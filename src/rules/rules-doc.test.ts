// docs/rules.md stays true: its YAML examples load, and every built-in rule and feature is in its tables.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { PACKAGE_ROOT } from "../core/paths.js";
import { RulesSettings } from "./config.js";
import { createRuleEngine } from "./engine.js";
import { FEATURES } from "./feature-switches.js";
import { parseUserRules } from "./user-rules.js";

const doc = readFileSync(join(PACKAGE_ROOT, "docs", "rules.md"), "utf8");
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("docs/rules.md", () => {
  it("every user rule example loads", () => {
    const examples = yamlBlocks.filter((b) => /^rules:\n\s+- /.test(b));
    assert.ok(examples.length >= 2);
    for (const b of examples) assert.ok(parseUserRules(b, "docs/rules.md").length > 0);
  });

  it("the settings example is valid", () => {
    const settings = yamlBlocks.filter((b) => /^rules:\n\s+builtins:/.test(b));
    assert.equal(settings.length, 1);
    const parsed = RulesSettings.safeParse((parse(settings[0]!) as { rules: unknown }).rules);
    assert.ok(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues));
  });

  it("names every built-in rule and every control the feature matcher knows", () => {
    for (const r of createRuleEngine().rules()) {
      const short = r.ruleId.replace(/^ghaudit\.feature-off\./, "");
      assert.ok(doc.includes(`\`${r.ruleId}\``) || doc.includes(`| \`${short}\` |`), r.ruleId);
    }
    for (const f of FEATURES) for (const alias of f.aliases) assert.ok(doc.includes(alias), `${f.id}: ${alias}`);
  });
});
