// Opaque keyset-pagination cursors: the sort key of the last row of a page, as base64url JSON.
import { AppError } from "../core/errors.js";

export type KeyValue = string | number | null;

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` to get the next page; absent on the last page. */
  nextCursor: string | undefined;
}

export interface PageOptions {
  /** Rows per page, 1..1000 (default 100). */
  limit?: number;
  cursor?: string;
  /** Newest first (`desc`, default) or oldest first. */
  order?: "asc" | "desc";
}

export function encodeCursor(key: readonly KeyValue[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** Decodes a cursor made by `encodeCursor` for a key of the given shape; anything else is the caller's mistake. */
export function decodeCursor<const T extends readonly ("string" | "number")[]>(
  cursor: string,
  shape: T,
): { [K in keyof T]: T[K] extends "string" ? string : number } {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    value = undefined;
  }
  const ok =
    Array.isArray(value) && value.length === shape.length && shape.every((type, i) => typeof value[i] === type);
  if (!ok) {
    throw new AppError("bad-request", "The page cursor is not valid.", {
      status: 400,
      hint: "Pass back the cursor of the previous page (next_cursor in the API) unchanged, or omit it to start again.",
    });
  }
  return value as { [K in keyof T]: T[K] extends "string" ? string : number };
}

export function pageLimit(limit: number | undefined): number {
  return Math.max(1, Math.min(1000, Math.floor(limit ?? 100)));
}

/** Splits `limit + 1` fetched rows into a page and the cursor of its last row. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => KeyValue[], map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(map), nextCursor: more && last !== undefined ? encodeCursor(key(last)) : undefined };
}
