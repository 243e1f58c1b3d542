// Throughput of normalizeAuditEvent on 100k copies of a typical event: `node <outDir>/src/pipeline/normalize/audit-event.bench.js`.
import { performance } from "node:perf_hooks";
import { normalizeAuditEvent } from "./audit-event.js";
import type { JsonObject } from "./read.js";

const TYPICAL = JSON.stringify({
  "@timestamp": 1741611463961, _document_id: "Nm4EoecTsz6kAS-87bAEfA", action: "repo.create", actor: "user_actor",
  actor_id: 11111, actor_is_bot: false, actor_location: { country_code: "IN" }, business: "enterprise-account",
  business_id: 222222, created_at: 1741611463961, operation_type: "create", org: "user-delete", org_id: 3333333,
  public_repo: false, repo: "user-delete/private-repo", repo_id: 4444444, request_access_security_header: null,
  request_category: "other", user_agent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/133.0.0.0", visibility: "internal",
});

function run(label: string, events: JsonObject[]): void {
  for (let i = 0; i < 10_000; i++) normalizeAuditEvent(events[i % events.length]!, { scope: "org", name: "user-delete" }); // warm-up
  const ctx = { scope: "org" as const, name: "user-delete" };
  let sink = 0;
  const t0 = performance.now();
  for (const e of events) sink += normalizeAuditEvent(e, ctx).timestamp.length;
  const ms = performance.now() - t0;
  console.log(`${label}: ${events.length} events in ${ms.toFixed(0)} ms = ${Math.round(events.length / (ms / 1000)).toLocaleString("en")} events/s (${sink > 0 ? "ok" : "?"})`);
}

const N = 100_000;
const withId: JsonObject[] = Array.from({ length: N }, (_, i) => ({ ...(JSON.parse(TYPICAL) as JsonObject), "@timestamp": 1741611463961 + i }));
run("with _document_id", withId);
const withoutId = withId.map(({ _document_id: _drop, ...rest }) => rest);
run("without _document_id (sha256 of canonical JSON)", withoutId);
