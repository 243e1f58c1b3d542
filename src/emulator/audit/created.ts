// The `created:` qualifier of the audit log's search phrase: dates, ISO date-times, comparisons and `a..b` ranges.

/** A half-open interval `[from, to)` of epoch milliseconds; infinite ends stand for open ranges. */
export interface TimeRange {
  from: number;
  to: number;
}

/** Thrown for a value the search syntax does not accept; the route turns it into a 422. */
export class PhraseSyntaxError extends Error {}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** An instant as written, with the span its precision covers (`2024-07-08` covers the whole UTC day). */
interface Instant {
  start: number;
  end: number;
}

function checked(ms: number, year: string, month: string, day: string, raw: string): number {
  const d = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (
    !Number.isFinite(ms) ||
    d.getUTCFullYear() !== Number(year) ||
    d.getUTCMonth() !== Number(month) - 1 ||
    d.getUTCDate() !== Number(day)
  ) {
    throw new PhraseSyntaxError(`"${raw}" is not a valid date`);
  }
  return ms;
}

function parseInstant(raw: string): Instant {
  const date = DATE.exec(raw);
  if (date) {
    const [, y, m, d] = date as unknown as [string, string, string, string];
    const start = checked(Date.UTC(Number(y), Number(m) - 1, Number(d)), y, m, d, raw);
    return { start, end: start + 86_400_000 };
  }
  const dt = DATE_TIME.exec(raw);
  if (!dt) throw new PhraseSyntaxError(`"${raw}" is not a date (YYYY-MM-DD) or an ISO 8601 date-time`);
  const [, y, mo, d, h, mi, s, frac, zone] = dt as unknown as [
    string, string, string, string, string, string, string | undefined, string | undefined, string | undefined,
  ];
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) throw new PhraseSyntaxError(`"${raw}" is not a valid time`);
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, "0"));
  let offset = 0;
  if (zone && zone !== "Z") {
    const digits = zone.replace(":", "");
    const sign = digits.startsWith("-") ? -1 : 1;
    offset = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000;
  }
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
  const start = checked(base, y, mo, d, raw) - offset;
  // The span is the precision written: a minute, a second or a millisecond.
  const span = frac !== undefined ? 1 : s !== undefined ? 1000 : 60_000;
  return { start, end: start + span };
}

/**
 * Parses a `created:` value: `2024-07-08`, `=2024-07-08`, `>2024-07-08`, `>=…`, `<…`, `<=…`, `a..b` (inclusive of
 * both ends' spans) with `*` for an open end. Dates are UTC days; date-times may carry `Z` or an offset (UTC if none).
 */
export function parseCreated(value: string): TimeRange {
  const range = value.indexOf("..");
  if (range >= 0) {
    const a = value.slice(0, range);
    const b = value.slice(range + 2);
    if (a === "" || b === "") throw new PhraseSyntaxError(`"${value}" is not a valid range (use a..b, a..* or *..b)`);
    return {
      from: a === "*" ? -Infinity : parseInstant(a).start,
      to: b === "*" ? Infinity : parseInstant(b).end,
    };
  }
  const op = /^(>=|<=|>|<|=)?(.*)$/.exec(value)!;
  const operator = op[1] ?? "=";
  const rest = op[2] ?? "";
  if (rest === "") throw new PhraseSyntaxError(`"${value}" has no date`);
  const at = parseInstant(rest);
  switch (operator) {
    case ">":
      return { from: at.end, to: Infinity };
    case ">=":
      return { from: at.start, to: Infinity };
    case "<":
      return { from: -Infinity, to: at.start };
    case "<=":
      return { from: -Infinity, to: at.end };
    default:
      return { from: at.start, to: at.end };
  }
}
