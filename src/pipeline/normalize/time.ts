// Timestamps to ISO 8601 UTC with `Z`: audit events carry epoch ms (sometimes s, µs or ISO text), alerts ISO text.

const SECONDS_BELOW = 1e11; // 1e11 s is the year 5138; 1e11 ms is 1973, so smaller magnitudes are seconds
const MILLIS_BELOW = 1e14;
const MICROS_BELOW = 1e17;
const MIN_MS = -62167219200000; // 0000-01-01T00:00:00.000Z
const MAX_MS = 253402300799999; // 9999-12-31T23:59:59.999Z

/** Epoch number in s, ms, µs or ns (detected by magnitude) -> whole milliseconds (sub-ms parts truncated). */
export function epochToMillis(n: number): number {
  const a = Math.abs(n);
  if (a < SECONDS_BELOW) return Math.round(n * 1000); // round: 1606929874.512 * 1000 is 1606929874511.9998
  if (a < MILLIS_BELOW) return Math.floor(n);
  if (a < MICROS_BELOW) return Math.floor(n / 1000);
  return Math.floor(n / 1e6);
}

const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;
const NUMERIC = /^-?\d+(\.\d+)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parseText(s: string): number {
  if (s === "") return NaN;
  if (NUMERIC.test(s)) return epochToMillis(Number(s));
  if (HAS_ZONE.test(s) || DATE_ONLY.test(s)) return Date.parse(s);
  const utc = Date.parse(`${s.replace(" ", "T")}Z`);
  return Number.isNaN(utc) ? Date.parse(s) : utc;
}

/**
 * Any GitHub time value -> `YYYY-MM-DDTHH:MM:SS.sssZ`, or null when absent or unparseable.
 * Text without a zone is read as UTC (GitHub's exports are UTC; `Date.parse` would use local time).
 */
export function toIsoUtc(v: unknown): string | null {
  let ms: number;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return null;
    ms = epochToMillis(v);
  } else if (typeof v === "string") {
    ms = parseText(v.trim());
  } else if (v instanceof Date) {
    ms = v.getTime();
  } else {
    return null;
  }
  // Outside years 0000-9999 toISOString() writes `+010000-…`, which is not the documented format.
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) return null;
  return new Date(ms).toISOString();
}

/** The latest of several ISO UTC strings produced by `toIsoUtc` (same format, so text order is time order). */
export function latest(...values: (string | null)[]): string | null {
  let best: string | null = null;
  for (const v of values) if (v !== null && (best === null || v > best)) best = v;
  return best;
}
