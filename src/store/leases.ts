// Named leases with expiry, so several stateless instances on one PostgreSQL run each stream on one instance at a time.
// Every operation is a single statement, hence atomic on both dialects without explicit locking.
import { sql, type Selectable } from "kysely";
import type { StoreContext } from "./context.js";
import type { LeasesTable } from "./schema.js";

export interface Lease {
  name: string;
  holder: string;
  /** Fencing token: grows each time the lease changes hands (never when the same holder renews). */
  generation: number;
  acquiredAt: number;
  expiresAt: number;
}

export class Leases {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /**
   * Takes the lease for `ttlMs` if it is free, expired, or already ours (then it is extended).
   * Returns the lease when `holder` has it, undefined when someone else holds it.
   */
  async acquire(name: string, holder: string, ttlMs: number): Promise<Lease | undefined> {
    const now = this.#ctx.clock.now();
    const row = await this.#ctx.db
      .insertInto("leases")
      .values({ name, holder, generation: 1, acquired_at: now, expires_at: now + ttlMs })
      .onConflict((oc) =>
        oc
          .column("name")
          .doUpdateSet((eb) => {
            const ours = eb("leases.holder", "=", eb.ref("excluded.holder"));
            return {
              holder: eb.ref("excluded.holder"),
              expires_at: eb.ref("excluded.expires_at"),
              generation: eb.case().when(ours).then(eb.ref("leases.generation")).else(eb("leases.generation", "+", 1)).end(),
              acquired_at: eb.case().when(ours).then(eb.ref("leases.acquired_at")).else(eb.ref("excluded.acquired_at")).end(),
            };
          })
          .where((eb) => eb.or([eb("leases.holder", "=", eb.ref("excluded.holder")), eb("leases.expires_at", "<=", now)])),
      )
      .returningAll()
      .executeTakeFirst();
    return row ? toLease(row) : undefined;
  }

  /** Extends a lease `holder` still has; false when it expired or changed hands (stop working, then re-acquire). */
  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.#ctx.clock.now();
    const result = await this.#ctx.db
      .updateTable("leases")
      .set({ expires_at: now + ttlMs })
      .where("name", "=", name)
      .where("holder", "=", holder)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Gives the lease up now (it expires; the row and its generation stay). False when `holder` did not have it. */
  async release(name: string, holder: string): Promise<boolean> {
    const now = this.#ctx.clock.now();
    const result = await this.#ctx.db
      .updateTable("leases")
      .set({ expires_at: now })
      .where("name", "=", name)
      .where("holder", "=", holder)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The current holder, or undefined when nobody holds the lease now. */
  async holder(name: string): Promise<Lease | undefined> {
    const row = await this.#ctx.db
      .selectFrom("leases")
      .selectAll()
      .where("name", "=", name)
      .where("expires_at", ">", this.#ctx.clock.now())
      .executeTakeFirst();
    return row ? toLease(row) : undefined;
  }

  /** The leases held now whose names start with `prefix`. */
  async heldWithPrefix(prefix: string): Promise<Lease[]> {
    const rows = await this.#ctx.db
      .selectFrom("leases")
      .selectAll()
      // substr, not LIKE (case-insensitive on SQLite, wildcards) or a range (collation-dependent on PostgreSQL).
      .where(sql<string>`substr(name, 1, ${prefix.length})`, "=", prefix)
      .where("expires_at", ">", this.#ctx.clock.now())
      .orderBy("name")
      .execute();
    return rows.map(toLease);
  }

  /** Every lease row, held or not, for status pages. */
  async list(): Promise<Lease[]> {
    const rows = await this.#ctx.db.selectFrom("leases").selectAll().orderBy("name").execute();
    return rows.map(toLease);
  }
}

function toLease(r: Selectable<LeasesTable>): Lease {
  return {
    name: r.name,
    holder: r.holder,
    generation: Number(r.generation),
    acquiredAt: Number(r.acquired_at),
    expiresAt: Number(r.expires_at),
  };
}
