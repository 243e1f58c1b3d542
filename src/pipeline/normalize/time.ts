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

/** A zone at the end: `Z`, `+01`, `+0100`, `+01:00`, perhaps after a space. */
const ZONE = /\s*(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const NUMERIC = /^-?\d+(\.\d+)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parseText(s: string): number {
  if (s === "") return NaN;
  if (NUMERIC.test(s)) return epochToMillis(Number(s));
  if (DATE_ONLY.test(s)) return Date.parse(s);
  // `2020-12-02 17:24:34`, `2020/12/02T17:24:34.5`: date and time as ISO, always in UTC unless a zone says otherwise
  // (Date.parse would read zone-less text in the machine's local time).
  const zone = ZONE.exec(s);
  let body = zone ? s.slice(0, zone.index) : s;
  body = body.replace(/^(\d{4})\/(\d{2})\/(\d{2})/, "$1-$2-$3").replace(/^(\d{4}-\d{2}-\d{2})[ ]+/, "$1T");
  let offset = zone ? zone[1]!.toUpperCase() : "Z";
  if (offset !== "Z") offset = offset.length === 3 ? `${offset}:00` : offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(body)) return Date.parse(`${body}${offset}`);
  // Anything else JavaScript's lenient parser makes sense of, still in UTC when no zone is given.
  return Date.parse(zone ? s : `${s} UTC`);
}

/**
 * Any GitHub time value -> `YYYY-MM-DDTHH:MM:SS.sssZ`, or null when absent or unparseable.
 * Text without a zone is read as UTC (GitHub's exports are UTC; `Date.parse` would use local time).
 */
export function toIsoUtc(v: unknown): string | null {
  const ms = toMillisUtc(v);
  return ms === null ? null : isoFromMillis(ms);
}

/** Any GitHub time value -> epoch ms within years 0000-9999 (what `toIsoUtc` writes out), or null. */
export function toMillisUtc(v: unknown): number | null {
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
  return ms === 0 ? 0 : ms; // -0 (from "-0" or -0.0001 s) is 0, as Date.parse of its ISO text gives
}

const DAY_MS = 86_400_000;
/** `YYYY-MM-DDT` per day number, for the days seen recently. */
const dayPrefixes = new Map<number, string>();
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/**
 * Whole epoch ms (years 0000-9999) -> the text of `new Date(ms).toISOString()`, at a sixth of its cost (every audit
 * event goes through here): the date part is looked up per day, the time of day is put together from digits.
 */
export function isoFromMillis(time: number): string {
  const ms = Math.trunc(time); // as Date does
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= 4096) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  return `${prefix}${TWO_DIGITS[h]!}:${TWO_DIGITS[m]!}:${TWO_DIGITS[sec]!}.${THREE_DIGITS[rest - sec * 1000]!}Z`;
}

/** The latest of several ISO UTC strings produced by `toIsoUtc` (same format, so text order is time order). */
export function latest(...values: (string | null)[]): string | null {
  let best: string | null = null;
  for (const v of values) if (v !== null && (best === null || v > best)) best = v;
  return best;
}
