// Stream checkpoints (a JSON cursor per stream) and HTTP validators (ETag / Last-Modified per stream and URL).
// Write them through `store.transaction()` together with the data they cover, so both commit or neither does.
import { atomically, parseJson, type StoreContext } from "./context.js";

export interface Checkpoint<T> {
  cursor: T;
  updatedAt: number;
}

export interface Validator {
  etag: string;
  lastModified: string | null;
  /** The `next` page link the response had, for walks that continue past a 304 (absent: not recorded). */
  next?: string | null;
}

export class Checkpoints {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** The stored cursor of `stream`; the type parameter is the caller's promise about what it stored. */
  async get<T = unknown>(stream: string): Promise<Checkpoint<T> | undefined> {
    const row = await this.#ctx.db
      .selectFrom("checkpoints")
      .select(["cursor", "updated_at"])
      .where("stream", "=", stream)
      .executeTakeFirst();
    return row ? { cursor: parseJson(row.cursor) as T, updatedAt: Number(row.updated_at) } : undefined;
  }

  /** Replaces the cursor of `stream` (any JSON value). */
  async set(stream: string, cursor: unknown): Promise<void> {
    await this.setMany([{ stream, cursor }]);
  }

  /** Replaces the cursors of several streams in one statement (a stream given twice: the last one wins). */
  async setMany(entries: readonly { stream: string; cursor: unknown }[]): Promise<void> {
    if (entries.length === 0) return;
    const now = this.#ctx.clock.now();
    // One row per stream: PostgreSQL refuses an upsert that would update the same row twice.
    const byStream = new Map(entries.map((e) => [e.stream, e.cursor]));
    await this.#ctx.db
      .insertInto("checkpoints")
      .values([...byStream].map(([stream, cursor]) => ({ stream, cursor: JSON.stringify(cursor ?? null), updated_at: now })))
      .onConflict((oc) => oc.column("stream").doUpdateSet((eb) => ({ cursor: eb.ref("excluded.cursor"), updated_at: eb.ref("excluded.updated_at") })))
      .execute();
  }

  /** Forgets a stream's cursor and validators (the next run starts from scratch). */
  async reset(stream: string): Promise<void> {
    await atomically(this.#ctx, async (db) => {
      await db.deleteFrom("checkpoints").where("stream", "=", stream).execute();
      await db.deleteFrom("etags").where("stream", "=", stream).execute();
    });
  }

  async list(): Promise<{ stream: string; cursor: unknown; updatedAt: number }[]> {
    const rows = await this.#ctx.db.selectFrom("checkpoints").selectAll().orderBy("stream").execute();
    return rows.map((r) => ({ stream: r.stream, cursor: parseJson(r.cursor), updatedAt: Number(r.updated_at) }));
  }

  async getValidator(stream: string, url: string): Promise<Validator | undefined> {
    const row = await this.#ctx.db
      .selectFrom("etags")
      .select(["etag", "last_modified", "next"])
      .where("stream", "=", stream)
      .where("url", "=", url)
      .executeTakeFirst();
    return row ? toValidator(row) : undefined;
  }

  /** Every validator of `stream`, by URL (load once per run instead of one query per request). */
  async validators(stream: string): Promise<Map<string, Validator>> {
    const rows = await this.#ctx.db.selectFrom("etags").selectAll().where("stream", "=", stream).execute();
    return new Map(rows.map((r) => [r.url, toValidator(r)]));
  }

  /** Stores the validators of several pages of `stream` in one statement (each URL once: the last one wins). */
  async setValidators(stream: string, pages: readonly { url: string; validator: Validator }[]): Promise<void> {
    if (pages.length === 0) return;
    const now = this.#ctx.clock.now();
    const byUrl = new Map(pages.map((p) => [p.url, p.validator]));
    await this.#ctx.db
      .insertInto("etags")
      .values([...byUrl].map(([url, v]) => ({ stream, url, etag: v.etag, last_modified: v.lastModified, next: v.next ?? null, updated_at: now })))
      .onConflict((oc) =>
        oc.columns(["stream", "url"]).doUpdateSet((eb) => ({
          etag: eb.ref("excluded.etag"),
          last_modified: eb.ref("excluded.last_modified"),
          next: eb.ref("excluded.next"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }

  async setValidator(stream: string, url: string, validator: Validator): Promise<void> {
    await this.setValidators(stream, [{ url, validator }]);
  }
}

function toValidator(r: { etag: string; last_modified: string | null; next: string | null }): Validator {
  return { etag: r.etag, lastModified: r.last_modified, next: r.next };
}
