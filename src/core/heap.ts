// How far V8 lets the heap grow between full garbage collections. By default it grows the old generation up to about
// 4x the live heap of a fast-allocating process: a backfill with ~45 MB live peaked at 330-350 MB RSS, nearly all of it
// garbage not collected yet. `--heap-growing-percent` makes the growth factor fixed; V8 reads it at every full
// collection, so unlike `--max-old-space-size` it can be set after start (https://nodejs.org/api/v8.html#v8setflagsfromstringflags).
import { setFlagsFromString } from "node:v8";

/**
 * Growth factor 1.8, measured on the 1M-event backfill (bench/backfill.ts). V8's default gave a peak RSS of 340 MB.
 * A factor of 1.6 gave ~240 MB at first, and 208-218 MB once batches held less. 1.8 now gives 220-230 MB, and takes
 * 7-20% less of the sync's CPU than 1.6 (two alternated rounds, medians of 3: 47.2k/42.1k against 38.2k/39.2k
 * events/s), because there are fewer full collections.
 */
export const HEAP_GROWING_PERCENT = 80;

/** Flags with which the user chose the heap's size or growth themselves: then ghaudit leaves V8 alone. */
const USER_FLAGS = /--(heap[-_]growing[-_]percent|max[-_]old[-_]space[-_]size|max[-_]heap[-_]size)\b/;

/**
 * Makes V8 collect the old generation before it grows past `percent` % above the live heap, unless the process was
 * started with its own heap flags (on the command line, or `--max-old-space-size` in NODE_OPTIONS, which refuses the
 * other two). Returns whether it set the flag.
 */
export function limitHeapGrowth(
  percent = HEAP_GROWING_PERCENT,
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env["NODE_OPTIONS"],
): boolean {
  if (execArgv.some((a) => USER_FLAGS.test(a)) || USER_FLAGS.test(nodeOptions ?? "")) return false;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return true;
}
