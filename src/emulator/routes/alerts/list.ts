// Runs an alert list: cached filtered+sorted view, GitHub's pagination for the endpoint, rendering and send().
import type { EmuContext } from "../../http/context.js";
import type { GitHubHttpError } from "../../http/errors.js";
import { paginate } from "../../http/pagination.js";
import { send } from "../../http/respond.js";
import { simpleRepository } from "../../render.js";
import type { EmulatorState } from "../../state/state.js";
import type { EmuRepo } from "../../state/types.js";
import { alertUid, sortedView, type AlertRow, type ViewSpec } from "./view-cache.js";

export interface ListOptions<A> {
  view: ViewSpec<A>;
  /** Pagination styles the endpoint accepts (GITHUB-API.md 1.3). */
  page: boolean;
  cursor: boolean;
  /** Dependabot answers `page` with a 400. */
  rejectPage?: GitHubHttpError;
  /** Path of Link URLs: GitHub links to `/repositories/{id}/…`, `/organizations/{id}/…`, `/enterprises/{id}/…`. */
  linkPath: string;
  render: (row: AlertRow<A>) => unknown;
}

export function sendList<A>(c: EmuContext, state: EmulatorState, options: ListOptions<A>): Response {
  if (options.rejectPage && c.req.query("page") !== undefined) throw options.rejectPage;
  const items = sortedView(state, options.view);
  const page = paginate(c, {
    items,
    keyOf: (s) => s.key,
    desc: options.view.desc,
    page: options.page,
    cursor: options.cursor,
    linkPath: options.linkPath,
    ...(options.rejectPage ? { rejectPage: options.rejectPage } : {}),
  });
  const body = page.items.map((s) => options.render(s.row));
  return send(c, body, 200, page.link ? { link: page.link } : {});
}

/** `simple-repository` per repo, built once per response. */
export function repositoryRenderer(state: EmulatorState): (repo: EmuRepo) => ReturnType<typeof simpleRepository> {
  const cache = new Map<number, ReturnType<typeof simpleRepository>>();
  return (repo) => {
    let out = cache.get(repo.id);
    if (!out) cache.set(repo.id, (out = simpleRepository(state, repo)));
    return out;
  };
}

/** Rows of every alert of the given repos. */
export function* rowsOf<A>(
  repos: Iterable<EmuRepo>,
  alertsOf: (repo: EmuRepo) => readonly A[],
  numberOf: (alert: A) => number,
): Iterable<AlertRow<A>> {
  for (const repo of repos) {
    for (const alert of alertsOf(repo)) yield { repo, alert, uid: alertUid(repo, numberOf(alert)) };
  }
}
