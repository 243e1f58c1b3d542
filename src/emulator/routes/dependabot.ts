// Dependabot REST endpoints: repo/org/enterprise alert lists (cursor pagination only; `page` is a 400) and single
// alert GET and PATCH (docs: "REST API endpoints for Dependabot alerts").
import type { EmuApp, EmuContext, RouteDeps } from "../http/context.js";
import { GitHubHttpError, notFound } from "../http/errors.js";
import { send } from "../http/respond.js";
import type { EmulatorState } from "../state/state.js";
import type { DependabotAlert, EmuRepo } from "../state/types.js";
import { updateDependabotAlert } from "./alerts/dependabot-update.js";
import { repositoryRenderer, rowsOf, sendList } from "./alerts/list.js";
import { assigneeFilter, csv, csvSet, filterKey, isDesc, ms, sortParam } from "./alerts/query.js";
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

const KIND = "dependabot";

/** Fields of the alert that the generated types (an older spec snapshot) do not know. */
interface Extra {
  assignees?: { login: string }[];
  dependency: { relationship?: string | null };
  security_advisory: { epss?: { percentage?: number } | null; classification?: string };
}

const epssOf = (alert: DependabotAlert): number | undefined => (alert as DependabotAlert & Extra).security_advisory.epss?.percentage;

/** API versions from 2026-03-10 on drop `security_advisory.cvss` (x-github-breaking-changes `deprecate_cvss`). */
function versioned(c: EmuContext): (alert: DependabotAlert) => DependabotAlert {
  const version = c.req.header("x-github-api-version") ?? "2022-11-28";
  if (version < "2026-03-10") return (alert) => alert;
  return (alert) => {
    const { cvss: _cvss, ...advisory } = alert.security_advisory;
    return { ...alert, security_advisory: advisory } as DependabotAlert;
  };
}

const pageRejected = (documentationUrl: string) =>
  new GitHubHttpError(400, "Pagination using the `page` parameter is not supported.", { documentationUrl });

/** `epss_percentage`: `n`, `>n`, `<n`, `>=n`, `<=n` or `n..n`; anything else is a 422 (validation-error-simple). */
function epssFilter(raw: string | undefined, documentationUrl: string): ((p: number) => boolean) | null {
  if (raw === undefined || raw.trim() === "") return null;
  const num = String.raw`(\d*\.?\d+)`;
  const range = new RegExp(`^${num}\\.\\.${num}$`).exec(raw.trim());
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    return (p) => p >= lo && p <= hi;
  }
  const cmp = new RegExp(`^(>=|<=|>|<)?${num}$`).exec(raw.trim());
  if (!cmp) {
    throw new GitHubHttpError(422, "Validation Failed", {
      errors: [`Invalid value for epss_percentage: ${JSON.stringify(raw)}`],
      documentationUrl,
    });
  }
  const n = Number(cmp[2]);
  switch (cmp[1]) {
    case ">=":
      return (p) => p >= n;
    case "<=":
      return (p) => p <= n;
    case ">":
      return (p) => p > n;
    case "<":
      return (p) => p < n;
    default:
      return (p) => p === n;
  }
}

type Level = "repo" | "org" | "enterprise";

function alertFilter(c: EmuContext, level: Level, documentationUrl: string) {
  const states = csvSet(c, "state");
  const severities = csvSet(c, "severity");
  const ecosystems = csvSet(c, "ecosystem");
  const packages = csv(c, "package");
  const manifests = level === "repo" ? csv(c, "manifest") : null;
  const classifications = csvSet(c, "classification");
  const epss = epssFilter(c.req.query("epss_percentage"), documentationUrl);
  const has = csvSet(c, "has");
  const assignees = assigneeFilter(c, "assignee");
  const scope = c.req.query("scope");
  const relationships = csvSet(c, "relationship");
  // Org-only filters on data the emulator does not model (storage and deployment records): nothing matches.
  const unmodelled = level === "org" && ["artifact_registry_url", "artifact_registry", "runtime_risk"].some((p) => csv(c, p));
  return ({ alert }: AlertRow<DependabotAlert>): boolean => {
    if (unmodelled) return false;
    const a = alert as DependabotAlert & Extra;
    const dep = a.dependency;
    if (states && !states.has(a.state)) return false;
    if (severities && !severities.has(a.security_advisory.severity ?? a.security_vulnerability.severity)) return false;
    if (ecosystems && !ecosystems.has((dep.package?.ecosystem ?? "").toLowerCase())) return false;
    if (packages && !packages.includes(dep.package?.name ?? "")) return false;
    if (manifests && !manifests.includes(dep.manifest_path ?? "")) return false;
    if (classifications) {
      const cls = a.security_advisory.classification ?? "general";
      if (!classifications.has(cls)) return false;
    }
    if (epss) {
      const p = epssOf(a);
      if (typeof p !== "number" || !epss(p)) return false;
    }
    if (has) {
      for (const h of has) {
        if (h === "patch" && !a.security_vulnerability.first_patched_version?.identifier) return false;
        if (h !== "patch") return false; // `deployment`: no deployment records in the emulator
      }
    }
    if (assignees && !assignees((a.assignees ?? []).map((u) => u.login))) return false;
    if (scope && dep.scope !== scope) return false;
    if (relationships && !relationships.has(dep.relationship ?? "unknown")) return false;
    return true;
  };
}

function listAlerts(
  c: EmuContext,
  state: EmulatorState,
  scope: { key: string; repos: () => Iterable<EmuRepo>; level: Level; linkPath: string; anchor: string },
): Response {
  const D = doc(KIND, scope.anchor);
  const sort = sortParam(c, ["created", "updated", "epss_percentage"] as const, "created");
  const desc = isDesc(c);
  const repoOf = repositoryRenderer(state);
  const shape = versioned(c);
  const sortValue = ({ alert }: AlertRow<DependabotAlert>): number =>
    sort === "epss_percentage"
      ? (epssOf(alert) ?? -1)
      : ms(sort === "updated" ? alert.updated_at : alert.created_at);
  return sendList(c, state, {
    view: {
      key: `${KIND}|${scope.key}|${filterKey(c)}|${sort}|${desc}`,
      rows: () => rowsOf(scope.repos(), (r) => r.dependabot, (a) => a.number),
      filter: alertFilter(c, scope.level, D),
      sortValue,
      desc,
    },
    page: false,
    cursor: true,
    rejectPage: pageRejected(D),
    linkPath: scope.linkPath,
    render: ({ repo, alert }) => (scope.level === "repo" ? shape(alert) : { ...shape(alert), repository: repoOf(repo) }),
  });
}

function findAlert(repo: EmuRepo, c: EmuContext, documentationUrl: string): DependabotAlert {
  const n = alertNumber(c);
  const alert = n === null ? undefined : repo.dependabot.find((a) => a.number === n);
  if (!alert) throw notFound(documentationUrl);
  return alert;
}

export function registerDependabot(app: EmuApp, deps: RouteDeps): void {
  const { state } = deps;

  for (const prefix of REPO_PREFIXES) {
    app.get(`${prefix}/dependabot/alerts`, (c) => {
      const anchor = "list-dependabot-alerts-for-a-repository";
      const { repo } = repoAccess(c, state, KIND, "read", doc(KIND, anchor));
      const linkPath = `/repositories/${repo.id}/dependabot/alerts`;
      return listAlerts(c, state, { key: `repo:${repo.id}`, repos: () => [repo], level: "repo", linkPath, anchor });
    });

    app.get(`${prefix}/dependabot/alerts/:number`, (c) => {
      const D = doc(KIND, "get-a-dependabot-alert");
      const { repo } = repoAccess(c, state, KIND, "read", D);
      return send(c, versioned(c)(findAlert(repo, c, D)));
    });

    app.patch(`${prefix}/dependabot/alerts/:number`, async (c) => {
      const D = doc(KIND, "update-a-dependabot-alert");
      const scope = repoAccess(c, state, KIND, "write", D);
      const alert = await updateDependabotAlert(c, state, scope, (repo) => findAlert(repo, c, D), D);
      return send(c, versioned(c)(alert));
    });
  }

  for (const prefix of ORG_PREFIXES) {
    app.get(`${prefix}/dependabot/alerts`, (c) => {
      const anchor = "list-dependabot-alerts-for-an-organization";
      const org = orgAccess(c, state, KIND, doc(KIND, anchor));
      const repos = () => reposWithFeature(state, [org], KIND);
      const linkPath = `/organizations/${org.id}/dependabot/alerts`;
      return listAlerts(c, state, { key: `org:${org.id}`, repos, level: "org", linkPath, anchor });
    });
  }

  app.get("/enterprises/:enterprise/dependabot/alerts", (c) => {
    const anchor = "list-dependabot-alerts-for-an-enterprise";
    const { enterprise, orgs } = enterpriseAccess(c, state, KIND, doc(KIND, anchor));
    const key = `ent:${enterprise.id}:${orgs.map((o) => o.id).join(",")}`;
    const repos = () => reposWithFeature(state, orgs, KIND);
    const linkPath = `/enterprises/${enterprise.id}/dependabot/alerts`;
    return listAlerts(c, state, { key, repos, level: "enterprise", linkPath, anchor });
  });
}
