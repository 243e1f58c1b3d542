// Secret scanning REST endpoints: repo/org lists (page or cursor; an empty `after=`/`before=` starts cursors),
// enterprise list (cursor only), single alert GET/PATCH and locations (docs: "REST API endpoints for secret scanning").
import { GENERIC_SECRET_TYPES } from "../../core/github-facts.js";
import { createHash } from "node:crypto";
import type { EmuApp, EmuContext, RouteDeps } from "../http/context.js";
import { notFound } from "../http/errors.js";
import { paginate } from "../http/pagination.js";
import { send } from "../http/respond.js";
import type { EmulatorState } from "../state/state.js";
import type { EmuRepo, SecretScanningAlert, SecretScanningRecord } from "../state/types.js";
import { updateSecretScanningAlert } from "./alerts/secret-scanning-update.js";
import { repositoryRenderer, rowsOf, sendList } from "./alerts/list.js";
import { assigneeFilter, bool, csvSet, filterKey, isDesc, ms, sortParam } from "./alerts/query.js";
import {
  alertNumber,
  doc,
  enterpriseAccess,
  orgAccess,
  ORG_PREFIXES,
  REPO_PREFIXES,
  repoAccess,
  reposWithFeature,
} from "./alerts/scope.js";
import type { AlertRow } from "./alerts/view-cache.js";

const KIND = "secret_scanning";

/** Non-provider patterns, listed only when asked for by name. */
const GENERIC = new Set(GENERIC_SECRET_TYPES);

type Alert = SecretScanningAlert & {
  provider_slug?: string | null;
  assigned_to?: { login: string } | null;
  metadata?: { key: string; value: unknown }[];
};

function metadataValue(alert: Alert, key: string): unknown {
  return alert.metadata?.find((m) => m.key === key)?.value;
}

function alertFilter(c: EmuContext) {
  const states = csvSet(c, "state");
  const types = csvSet(c, "secret_type");
  const excludeTypes = csvSet(c, "exclude_secret_types");
  const providers = csvSet(c, "providers");
  const excludeProviders = csvSet(c, "exclude_providers");
  const resolutions = csvSet(c, "resolution");
  const validities = csvSet(c, "validity");
  const assignee = assigneeFilter(c, "assignee");
  const leaked = bool(c, "is_publicly_leaked");
  const multiRepo = bool(c, "is_multi_repo");
  const bypassed = bool(c, "is_bypassed");
  const included = csvSet(c, "included_metadata");
  const ownerHash = c.req.query("owner_email_hash")?.toLowerCase();
  return ({ alert: record }: AlertRow<SecretScanningRecord>): boolean => {
    const a = record.alert as Alert;
    const type = (a.secret_type ?? "").toLowerCase();
    if (types ? !types.has(type) : GENERIC.has(type)) return false;
    if (excludeTypes?.has(type)) return false;
    const slug = (a.provider_slug ?? "").toLowerCase();
    if (providers && !providers.has(slug)) return false;
    if (excludeProviders?.has(slug)) return false;
    if (states && !states.has(a.state ?? "open")) return false;
    if (resolutions && !resolutions.has(a.resolution ?? "")) return false;
    if (validities && !validities.has(a.validity ?? "unknown")) return false;
    if (assignee && !assignee(a.assigned_to ? [a.assigned_to.login] : [])) return false;
    if (leaked && a.publicly_leaked !== true) return false;
    if (multiRepo && a.multi_repo !== true) return false;
    if (bypassed !== undefined && (a.push_protection_bypassed === true) !== bypassed) return false;
    if (included && [...included].some((k) => metadataValue(a, k.replace(/-/g, "_")) === undefined)) return false;
    if (ownerHash) {
      const email = metadataValue(a, "owner_email");
      if (typeof email !== "string" || createHash("sha256").update(email).digest("hex") !== ownerHash) {
        return false;
      }
    }
    return true;
  };
}

/** The alert as list rows show it: no `metadata`, no `secret` with `hide_secret=true`. */
function listShape(alert: Alert, hideSecret: boolean): Record<string, unknown> {
  const { metadata: _metadata, secret, ...rest } = alert;
  return hideSecret || secret === undefined ? rest : { ...rest, secret };
}

function listAlerts(
  c: EmuContext,
  state: EmulatorState,
  scope: { key: string; repos: () => Iterable<EmuRepo>; withRepository: boolean; page: boolean; linkPath: string },
): Response {
  const sort = sortParam(c, ["created", "updated"] as const, "created");
  const desc = isDesc(c);
  const hideSecret = bool(c, "hide_secret") === true;
  const repoOf = repositoryRenderer(state);
  return sendList(c, state, {
    view: {
      key: `${KIND}|${scope.key}|${filterKey(c)}|${sort}|${desc}`,
      rows: () => rowsOf(scope.repos(), (r) => r.secretScanning, (rec) => rec.alert.number ?? 0),
      filter: alertFilter(c),
      sortValue: ({ alert: { alert } }) => ms(sort === "updated" ? (alert.updated_at ?? alert.created_at) : alert.created_at),
      desc,
    },
    page: scope.page,
    cursor: true,
    linkPath: scope.linkPath,
    render: ({ repo, alert }) => {
      const row = listShape(alert.alert as Alert, hideSecret);
      return scope.withRepository ? { ...row, repository: repoOf(repo) } : row;
    },
  });
}

function findRecord(repo: EmuRepo, c: EmuContext, documentationUrl: string): SecretScanningRecord {
  const n = alertNumber(c);
  const record = n === null ? undefined : repo.secretScanning.find((r) => r.alert.number === n);
  if (!record) throw notFound(documentationUrl);
  return record;
}

/** `secret-scanning-alert-with-metadata`: the single-alert shape. */
export function withMetadata(alert: SecretScanningAlert, hideSecret: boolean): Record<string, unknown> {
  const { secret, ...rest } = alert as Alert;
  return { ...rest, ...(hideSecret || secret === undefined ? {} : { secret }), metadata: rest.metadata ?? [] };
}

export function registerSecretScanning(app: EmuApp, deps: RouteDeps): void {
  const { state } = deps;

  for (const prefix of REPO_PREFIXES) {
    app.get(`${prefix}/secret-scanning/alerts`, (c) => {
      const { repo } = repoAccess(c, state, KIND, "read", doc(KIND, "list-secret-scanning-alerts-for-a-repository"));
      const linkPath = `/repositories/${repo.id}/secret-scanning/alerts`;
      const scope = { key: `repo:${repo.id}`, repos: () => [repo], withRepository: false, page: true, linkPath };
      return listAlerts(c, state, scope);
    });

    app.get(`${prefix}/secret-scanning/alerts/:number`, (c) => {
      const D = doc(KIND, "get-a-secret-scanning-alert");
      const { repo } = repoAccess(c, state, KIND, "read", D);
      return send(c, withMetadata(findRecord(repo, c, D).alert, bool(c, "hide_secret") === true));
    });

    app.patch(`${prefix}/secret-scanning/alerts/:number`, async (c) => {
      const D = doc(KIND, "update-a-secret-scanning-alert");
      const scope = repoAccess(c, state, KIND, "write", D);
      const alert = await updateSecretScanningAlert(c, state, scope, (repo) => findRecord(repo, c, D).alert, D);
      return send(c, withMetadata(alert, false));
    });

    app.get(`${prefix}/secret-scanning/alerts/:number/locations`, (c) => {
      const D = doc(KIND, "list-locations-for-a-secret-scanning-alert");
      const { repo } = repoAccess(c, state, KIND, "read", D);
      const record = findRecord(repo, c, D);
      const page = paginate(c, {
        items: record.locations,
        keyOf: () => [0, 0], // page numbers only: keys are never used
        desc: false,
        page: true,
        cursor: false,
        linkPath: `/repositories/${repo.id}/secret-scanning/alerts/${record.alert.number}/locations`,
      });
      return send(c, page.items, 200, page.link ? { link: page.link } : {});
    });
  }

  for (const prefix of ORG_PREFIXES) {
    app.get(`${prefix}/secret-scanning/alerts`, (c) => {
      const org = orgAccess(c, state, KIND, doc(KIND, "list-secret-scanning-alerts-for-an-organization"));
      const repos = () => reposWithFeature(state, [org], KIND);
      const linkPath = `/organizations/${org.id}/secret-scanning/alerts`;
      return listAlerts(c, state, { key: `org:${org.id}`, repos, withRepository: true, page: true, linkPath });
    });
  }

  app.get("/enterprises/:enterprise/secret-scanning/alerts", (c) => {
    const D = doc(KIND, "list-secret-scanning-alerts-for-an-enterprise");
    const { enterprise, orgs } = enterpriseAccess(c, state, KIND, D);
    const key = `ent:${enterprise.id}:${orgs.map((o) => o.id).join(",")}`;
    const repos = () => reposWithFeature(state, orgs, KIND);
    const linkPath = `/enterprises/${enterprise.id}/secret-scanning/alerts`;
    return listAlerts(c, state, { key, repos, withRepository: true, page: false, linkPath });
  });
}
