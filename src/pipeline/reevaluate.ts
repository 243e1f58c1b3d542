// Rules change (a new user rule, a Sigma folder added): stored audit events are evaluated again so their
// severities and the detections reflect the rules in force. Runs when the rules' fingerprint differs from the one
// stored; idempotent, so an interrupted run simply happens again.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { Config } from "../config/index.js";
import { canonicalJson } from "../core/ids.js";
import type { Logger } from "../core/logger.js";
import { normalizeAuditEvent } from "./normalize/index.js";
import { toDetectionInput, type RuleEngine } from "../rules/index.js";
import type { Store } from "../store/index.js";
import type { DetectionInput } from "../store/detections.js";

const CHECKPOINT = "rules:fingerprint";

function filesUnder(path: string): string[] {
  try {
    if (!statSync(path).isDirectory()) return [path];
  } catch {
    return [];
  }
  return readdirSync(path, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => join(path, f));
}

/** A hash of the rules settings and the content of every rule file they name. */
export function rulesFingerprint(config: Config): string {
  const baseDir = config.source.file ? dirname(config.source.file) : process.cwd();
  const at = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const hash = createHash("sha256").update(canonicalJson(config.rules));
  for (const path of [...config.rules.user_rules, ...config.rules.sigma].map(at).flatMap(filesUnder)) {
    hash.update(path).update("\0");
    try {
      hash.update(readFileSync(path));
    } catch {
      hash.update("missing");
    }
  }
  return hash.digest("hex");
}

export interface ReevaluationResult {
  events: number;
  reclassified: number;
  detections: number;
}

/** Evaluates every stored audit event again when the rules changed since the last time; null when they did not. */
export async function reevaluateIfRulesChanged(store: Store, engine: RuleEngine, fingerprint: string, logger: Logger): Promise<ReevaluationResult | null> {
  const stored = (await store.checkpoints.get<string>(CHECKPOINT))?.cursor;
  if (stored === fingerprint) return null;
  const result: ReevaluationResult = { events: 0, reclassified: 0, detections: 0 };
  if (stored !== undefined) {
    let cursor: string | undefined;
    do {
      const page = await store.auditEvents.list({}, { order: "asc", limit: 1000, ...(cursor ? { cursor } : {}) });
      const updates: { id: string; at: number; severity: string; normalized: unknown }[] = [];
      const detections: DetectionInput[] = [];
      for (const e of page.items) {
        const record = normalizeAuditEvent(e.raw as Record<string, unknown>, { scope: e.scope, name: e.scopeName });
        const evaluation = engine.evaluate(record);
        const tags = evaluation.drop ? [...evaluation.tags, "dropped"] : [...evaluation.tags];
        const before = (e.normalized ?? {}) as { tags?: string[] };
        if (e.severity !== evaluation.severity || canonicalJson(before.tags ?? []) !== canonicalJson(tags)) {
          updates.push({ id: e.id, at: e.at, severity: evaluation.severity, normalized: { severity: evaluation.severity, tags } });
        }
        for (const hit of evaluation.detections) detections.push(toDetectionInput(hit, record, { id: e.id, at: e.at }));
      }
      await store.transaction(async (tx) => {
        result.reclassified += await tx.auditEvents.reclassify(updates);
        result.detections += (await tx.detections.insert(detections)).inserted;
      });
      result.events += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    logger.info(result, "rules changed: stored audit events evaluated again");
  }
  await store.checkpoints.set(CHECKPOINT, fingerprint);
  return result;
}
