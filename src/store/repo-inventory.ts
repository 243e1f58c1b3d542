// The repository inventory (table `repositories`): visibility, archived flag, default branch, security features.
import type { Selectable } from "kysely";
import { atomically, chunksFor, jsonText, parseJson, takePositions, type StoreContext } from "./context.js";
import { canonicalJson } from "./ids.js";
import type { RepositoriesTable } from "./schema.js";

export interface RepositoryInput {
  /** GitHub's numeric repository id. */
  id: number;
  /** `owner/name`. */
  fullName: string;
  visibility?: string | null;
  archived?: boolean;
  fork?: boolean;
  defaultBranch?: string | null;
  /** Security feature flags (`security_and_analysis`, alert features found enabled or disabled). */
  security: Record<string, unknown>;
  raw: string | Record<string, unknown>;
}

export interface Repository {
  id: number;
  fullName: string;
  owner: string;
  name: string;
  visibility: string | null;
  archived: boolean;
  fork: boolean;
  defaultBranch: string | null;
  security: Record<string, unknown>;
  raw: unknown;
  firstSeen: number;
  lastSeen: number;
  missingSince: number | null;
  seq: number;
}

type Row = Selectable<RepositoriesTable>;
const COMPARED = ["full_name", "owner", "name", "visibility", "archived", "fork", "default_branch", "security"] as const;
const COLUMNS_PER_ROW = 14;

export class RepoInventory {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Stores the repositories as seen now; new and changed ones get a new record position. */
  async upsert(repos: readonly RepositoryInput[]): Promise<{ inserted: number; changed: number; unchanged: number }> {
    const now = this.#ctx.clock.now();
    const byId = new Map<number, Row>(repos.map((r) => [r.id, toRow(r, now)]));
    const ids = [...byId.keys()];
    return atomically(this.#ctx, async (db) => {
      await takePositions(db, 0);
      const previous = new Map<number, Row>();
      for (const chunk of chunksFor(this.#ctx, ids, 1)) {
        const rows = await db.selectFrom("repositories").selectAll().where("id", "in", chunk).execute();
        for (const row of rows) previous.set(Number(row.id), row);
      }
      const writes: Row[] = [];
      const touched: number[] = [];
      for (const [id, row] of byId) {
        const old = previous.get(id);
        if (old && COMPARED.every((c) => old[c] === row[c])) touched.push(id);
        else writes.push({ ...row, first_seen: old ? Number(old.first_seen) : row.first_seen });
      }
      let position = await takePositions(db, writes.length);
      for (const row of writes) row.seq = position++;
      for (const chunk of chunksFor(this.#ctx, writes, COLUMNS_PER_ROW)) {
        await db
          .insertInto("repositories")
          .values(chunk)
          .onConflict((oc) =>
            oc.column("id").doUpdateSet((eb) => ({
              full_name: eb.ref("excluded.full_name"),
              owner: eb.ref("excluded.owner"),
              name: eb.ref("excluded.name"),
              visibility: eb.ref("excluded.visibility"),
              archived: eb.ref("excluded.archived"),
              fork: eb.ref("excluded.fork"),
              default_branch: eb.ref("excluded.default_branch"),
              security: eb.ref("excluded.security"),
              raw: eb.ref("excluded.raw"),
              last_seen: eb.ref("excluded.last_seen"),
              missing_since: eb.ref("excluded.missing_since"),
              seq: eb.ref("excluded.seq"),
            })),
          )
          .execute();
      }
      for (const chunk of chunksFor(this.#ctx, touched, 1)) {
        await db.updateTable("repositories").set({ last_seen: now, missing_since: null }).where("id", "in", chunk).execute();
      }
      const inserted = writes.filter((w) => !previous.has(Number(w.id))).length;
      return { inserted, changed: writes.length - inserted, unchanged: touched.length };
    });
  }

  /**
   * Marks repositories not seen since `seenSince` (start of a complete listing) as missing; returns how many.
   * `owner` limits it to one organization's repositories (the listing that was complete).
   */
  async markMissing(seenSince: number, owner?: string): Promise<number> {
    const now = this.#ctx.clock.now();
    return atomically(this.#ctx, async (db) => {
      await takePositions(db, 0);
      let query = db
        .updateTable("repositories")
        .set({ missing_since: now })
        .where("last_seen", "<", seenSince)
        .where("missing_since", "is", null);
      if (owner !== undefined) query = query.where("owner", "=", owner);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    });
  }

  async get(id: number): Promise<Repository | undefined> {
    const row = await this.#ctx.db.selectFrom("repositories").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toRepository(row) : undefined;
  }

  async findByName(fullName: string): Promise<Repository | undefined> {
    const row = await this.#ctx.db
      .selectFrom("repositories")
      .selectAll()
      .where("full_name", "=", fullName)
      .orderBy("last_seen", "desc")
      .executeTakeFirst();
    return row ? toRepository(row) : undefined;
  }

  /** Every repository (present ones unless `includeMissing`), by name. Inventories are small enough to list whole. */
  async list(options: { includeMissing?: boolean } = {}): Promise<Repository[]> {
    let query = this.#ctx.db.selectFrom("repositories").selectAll().orderBy("full_name");
    if (!options.includeMissing) query = query.where("missing_since", "is", null);
    return (await query.execute()).map(toRepository);
  }
}

function toRow(r: RepositoryInput, now: number): Row {
  const slash = r.fullName.indexOf("/");
  return {
    id: r.id,
    full_name: r.fullName,
    owner: slash >= 0 ? r.fullName.slice(0, slash) : "",
    name: slash >= 0 ? r.fullName.slice(slash + 1) : r.fullName,
    visibility: r.visibility ?? null,
    archived: r.archived ? 1 : 0,
    fork: r.fork ? 1 : 0,
    default_branch: r.defaultBranch ?? null,
    security: canonicalJson(r.security),
    raw: jsonText(r.raw),
    first_seen: now,
    last_seen: now,
    missing_since: null,
    seq: 0,
  };
}

export function toRepository(r: Row): Repository {
  return {
    id: Number(r.id),
    fullName: r.full_name,
    owner: r.owner,
    name: r.name,
    visibility: r.visibility,
    archived: Number(r.archived) === 1,
    fork: Number(r.fork) === 1,
    defaultBranch: r.default_branch,
    security: parseJson(r.security) as Record<string, unknown>,
    raw: parseJson(r.raw),
    firstSeen: Number(r.first_seen),
    lastSeen: Number(r.last_seen),
    missingSince: r.missing_since === null ? null : Number(r.missing_since),
    seq: Number(r.seq),
  };
}
