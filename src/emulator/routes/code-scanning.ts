// Code scanning REST endpoints: repo/org/enterprise alert lists (page and cursor pagination), single alert GET and
// PATCH, alert instances and analyses (docs: "REST API endpoints for code scanning").
import type { EmuApp, EmuContext, RouteDeps } from "../http/context.js";
import { GitHubHttpError, notFound } from "../http/errors.js";
import { paginate } from "../http/pagination.js";
import { send } from "../http/respond.js";
import type { EmulatorState } from "../state/state.js";
import type { CodeScanningRecord, EmuRepo } from "../state/types.js";
import { updateCodeScanningAlert } from "./alerts/code-scanning-update.js";
import { repositoryRenderer, rowsOf, sendList } from "./alerts/list.js";
import { assigneeFilter, csvSet, filterKey, isDesc, ms, refParam, sameRef, sortParam } from "./alerts/query.js";
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

const KIND = "code_scanning";
const SECURITY_LEVELS = new Set(["critical", "high", "medium", "low"]);

const noAnalysis = (documentationUrl: string) => new GitHubHttpError(404, "no analysis found", { documentationUrl });

/** Whether the alert appears on `ref` (its most recent instance or any stored instance). */
export function onRef(record: CodeScanningRecord, ref: string): boolean {
  return sameRef(record.alert.most_recent_instance.ref, ref) || record.instances.some((i) => sameRef(i.ref, ref));
}

/** The list filters of GITHUB-API.md 1.2; `ref` null = each repo's default branch. */
function alertFilter(c: EmuContext, ref: string | null, severity: boolean) {
  const states = csvSet(c, "state");
  const toolName = c.req.query("tool_name");
  const toolGuid = c.req.query("tool_guid");
  const severities = severity ? csvSet(c, "severity") : null;
  const assignees = assigneeFilter(c, "assignees");
  return ({ repo, alert: record }: AlertRow<CodeScanningRecord>): boolean => {
    const a = record.alert;
    if (!onRef(record, ref ?? `refs/heads/${repo.defaultBranch}`)) return false;
    if (states) {
      const s = a.state ?? "open";
      if (!states.has(s) && !(states.has("closed") && (s === "dismissed" || s === "fixed"))) return false;
    }
    if (toolName && a.tool.name !== toolName) return false;
    if (toolGuid && a.tool.guid !== toolGuid) return false;
    if (severities) {
      const level = [...severities].some((v) =>
        SECURITY_LEVELS.has(v) ? a.rule.security_severity_level === v : a.rule.severity === v,
      );
      if (!level) return false;
    }
    if (assignees) {
      const logins = ((a as { assignees?: { login: string }[] }).assignees ?? []).map((u) => u.login);
      if (!assignees(logins)) return false;
    }
    return true;
  };
}

function listAlerts(
  c: EmuContext,
  state: EmulatorState,
  scope: { key: string; repos: () => Iterable<EmuRepo>; ref: string | null; severity: boolean; linkPath: string },
  withRepository: boolean,
): Response {
  const sort = sortParam(c, ["created", "updated"] as const, "created");
  const desc = isDesc(c);
  const repoOf = repositoryRenderer(state);
  return sendList(c, state, {
    view: {
      key: `${KIND}|${scope.key}|${filterKey(c)}|${sort}|${desc}`,
      rows: () => rowsOf(scope.repos(), (r) => r.codeScanning, (rec) => rec.alert.number),
      filter: alertFilter(c, scope.ref, scope.severity),
      sortValue: ({ alert: { alert } }) => ms(sort === "updated" ? (alert.updated_at ?? alert.created_at) : alert.created_at),
      desc,
    },
    page: true,
    cursor: true,
    linkPath: scope.linkPath,
    render: ({ repo, alert }) => (withRepository ? { ...alert.alert, repository: repoOf(repo) } : alert.alert),
  });
}

function findRecord(repo: EmuRepo, c: EmuContext, documentationUrl: string): CodeScanningRecord {
  const n = alertNumber(c);
  const record = n === null ? undefined : repo.codeScanning.find((r) => r.alert.number === n);
  if (!record) throw notFound(documentationUrl);
  return record;
}

export function registerCodeScanning(app: EmuApp, deps: RouteDeps): void {
  const { state } = deps;

  for (const prefix of REPO_PREFIXES) {
    app.get(`${prefix}/code-scanning/alerts`, (c) => {
      const D = doc(KIND, "list-code-scanning-alerts-for-a-repository");
      const { repo } = repoAccess(c, state, KIND, "read", D);
      if (repo.analyses.length === 0) throw noAnalysis(D);
      const ref = refParam(c);
      const scope = { key: `repo:${repo.id}`, repos: () => [repo], ref, severity: true };
      return listAlerts(c, state, { ...scope, linkPath: `/repositories/${repo.id}/code-scanning/alerts` }, false);
    });

    app.get(`${prefix}/code-scanning/alerts/:number`, (c) => {
      const D = doc(KIND, "get-a-code-scanning-alert");
      const { repo } = repoAccess(c, state, KIND, "read", D);
      return send(c, findRecord(repo, c, D).alert);
    });

    app.patch(`${prefix}/code-scanning/alerts/:number`, async (c) => {
      const D = doc(KIND, "update-a-code-scanning-alert");
      const scope = repoAccess(c, state, KIND, "write", D);
      return send(c, await updateCodeScanningAlert(c, state, scope, (repo) => findRecord(repo, c, D), D));
    });

    app.get(`${prefix}/code-scanning/alerts/:number/instances`, (c) => {
      const D = doc(KIND, "list-instances-of-a-code-scanning-alert");
      const { repo } = repoAccess(c, state, KIND, "read", D);
      const record = findRecord(repo, c, D);
      const ref = refParam(c);
      const all = record.instances.length ? record.instances : [record.alert.most_recent_instance];
      const items = ref ? all.filter((i) => sameRef(i.ref, ref)) : all;
      const page = paginate(c, {
        items,
        keyOf: () => [0, 0], // page numbers only: keys are never used
        desc: false,
        page: true,
        cursor: false,
        linkPath: `/repositories/${repo.id}/code-scanning/alerts/${record.alert.number}/instances`,
      });
      return send(c, page.items, 200, page.link ? { link: page.link } : {});
    });

    app.get(`${prefix}/code-scanning/analyses`, (c) => {
      const D = doc(KIND, "list-code-scanning-analyses-for-a-repository");
      const { repo } = repoAccess(c, state, KIND, "read", D);
      if (repo.analyses.length === 0) throw noAnalysis(D);
      const toolName = c.req.query("tool_name");
      const toolGuid = c.req.query("tool_guid");
      const sarifId = c.req.query("sarif_id");
      const ref = refParam(c);
      const desc = isDesc(c);
      const items = repo.analyses
        .filter((a) => (!toolName || a.tool.name === toolName) && (!toolGuid || a.tool.guid === toolGuid))
        .filter((a) => (!sarifId || a.sarif_id === sarifId) && (!ref || sameRef(a.ref, ref)))
        .sort((a, b) => (ms(a.created_at) - ms(b.created_at) || a.id - b.id) * (desc ? -1 : 1));
      const page = paginate(c, {
        items,
        keyOf: (a) => [ms(a.created_at), a.id],
        desc,
        page: true,
        cursor: false,
        linkPath: `/repositories/${repo.id}/code-scanning/analyses`,
      });
      return send(c, page.items, 200, page.link ? { link: page.link } : {});
    });
  }

  for (const prefix of ORG_PREFIXES) {
    app.get(`${prefix}/code-scanning/alerts`, (c) => {
      const org = orgAccess(c, state, KIND, doc(KIND, "list-code-scanning-alerts-for-an-organization"));
      const scope = { key: `org:${org.id}`, repos: () => reposWithFeature(state, [org], KIND), ref: null, severity: true };
      return listAlerts(c, state, { ...scope, linkPath: `/organizations/${org.id}/code-scanning/alerts` }, true);
    });
  }

  app.get("/enterprises/:enterprise/code-scanning/alerts", (c) => {
    const D = doc(KIND, "list-code-scanning-alerts-for-an-enterprise");
    const { enterprise, orgs } = enterpriseAccess(c, state, KIND, D);
    const key = `ent:${enterprise.id}:${orgs.map((o) => o.id).join(",")}`;
    const scope = { key, repos: () => reposWithFeature(state, orgs, KIND), ref: null, severity: false };
    return listAlerts(c, state, { ...scope, linkPath: `/enterprises/${enterprise.id}/code-scanning/alerts` }, true);
  });
}
