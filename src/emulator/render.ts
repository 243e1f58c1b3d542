// GitHub's shared object shapes (simple-user, simple-repository, minimal-repository), built from the state
// with URLs on the emulator's own base URL.
import { isoSeconds } from "../core/clock.js";
import type { EmulatorState } from "./state/state.js";
import type { EmuOrg, EmuRepo, SimpleUser } from "./state/types.js";

export function renderUser(state: EmulatorState, login: string): SimpleUser {
  const user = state.user(login);
  const id = user?.id ?? 1;
  const base = state.baseUrl;
  const api = `${base}/users/${login}`;
  return {
    login,
    id,
    node_id: Buffer.from(`04:User${id}`).toString("base64"),
    avatar_url: `${base}/avatars/u/${id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: `${base}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user?.type ?? (login.endsWith("[bot]") ? "Bot" : "User"),
    user_view_type: "public",
    site_admin: false,
  };
}

export function renderOrgOwner(state: EmulatorState, login: string): SimpleUser {
  const org = state.org(login);
  return { ...renderUser(state, login), id: org?.id ?? 1, type: "Organization" };
}

/** The fields every organization object shares (`organization-simple`, and the start of `organization-full`). */
export function simpleOrganization(state: EmulatorState, org: EmuOrg) {
  const api = `${state.baseUrl}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: Buffer.from(`012:Organization${org.id}`).toString("base64"),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${state.baseUrl}/avatars/u/${org.id}?v=4`,
    description: null as string | null,
  };
}

export function simpleRepository(state: EmulatorState, repo: EmuRepo) {
  const base = state.baseUrl;
  const api = `${base}/repos/${repo.fullName}`;
  return {
    id: repo.id,
    node_id: repo.nodeId,
    name: repo.name,
    full_name: repo.fullName,
    owner: renderOrgOwner(state, repo.owner),
    private: repo.visibility !== "public",
    html_url: `${base}/${repo.fullName}`,
    description: repo.description,
    fork: repo.fork,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    hooks_url: `${api}/hooks`,
  };
}

const SECURITY_KEYS = [
  "advanced_security",
  "code_security",
  "dependabot_security_updates",
  "secret_scanning",
  "secret_scanning_push_protection",
  "secret_scanning_non_provider_patterns",
  "secret_scanning_validity_checks",
] as const;

/** `minimal-repository`; `security_and_analysis` only for callers with admin-level access, as on GitHub. */
export function minimalRepository(state: EmulatorState, repo: EmuRepo, showSecurity: boolean) {
  const simple = simpleRepository(state, repo);
  const host = new URL(state.baseUrl).host;
  return {
    ...simple,
    git_url: `git://${host}/${repo.fullName}.git`,
    ssh_url: `git@${host}:${repo.fullName}.git`,
    clone_url: `${state.baseUrl}/${repo.fullName}.git`,
    svn_url: `${state.baseUrl}/${repo.fullName}`,
    mirror_url: null,
    homepage: null,
    language: null,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 1024,
    default_branch: repo.defaultBranch,
    open_issues_count: 0,
    is_template: false,
    topics: [],
    has_issues: repo.hasIssues,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    archived: repo.archived,
    disabled: false,
    visibility: repo.visibility,
    pushed_at: isoSeconds(repo.pushedAt),
    created_at: isoSeconds(repo.createdAt),
    updated_at: isoSeconds(repo.updatedAt),
    permissions: { admin: showSecurity, maintain: showSecurity, push: true, triage: true, pull: true },
    allow_forking: repo.visibility !== "public",
    web_commit_signoff_required: false,
    forks: 0,
    open_issues: 0,
    watchers: 0,
    ...(showSecurity
      ? {
          security_and_analysis: Object.fromEntries(
            SECURITY_KEYS.map((k) => [k, { status: repo.features[k] ? "enabled" : "disabled" }]),
          ),
        }
      : {}),
    custom_properties: {},
  };
}
