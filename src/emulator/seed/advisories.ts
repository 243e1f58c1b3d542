// A deterministic advisory database (GHSA/CVE, ranges, CVSS, EPSS, CWEs) that Dependabot alerts point into.
import { isoSeconds } from "../../core/clock.js";
import type { EmulatorState } from "../state/state.js";
import type { DependabotAlert } from "../state/types.js";
import { DAY } from "./common.js";
import { cveId, ghsaId, randomCvss, severityOfScore, type Cvss } from "./ids.js";
import { createRng, type Rng } from "./rng.js";
import { ECOSYSTEMS, WEAKNESSES } from "./vocab-dependabot.js";

type Vulnerability = DependabotAlert["security_vulnerability"];
/** The advisory with the fields the 2022-11-28 schema has but the generated types lag behind on. */
export type Advisory = DependabotAlert["security_advisory"] & {
  classification: "general" | "malware";
  epss: { percentage: number; percentile: number } | null;
  cvss_severities: {
    cvss_v3: { vector_string: string | null; score: number | null } | null;
    cvss_v4: { vector_string: string | null; score: number | null } | null;
  };
};

export interface CatalogEntry {
  advisory: Advisory;
  /** The vulnerable range an alert matches (shared object). */
  vulnerability: Vulnerability;
  publishedAt: number;
}

/** Entries per ecosystem, sorted by publication time. */
export type AdvisoryCatalog = Map<string, CatalogEntry[]>;

const catalogs = new WeakMap<EmulatorState, AdvisoryCatalog>();
const CATALOG_SEED = 0x5eed_ad51;

/** The state's advisory database, built once with dates ending at `ref` (the world's "now" when seeded). */
export function advisoryCatalog(state: EmulatorState, ref: number): AdvisoryCatalog {
  let c = catalogs.get(state);
  if (!c) catalogs.set(state, (c = buildCatalog(ref)));
  return c;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function version(major: number, rng: Rng): [string, string] {
  const minor = rng.int(0, 30);
  const patch = rng.int(1, 20);
  return [`${major}.${minor}.${patch}`, `${major}.${minor}.${patch - 1}`];
}

/** A CVSS 4.0 vector with the same base metrics as the 3.1 one. */
function cvss4Vector({ metrics: m }: Cvss): string {
  return `CVSS:4.0/AV:${m.av}/AC:${m.ac}/AT:N/PR:${m.pr}/UI:${m.ui === "N" ? "N" : "P"}/VC:${m.c}/VI:${m.i}/VA:${m.a}/SC:N/SI:N/SA:N`;
}

function buildAdvisory(rng: Rng, ecosystem: string, name: string, major: number, ref: number, old: boolean): CatalogEntry {
  const pkg = { ecosystem, name };
  const weakness = ecosystem === "actions" && rng.chance(0.5) ? WEAKNESSES[WEAKNESSES.length - 1]! : WEAKNESSES[rng.int(0, WEAKNESSES.length - 2)]!;
  const cvss = randomCvss(rng);
  const severity = severityOfScore(cvss.score);
  const [patched, lastBad] = version(major, rng);
  const noFix = rng.chance(0.05);
  const vulnerabilities: Vulnerability[] = [
    {
      package: pkg,
      severity,
      vulnerable_version_range: noFix ? `<= ${lastBad}` : rng.chance(0.5) ? `< ${patched}` : `>= ${major}.0.0, < ${patched}`,
      first_patched_version: noFix ? null : { identifier: patched },
    },
  ];
  if (major > 0 && rng.chance(0.3)) {
    const [oldPatched] = version(major - 1, rng);
    vulnerabilities.push({ package: pkg, severity, vulnerable_version_range: `< ${oldPatched}`, first_patched_version: { identifier: oldPatched } });
  }
  const ageDays = old ? 6 * 365 : 5 * 365 * Math.pow(rng.next(), 1.7) + 2;
  const publishedAt = Math.floor(ref - ageDays * DAY);
  const updatedAt = Math.min(ref - DAY, publishedAt + Math.floor(rng.next() * Math.min(ageDays - 1, 120) * DAY));
  const year = new Date(publishedAt).getUTCFullYear() - (rng.chance(0.3) ? 1 : 0);
  const ghsa = ghsaId(rng);
  const cve = rng.chance(0.9) ? cveId(rng, year) : null;
  const summary = weakness[2].replace("{pkg}", name);
  const v4 = rng.chance(0.3);
  const pct = Math.pow(rng.next(), 3);
  const advisory: Advisory = {
    ghsa_id: ghsa,
    cve_id: cve,
    summary,
    description:
      `### Impact\n${summary}. An attacker can exploit this issue in affected versions of \`${name}\`.\n\n` +
      `### Patches\n${noFix ? "No patched version is available yet." : `The issue is fixed in version ${patched}.`}\n\n` +
      "### Workarounds\nNone known; upgrade as soon as possible.\n",
    vulnerabilities,
    severity,
    classification: "general",
    cvss: { vector_string: cvss.vector, score: cvss.score },
    cvss_severities: {
      cvss_v3: { vector_string: cvss.vector, score: cvss.score },
      cvss_v4: v4
        ? {
            vector_string: cvss4Vector(cvss),
            score: round(Math.min(10, Math.max(0.1, cvss.score + (rng.next() - 0.4))), 1),
          }
        : { vector_string: null, score: 0 },
    },
    epss: rng.chance(0.9) ? { percentage: round(Math.pow(10, -4.5 + 4.5 * pct), 5), percentile: round(0.05 + 0.949 * Math.pow(pct, 0.35), 5) } : null,
    cwes: [{ cwe_id: `CWE-${weakness[0]}`, name: weakness[1] }],
    identifiers: cve ? [{ value: ghsa, type: "GHSA" }, { value: cve, type: "CVE" }] : [{ value: ghsa, type: "GHSA" }],
    references: [
      ...(cve ? [{ url: `https://nvd.nist.gov/vuln/detail/${cve}` }] : []),
      { url: `https://github.com/advisories/${ghsa}` },
    ],
    published_at: isoSeconds(publishedAt),
    updated_at: isoSeconds(updatedAt),
    withdrawn_at: null,
  };
  return { advisory, vulnerability: vulnerabilities[0]!, publishedAt };
}

function buildCatalog(ref: number): AdvisoryCatalog {
  const rng = createRng(CATALOG_SEED);
  const catalog: AdvisoryCatalog = new Map();
  for (const [ecosystem, info] of Object.entries(ECOSYSTEMS)) {
    const entries: CatalogEntry[] = [];
    for (const [name, major] of info.packages) {
      const n = rng.int(2, 4);
      // The first advisory of each ecosystem is old, so even the oldest alert has one to point at.
      for (let i = 0; i < n; i++) entries.push(buildAdvisory(rng, ecosystem, name, major, ref, entries.length === 0));
    }
    entries.sort((a, b) => a.publishedAt - b.publishedAt);
    catalog.set(ecosystem, entries);
  }
  return catalog;
}

/** An advisory of the ecosystem already published at `at` (recent ones a bit more likely). */
export function pickAdvisory(catalog: AdvisoryCatalog, ecosystem: string, rng: Rng, at: number): CatalogEntry {
  const entries = catalog.get(ecosystem) ?? catalog.get("npm")!;
  let hi = entries.length;
  while (hi > 1 && entries[hi - 1]!.publishedAt >= at) hi--;
  const idx = Math.floor(Math.pow(rng.next(), 0.7) * hi);
  return entries[Math.min(idx, hi - 1)]!;
}
