// Places the world's alerts over eligible repos (skewed), creates them with the factories in time order, then plays
// their history (dismissed / fixed / resolved) and records the audit facts GitHub writes for Dependabot and secrets.
import { isoSeconds } from "../../core/clock.js";
import type { EmulatorState } from "../state/state.js";
import type { EmuRepo } from "../state/types.js";
import { autoDismissDependabotAlert, autoDismissable, dismissDependabotAlert, fixDependabotAlert, type DependabotDismissReason } from "./alerts-dependabot.js";
import { dismissCodeScanningAlert, fixCodeScanningAlert, type CodeScanningDismissReason } from "./alerts-code-scanning.js";
import { resolveSecretScanningAlert, type SecretResolution } from "./alerts-secret-scanning.js";
import { DAY, DEPENDABOT_BOT, HOUR, MINUTE, between, pickDeveloper, pickTriager } from "./common.js";
import { featureAllows, newCodeScanningAlert, newDependabotAlert, newSecretScanningAlert } from "./factories.js";
import type { SizeSpec } from "./generator.js";
import type { WorldPlan } from "./org-world.js";
import type { Rng } from "./rng.js";
import { BYPASS_COMMENTS, CODE_SCANNING_DISMISS_COMMENTS, DEPENDABOT_DISMISS_COMMENTS, SECRET_RESOLVE_COMMENTS } from "./vocab.js";
import { RETENTION_MS, type Fact } from "./world-facts.js";

type Kind = "code_scanning" | "dependabot" | "secret_scanning";

const RESOLUTIONS: readonly (readonly [SecretResolution, number])[] = [["revoked", 45], ["false_positive", 25], ["used_in_tests", 15], ["wont_fix", 15]];
/** Secrets pushed past push protection are mostly test values or false positives (that is why they were bypassed). */
const BYPASSED_RESOLUTIONS: readonly (readonly [SecretResolution, number])[] = [["used_in_tests", 35], ["false_positive", 35], ["revoked", 20], ["wont_fix", 10]];

interface Ctx {
  state: EmulatorState;
  rng: Rng;
  now: number;
  facts: Fact[];
  plan: WorldPlan;
}

/** Alert creation times per repo, in time order: numbers then grow with time, as on GitHub. */
function place(ctx: Ctx, kind: Kind, count: number): Map<EmuRepo, number[]> {
  const { rng, now, plan } = ctx;
  const eligible = plan.orgs.flatMap((o) => o.repos).filter((r) => featureAllows(r, kind));
  const out = new Map<EmuRepo, number[]>();
  if (eligible.length === 0 || count === 0) return out;
  const cumulative: number[] = [];
  let total = 0;
  for (const _ of eligible) cumulative.push((total += 0.2 + Math.pow(rng.next(), 3) * 10));
  for (let i = 0; i < count; i++) {
    const x = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    const repo = eligible[lo]!;
    const end = plan.archivedAt.get(repo) ?? now;
    const u = rng.next();
    const age = u < 0.55 ? rng.next() * 90 * DAY : u < 0.85 ? (90 + rng.next() * 275) * DAY : (365 + rng.next() * 365) * DAY;
    let at = Math.floor(end - MINUTE - age);
    if (at < repo.createdAt + HOUR) at = between(rng, repo.createdAt + HOUR, end - MINUTE);
    let list = out.get(repo);
    if (!list) out.set(repo, (list = []));
    list.push(at);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

/** When a closed alert was closed: between creation and the repo's end, usually early. Null if there is no room. */
function closeTime(rng: Rng, created: number, end: number, skew: number): number | null {
  const room = end - MINUTE - (created + 10 * MINUTE);
  if (room <= 0) return null;
  return created + 10 * MINUTE + Math.floor(room * Math.pow(rng.next(), skew));
}

function fact(ctx: Ctx, at: number, action: string, actor: string, repo: EmuRepo, alertNumber: number): void {
  if (at < ctx.now - RETENTION_MS) return;
  ctx.facts.push({ at, action, actor, org: ctx.state.org(repo.owner) ?? null, repo, extra: { alert_number: alertNumber } });
}

function seedCodeScanning(ctx: Ctx, count: number): void {
  const { state, rng, now, plan } = ctx;
  for (const [repo, times] of place(ctx, "code_scanning", count)) {
    const end = plan.archivedAt.get(repo) ?? now;
    for (const at of times) {
      const record = newCodeScanningAlert(state, repo, rng, at);
      const serious = record.alert.rule.security_severity_level === "critical" || record.alert.rule.security_severity_level === "high";
      const r = rng.next();
      const outcome = r < (serious ? 0.4 : 0.3) ? "fixed" : r < 0.55 ? "dismissed" : "open";
      const closed = outcome === "open" ? null : closeTime(rng, at, end, serious ? 3 : 2);
      if (closed !== null && outcome === "fixed") fixCodeScanningAlert(record, rng, closed);
      if (closed !== null && outcome === "dismissed") {
        const reason = rng.weighted<CodeScanningDismissReason>([["false positive", 40], ["won't fix", 30], ["used in tests", 25]]);
        dismissCodeScanningAlert(state, record, pickTriager(state, repo, rng), closed, reason, rng.chance(0.6) ? rng.pick(CODE_SCANNING_DISMISS_COMMENTS) : null);
      }
      if (closed === null && rng.chance(0.2)) record.alert.updated_at = isoSeconds(between(rng, at, end - MINUTE));
    }
  }
}

function seedDependabot(ctx: Ctx, count: number): void {
  const { state, rng, now, plan } = ctx;
  for (const [repo, times] of place(ctx, "dependabot", count)) {
    const end = plan.archivedAt.get(repo) ?? now;
    for (const at of times) {
      const alert = newDependabotAlert(state, repo, rng, at);
      fact(ctx, at, "repository_vulnerability_alert.create", DEPENDABOT_BOT.login, repo, alert.number);
      const r = rng.next();
      if (autoDismissable(alert) && r < 0.35 && end - at > 2 * HOUR) {
        const closed = at + between(rng, MINUTE, 30 * MINUTE);
        autoDismissDependabotAlert(alert, closed);
        fact(ctx, closed, "repository_vulnerability_alert.auto_dismiss", DEPENDABOT_BOT.login, repo, alert.number);
        continue;
      }
      const outcome = r < 0.45 ? "open" : r < 0.77 ? "fixed" : "dismissed";
      const closed = outcome === "open" ? null : closeTime(rng, at, end, 2.5);
      if (closed === null) continue;
      if (outcome === "fixed") {
        fixDependabotAlert(alert, closed);
        fact(ctx, closed, "repository_vulnerability_alert.resolve", pickDeveloper(state, repo, rng), repo, alert.number);
      } else {
        const by = pickTriager(state, repo, rng);
        const reason = rng.weighted<DependabotDismissReason>([["tolerable_risk", 30], ["not_used", 25], ["inaccurate", 10], ["no_bandwidth", 20], ["fix_started", 15]]);
        dismissDependabotAlert(state, alert, by, closed, reason, rng.chance(0.5) ? rng.pick(DEPENDABOT_DISMISS_COMMENTS) : null);
        fact(ctx, closed, "repository_vulnerability_alert.dismiss", by, repo, alert.number);
      }
    }
  }
}

function seedSecrets(ctx: Ctx, count: number): void {
  const { state, rng, now, plan } = ctx;
  for (const [repo, times] of place(ctx, "secret_scanning", count)) {
    const end = plan.archivedAt.get(repo) ?? now;
    for (const at of times) {
      const pusher = pickDeveloper(state, repo, rng);
      const bypass = repo.features.secret_scanning_push_protection && rng.chance(0.12);
      const record = newSecretScanningAlert(state, repo, rng, at, bypass ? { bypassedBy: pusher } : {});
      const n = record.alert.number!;
      if (bypass) {
        fact(ctx, at, "secret_scanning_push_protection.bypass", pusher, repo, n);
        if (rng.chance(0.5)) record.alert.push_protection_bypass_request_comment = rng.pick(BYPASS_COMMENTS);
      }
      fact(ctx, at, "secret_scanning_alert.create", pusher, repo, n);
      if (record.alert.publicly_leaked) fact(ctx, at + between(rng, MINUTE, HOUR), "secret_scanning_alert.public_leak", pusher, repo, n);
      const resolve = rng.next() < 0.6;
      const closed = closeTime(rng, at, end, 2.5);
      if (closed === null) continue;
      const by = pickTriager(state, repo, rng);
      if (resolve) {
        const resolution = rng.weighted<SecretResolution>(bypass ? BYPASSED_RESOLUTIONS : RESOLUTIONS);
        resolveSecretScanningAlert(state, record, by, closed, resolution, rng.chance(0.5) ? rng.pick(SECRET_RESOLVE_COMMENTS) : null);
        fact(ctx, closed, "secret_scanning_alert.resolve", by, repo, n);
      } else if (rng.chance(0.06)) {
        // Resolved once, then reopened: still open, last updated at the reopening.
        const reopened = between(rng, closed, end - MINUTE);
        fact(ctx, closed, "secret_scanning_alert.resolve", by, repo, n);
        fact(ctx, reopened, "secret_scanning_alert.reopen", pickTriager(state, repo, rng), repo, n);
        record.alert.updated_at = isoSeconds(reopened);
      }
    }
  }
}

/** Creates all alerts of the world and pushes their lifecycle facts. */
export function seedAlerts(state: EmulatorState, plan: WorldPlan, size: SizeSpec, rng: Rng, now: number): void {
  const ctx: Ctx = { state, rng, now, facts: plan.facts, plan };
  seedCodeScanning(ctx, size.codeScanningAlerts);
  seedDependabot(ctx, size.dependabotAlerts);
  seedSecrets(ctx, size.secretScanningAlerts);
}
