// Secret scanning alerts: secret values, locations of several types, push-protection bypasses, and resolution.
import { isoSeconds } from "../../core/clock.js";
import type { EmulatorState } from "../state/state.js";
import type { EmuRepo, SecretScanningAlert, SecretScanningLocation, SecretScanningRecord, SimpleUser } from "../state/types.js";
import { userRef } from "./common.js";
import { sha } from "./ids.js";
import type { Rng } from "./rng.js";
import { SECRET_FILES, SECRET_TYPE_WEIGHTS, type SecretType } from "./vocab-secrets.js";

export type SecretResolution = "false_positive" | "wont_fix" | "revoked" | "used_in_tests";
type LocationType = NonNullable<SecretScanningLocation["type"]>;
type Details = NonNullable<SecretScanningLocation["details"]>;

/** The alert with the fields that the generated types lag behind on. */
export type FullSecretScanningAlert = SecretScanningAlert & {
  provider: string | null;
  provider_slug: string | null;
  is_base64_encoded: boolean | null;
  first_location_detected: Details | null;
  has_more_locations: boolean;
  assigned_to: SimpleUser | null;
};

const EXTRA_LOCATIONS: readonly (readonly [LocationType, number])[] = [
  ["commit", 50], ["issue_comment", 10], ["pull_request_body", 8], ["pull_request_comment", 8], ["issue_body", 6],
  ["wiki_commit", 4], ["pull_request_review_comment", 5], ["discussion_comment", 3], ["issue_title", 2],
  ["pull_request_title", 2], ["pull_request_review", 2], ["discussion_body", 2], ["discussion_title", 1],
];

/** A location that is a link (issue, pull request, discussion): `<type>_url` plus, for most, `html_url`. */
function link(type: LocationType, url: string, html: string | null): Details {
  const d: Record<string, string> = { [`${type}_url`]: url };
  if (html !== null) d.html_url = html;
  return d as unknown as Details;
}

function commitDetails(state: EmulatorState, repo: EmuRepo, rng: Rng, path: string): Details {
  const blob = sha(rng);
  const commit = sha(rng);
  const line = rng.int(1, 200);
  const col = rng.int(1, 30);
  const api = `${state.baseUrl}/repos/${repo.fullName}`;
  const details = {
    path,
    start_line: line,
    end_line: line,
    start_column: col,
    end_column: col + rng.int(20, 90),
    blob_sha: blob,
    blob_url: `${api}/git/blobs/${blob}`,
    commit_sha: commit,
    commit_url: `${api}/git/commits/${commit}`,
    html_url: `${state.baseUrl}/${repo.fullName}/blob/${commit}/${path}#L${line}-L${line}`,
  };
  return details as Details;
}

function location(state: EmulatorState, repo: EmuRepo, rng: Rng, type: LocationType): SecretScanningLocation {
  const api = `${state.baseUrl}/repos/${repo.fullName}`;
  const web = `${state.baseUrl}/${repo.fullName}`;
  const n = rng.int(1, Math.max(1, repo.next.issue - 1));
  const id = rng.int(1_000_000_000, 2_999_999_999);
  let details: Details;
  switch (type) {
    case "commit":
      details = commitDetails(state, repo, rng, rng.pick(SECRET_FILES));
      break;
    case "wiki_commit": {
      const commit = sha(rng);
      const line = rng.int(1, 80);
      details = {
        path: "Home.md",
        start_line: line,
        end_line: line,
        start_column: 1,
        end_column: rng.int(30, 90),
        blob_sha: sha(rng),
        page_url: `${web}/wiki/Home/${commit}`,
        commit_sha: commit,
        commit_url: `${web}/wiki/_compare/${commit}`,
      };
      break;
    }
    case "issue_title": details = link(type, `${api}/issues/${n}`, `${web}/issues/${n}`); break;
    case "issue_body": details = link(type, `${api}/issues/${n}`, `${web}/issues/${n}`); break;
    case "issue_comment": details = link(type, `${api}/issues/comments/${id}`, `${web}/issues/${n}#issuecomment-${id}`); break;
    case "pull_request_title": details = link(type, `${api}/pulls/${n}`, `${web}/pull/${n}`); break;
    case "pull_request_body": details = link(type, `${api}/pulls/${n}`, `${web}/pull/${n}`); break;
    case "pull_request_comment": details = link(type, `${api}/issues/comments/${id}`, `${web}/pull/${n}#issuecomment-${id}`); break;
    case "pull_request_review": details = link(type, `${api}/pulls/${n}/reviews/${id}`, `${web}/pull/${n}#pullrequestreview-${id}`); break;
    case "pull_request_review_comment": details = link(type, `${api}/pulls/comments/${id}`, `${web}/pull/${n}#discussion_r${id}`); break;
    case "discussion_title": details = link(type, `${web}/discussions/${n}`, null); break;
    case "discussion_body": details = link(type, `${web}/discussions/${n}#discussion-${id}`, null); break;
    case "discussion_comment": details = link(type, `${web}/discussions/${n}#discussioncomment-${id}`, null); break;
  }
  return { type, details };
}

function pickType(repo: EmuRepo, rng: Rng): SecretType {
  for (;;) {
    const t = rng.weighted(SECRET_TYPE_WEIGHTS);
    if (t.provider !== null || repo.features.secret_scanning_non_provider_patterns) return t;
  }
}

/** Creates an open alert at `at`; with `bypassedBy`, the secret was pushed past push protection by that user. */
export function createSecretScanningAlert(state: EmulatorState, repo: EmuRepo, rng: Rng, at: number, opts: { bypassedBy?: string } = {}): SecretScanningRecord {
  const type = pickType(repo, rng);
  const number = repo.next.secretScanning++;
  const api = `${state.baseUrl}/repos/${repo.fullName}/secret-scanning/alerts/${number}`;
  const locations = [location(state, repo, rng, "commit")];
  if (rng.chance(0.3)) {
    const extra = rng.int(1, 3);
    for (let i = 0; i < extra; i++) locations.push(location(state, repo, rng, rng.weighted(EXTRA_LOCATIONS)));
  }
  const checkable = type.validity && repo.features.secret_scanning_validity_checks;
  const created = isoSeconds(at);
  const bypassed = opts.bypassedBy !== undefined;
  const alert: FullSecretScanningAlert = {
    number,
    created_at: created,
    updated_at: created,
    url: api,
    html_url: `${state.baseUrl}/${repo.fullName}/security/secret-scanning/${number}`,
    locations_url: `${api}/locations`,
    state: "open",
    resolution: null,
    resolved_at: null,
    resolved_by: null,
    resolution_comment: null,
    secret_type: type.type,
    secret_type_display_name: type.displayName,
    provider: type.provider,
    provider_slug: type.providerSlug,
    secret: type.make(rng),
    push_protection_bypassed: bypassed,
    push_protection_bypassed_by: bypassed ? userRef(state, opts.bypassedBy!) : null,
    push_protection_bypassed_at: bypassed ? created : null,
    push_protection_bypass_request_reviewer: null,
    push_protection_bypass_request_reviewer_comment: null,
    push_protection_bypass_request_comment: null,
    push_protection_bypass_request_html_url: null,
    validity: checkable ? rng.weighted([["active", 55], ["inactive", 15], ["unknown", 30]] as const) : "unknown",
    publicly_leaked: repo.visibility === "public" && rng.chance(0.08),
    multi_repo: rng.chance(0.06),
    is_base64_encoded: false,
    first_location_detected: locations[0]!.details ?? null,
    has_more_locations: locations.length > 1,
    assigned_to: null,
  };
  const record: SecretScanningRecord = { alert, locations };
  repo.secretScanning.push(record);
  return record;
}

export function resolveSecretScanningAlert(state: EmulatorState, record: SecretScanningRecord, by: string, at: number, resolution: SecretResolution, comment: string | null): void {
  const a = record.alert;
  a.state = "resolved";
  a.resolution = resolution;
  a.resolved_at = isoSeconds(at);
  a.resolved_by = userRef(state, by);
  a.resolution_comment = comment;
  a.updated_at = a.resolved_at;
  if (resolution === "revoked" && a.validity === "active") a.validity = "inactive";
}
