// POST /repos/{owner}/{repo}/issues: how ghaudit opens a tracking issue for an alert. Validates like GitHub,
// answers 410 when issues are disabled and enforces the content-creation secondary limit (80/minute).
import { isoSeconds } from "../../core/clock.js";
import type { EmuApp, RouteDeps } from "../http/context.js";
import { requireAccess } from "../http/auth.js";
import { GitHubHttpError, notFound, validationFailed } from "../http/errors.js";
import { send } from "../http/respond.js";
import { renderUser } from "../render.js";

const DOCS = "https://docs.github.com/rest/issues/issues#create-an-issue";
const CONTENT_LIMIT_PER_MINUTE = 80;

export function registerIssues(app: EmuApp, { state }: RouteDeps): void {
  const recent = new Map<string, number[]>();

  app.post("/repos/:owner/:repo/issues", async (c) => {
    const repo = state.repo(c.req.param("owner"), c.req.param("repo"));
    const org = repo ? state.org(repo.owner) : undefined;
    if (!repo || !org) throw notFound(DOCS);
    const token = requireAccess(c, org, { permission: "issues", level: "write", scopes: ["repo", "public_repo"] }, DOCS);

    const now = state.now();
    const window = (recent.get(token.login) ?? []).filter((t) => t > now - 60_000);
    if (window.length >= CONTENT_LIMIT_PER_MINUTE) {
      throw new GitHubHttpError(403, "You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.", {
        headers: { "retry-after": "60" },
        documentationUrl:
          "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
      });
    }
    window.push(now);
    recent.set(token.login, window);

    let body: Record<string, unknown>;
    try {
      const parsed: unknown = await c.req.json();
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
      body = parsed as Record<string, unknown>;
    } catch {
      throw new GitHubHttpError(400, "Problems parsing JSON", { documentationUrl: DOCS });
    }
    if (!repo.hasIssues) throw new GitHubHttpError(410, "Issues are disabled for this repo", { documentationUrl: DOCS });
    const title = body["title"];
    if (title === undefined || title === null || title === "") {
      throw validationFailed([{ resource: "Issue", code: "missing_field", field: "title" }], DOCS);
    }
    if (typeof title !== "string" && typeof title !== "number") {
      throw validationFailed([{ resource: "Issue", code: "invalid", field: "title" }], DOCS);
    }
    const labels = Array.isArray(body["labels"])
      ? (body["labels"] as unknown[]).map((l) => (typeof l === "string" ? l : String((l as { name?: unknown }).name ?? "")))
      : [];
    const number = repo.next.issue++;
    const api = `${state.baseUrl}/repos/${repo.fullName}`;
    const id = state.nextId();
    const issue = {
      id,
      node_id: Buffer.from(`I_${id}`).toString("base64"),
      url: `${api}/issues/${number}`,
      repository_url: api,
      labels_url: `${api}/issues/${number}/labels{/name}`,
      comments_url: `${api}/issues/${number}/comments`,
      events_url: `${api}/issues/${number}/events`,
      html_url: `${state.baseUrl}/${repo.fullName}/issues/${number}`,
      number,
      state: "open",
      title: String(title),
      body: typeof body["body"] === "string" ? body["body"] : null,
      user: renderUser(state, token.login),
      labels: labels.map((name, i) => ({
        id: id * 100 + i,
        node_id: Buffer.from(`LA_${id * 100 + i}`).toString("base64"),
        url: `${api}/labels/${encodeURIComponent(name)}`,
        name,
        description: null,
        color: "d73a4a",
        default: false,
      })),
      assignee: null,
      assignees: [],
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: 0,
      pull_request: undefined,
      closed_at: null,
      created_at: isoSeconds(now),
      updated_at: isoSeconds(now),
      closed_by: null,
      author_association: "MEMBER",
      state_reason: null,
    };
    state.issues.push({ repo: repo.fullName, number, title: issue.title, body: issue.body, labels, by: token.login, at: now });
    return send(c, issue, 201, { location: issue.url });
  });
}
