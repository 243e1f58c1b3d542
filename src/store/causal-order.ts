// The order of one alert's timeline entries that share an instant: causal (each entry leaves the state the one before
// entered), not the order they were recorded in. GitHub's REST times are whole seconds, so a creation and a closing,
// or a close and a reopen, often carry the same `at`; and the record position (`seq`) is no guide: a later report
// can describe an earlier moment, and `enrich` moves an entry to a new position.

/** What ordering needs of an entry. */
export interface Orderable {
  alertId: string;
  at: number;
  fromState: string | null;
  toState: string;
}

/**
 * Orders entries of ONE alert at ONE instant (given in record order) as a chain. `before` is the alert's state just
 * before the instant (null: none, the alert did not exist; undefined: not known). Each step takes the first entry
 * that leaves the current state; failing that, at the start, a creation or an entry of unknown origin (null
 * `from_state`); then an entry of unknown origin; then an entry that leaves a state no other remaining entry enters
 * (the head of what is left); then record order.
 */
export function chainOrder<T extends Orderable>(group: readonly T[], before: string | null | undefined): T[] {
  if (group.length < 2) return [...group];
  const rest = [...group];
  const out: T[] = [];
  let state: string | null | undefined = before;
  while (rest.length > 0) {
    let i = state === undefined || state === null ? -1 : rest.findIndex((e) => e.fromState === state);
    if (i < 0) i = rest.findIndex((e) => e.fromState === null);
    if (i < 0) i = rest.findIndex((e) => !rest.some((o) => o !== e && o.toState === e.fromState));
    if (i < 0) i = 0;
    const [next] = rest.splice(i, 1);
    out.push(next!);
    state = next!.toState;
  }
  return out;
}

/**
 * Reorders a list sorted by `at` (ascending or descending), then alert id, then record position (the same direction)
 * so that each run of entries of one alert at one instant reads causally (reversed when the list is descending).
 * `before(first, previous)` gives the alert's state before a run: `previous` is the entry of that alert emitted
 * last, if any.
 */
export function causalOrder<T extends Orderable>(
  rows: readonly T[],
  desc: boolean,
  before: (first: T, previous: T | undefined) => string | null | undefined,
): T[] {
  const out: T[] = [];
  const last = new Map<string, T>();
  for (let i = 0; i < rows.length; ) {
    let j = i + 1;
    while (j < rows.length && rows[j]!.at === rows[i]!.at && rows[j]!.alertId === rows[i]!.alertId) j++;
    const group = rows.slice(i, j);
    if (group.length > 1) {
      // In record order for the tie-breaks, whatever the list's direction.
      if (desc) group.reverse();
      const chain = chainOrder(group, before(group[0]!, last.get(group[0]!.alertId)));
      out.push(...(desc ? chain.reverse() : chain));
    } else out.push(group[0]!);
    last.set(group[0]!.alertId, out[out.length - 1]!);
    i = j;
  }
  return out;
}
