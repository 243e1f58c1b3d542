// Audit-log events: idempotent bulk insert keyed by (at, id), filtered keyset listing, counts.
import { sql, type CompiledQuery, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool } from "kysely";
import { atomically, chunksFor, EACH_ROW, jsonText, type EachRowQuery, parseJson, takePositions, toCount, type StoreContext, type StoreDialect } from "./context.js";
import { auditEventId } from "./ids.js";
import { Leases, type Lease } from "./leases.js";
import { hostname } from "node:os";
import { decodeCursor, pageLimit, toPage, type Page, type PageOptions } from "./keyset.js";
import type { AuditEventsTable, AuditScope, Database } from "./schema.js";

export interface AuditEventInput {
  /** Defaults to `auditEventId(raw)` (GitHub's `_document_id`, else a content hash). */
  id?: string;
  scope: AuditScope;
  scopeName: string;
  action: string;
  actor?: string | null;
  user?: string | null;
  org?: string | null;
  repo?: string | null;
  /** `@timestamp`, epoch ms. */
  at: number;
  createdAt?: number | null;
  country?: string | null;
  operationType?: string | null;
  severity?: string | null;
  /** The event as received: JSON text, or the parsed object. */
  raw: string | Record<string, unknown>;
  normalized: unknown;
}

export interface AuditEvent {
  seq: number;
  id: string;
  scope: AuditScope;
  scopeName: string;
  action: string;
  actor: string | null;
  user: string | null;
  org: string | null;
  repo: string | null;
  at: number;
  createdAt: number | null;
  country: string | null;
  operationType: string | null;
  severity: string | null;
  raw: unknown;
  normalized: unknown;
  firstSeen: number;
}

export interface AuditEventFilter {
  /** Inclusive lower bound on `at` (epoch ms). */
  from?: number;
  /** Exclusive upper bound on `at`. */
  to?: number;
  /** Each entry matches that action and everything below it: `repo` matches `repo.create`, as GitHub's `action:`. */
  actions?: readonly string[];
  actor?: string;
  user?: string;
  repo?: string;
  org?: string;
  scope?: AuditScope;
  scopeName?: string;
}

/** Identifies one stored event: the pair the table is keyed by. */
export interface AuditEventRef {
  id: string;
  at: number;
}

type Row = Selectable<AuditEventsTable>;
/** Insert column order; `insert` pushes parameters in exactly this order. */
const COLUMNS = [
  "seq", "id", "scope", "scope_name", "action", "actor", "user_login", "org", "repo", "at", "created_at", "country",
  "operation_type", "severity", "raw", "normalized", "first_seen",
] as const satisfies readonly (keyof Row)[];
const statements = new Map<string, CompiledQuery>();

/** The indexes behind filtered listings (as migration 0001 made them); a bulk load may suspend them. */
const FILTER_INDEXES = [
  { name: "audit_events_action_at", columns: ["action", "at"] },
  { name: "audit_events_actor_at", columns: ["actor", "at"] },
  { name: "audit_events_repo_at", columns: ["repo", "at"] },
] as const;

/**
 * A bulk load suspends the filter indexes only into a table holding fewer events than this, so their rebuild, which
 * reads every stored event (~1.5 s per million on SQLite), stays a small part of the load.
 */
export const SUSPEND_INDEXES_BELOW = 100_000;

/** An `actions` filter covering more stored actions than this is listed as one range over the action index. */
const MAX_MERGED_ACTIONS = 200;
/** The filter index an `actions` filter is read from (typed against FILTER_INDEXES, so a rename cannot miss it). */
const ACTION_INDEX: (typeof FILTER_INDEXES)[number]["name"] = "audit_events_action_at";
/** An `actions` filter of more distinct entries than this is listed as one range, without resolving its actions. */
const MAX_RESOLVED_ENTRIES = 16;

/** The lease of the process whose bulk load has the filter indexes suspended; renewed every third of its life. */
const SUSPENSION_LEASE = "store:audit-filter-indexes";
const SUSPENSION_TTL_MS = 5 * 60_000;

/** The multi-row `insert ... on conflict (at, id) do nothing` for `rows` rows, compiled by Kysely once per shape. */
function insertStatement(db: Kysely<Database>, dialect: StoreDialect, rows: number): CompiledQuery {
  const key = `${dialect}:${rows}`;
  let statement = statements.get(key);
  if (!statement) {
    const placeholder = Object.fromEntries(COLUMNS.map((c) => [c, 0])) as unknown as Row;
    statement = db
      .insertInto("audit_events")
      .values(Array.from({ length: rows }, () => placeholder))
      .onConflict((oc) => oc.columns(["at", "id"]).doNothing())
      .compile();
    if (statement.parameters.length !== rows * COLUMNS.length) throw new Error("audit_events insert: unexpected shape");
    statements.set(key, statement);
  }
  return statement;
}

export class AuditEvents {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Inserts the events not stored yet (duplicates, also within the batch, are skipped) and says how many were new. */
  async insert(events: readonly AuditEventInput[]): Promise<{ inserted: number; skipped: number }> {
    if (events.length === 0) return { inserted: 0, skipped: 0 };
    const firstSeen = this.#ctx.clock.now();
    // Duplicates, also within the batch, are left to `on conflict do nothing` (a skipped row's position stays unused).
    const batch = events;
    const inserted = await atomically(this.#ctx, async (db) => {
      let position = await takePositions(db, batch.length);
      // Parameters straight from the inputs, in COLUMNS order, into statements Kysely compiled once per shape: building
      // and compiling a 1000-row query each time costs as much as the database's work for it.
      const rows = batch.map((e) => [
        position++, e.id ?? auditEventId(e.raw), e.scope, e.scopeName, e.action, e.actor ?? null, e.user ?? null, e.org ?? null,
        e.repo ?? null, e.at, e.createdAt ?? null, e.country ?? null, e.operationType ?? null, e.severity ?? null,
        jsonText(e.raw), jsonText(e.normalized), firstSeen,
      ]);
      if (this.#ctx.dialect === "sqlite") {
        const query: EachRowQuery = { ...insertStatement(db, "sqlite", 1), [EACH_ROW]: rows };
        return Number((await db.executeQuery(query)).numAffectedRows ?? 0n);
      }
      let count = 0;
      for (const chunk of chunksFor(this.#ctx, rows, COLUMNS.length)) {
        const result = await db.executeQuery({ ...insertStatement(db, this.#ctx.dialect, chunk.length), parameters: chunk.flat() });
        count += Number(result.numAffectedRows ?? 0n);
      }
      return count;
    });
    return { inserted, skipped: events.length - inserted };
  }

  /**
   * Suspends the filter indexes (action, actor, repo) for a bulk load such as a first backfill, on SQLite when the table
   * holds fewer than `below` (SUSPEND_INDEXES_BELOW) events; elsewhere it does nothing. Their keys are spread over the
   * whole index, so each batch rewrites thousands of their pages into the WAL: a million-event load wrote 3.2 GB of WAL
   * for a 0.8 GB database and spent a quarter of its CPU time on it, where building them once afterwards takes ~1.3 s.
   * Filtered listings still work meanwhile, by scanning.
   *
   * Loads of this store share the suspension; the function returned ends this one's part, and the last one rebuilds
   * the indexes (resolving true). A lease in the store (renewed while held) tells other processes to leave the indexes
   * alone meanwhile; when another process holds it, this load goes ahead without suspending. If the process stops
   * before the rebuild, the next `openStore` on this machine rebuilds them (it sees the holder's process is gone), or
   * elsewhere the first one after the lease expired (5 min).
   *
   * The rebuild holds the database for ~1.5 s per million stored events, so this is for one-shot runs (`sync --once`),
   * not for a process that must answer meanwhile.
   */
  async suspendFilterIndexes(options: { below?: number } = {}): Promise<(beforeRebuild?: () => void) => Promise<boolean>> {
    const below = options.below ?? SUSPEND_INDEXES_BELOW;
    const shared = this.#ctx.shared;
    const nothing = () => Promise.resolve(false);
    if (this.#ctx.dialect !== "sqlite" || this.#ctx.db.isTransaction) return nothing;
    if (shared.filterIndexHolds === 0) {
      const large = await this.#ctx.db.selectFrom("audit_events").select("seq").limit(1).offset(below - 1).executeTakeFirst();
      // (Another load of this store may have suspended them meanwhile: then this one joins it.)
      if (shared.filterIndexHolds === 0) {
        if (large) return nothing;
        // Counted from here: a load that ends (and rebuilds) meanwhile then leaves the lease and its renewal to this one.
        shared.filterIndexHolds++;
        try {
          if (!(await this.#takeSuspension())) {
            if (--shared.filterIndexHolds === 0) await this.#endSuspension();
            return nothing;
          }
        } catch (err) {
          if (--shared.filterIndexHolds === 0) await this.#endSuspension();
          throw err;
        }
        return this.#ender();
      }
    }
    shared.filterIndexHolds++;
    return this.#ender();
  }

  /** Takes the suspension's lease (false: another live process's load holds it), keeps it renewed, drops the indexes. */
  async #takeSuspension(): Promise<boolean> {
    const shared = this.#ctx.shared;
    const leases = new Leases(this.#ctx);
    if (!(await leases.acquire(SUSPENSION_LEASE, shared.holder, SUSPENSION_TTL_MS))) {
      // Held by another process's load, unless that process has died: then its lease is given up for it.
      if (await this.#liveForeignSuspension()) return false;
      if (!(await leases.acquire(SUSPENSION_LEASE, shared.holder, SUSPENSION_TTL_MS))) return false;
    }
    if (!shared.filterIndexRenewal) {
      shared.filterIndexRenewal = setInterval(() => {
        leases.renew(SUSPENSION_LEASE, shared.holder, SUSPENSION_TTL_MS).catch(() => undefined);
      }, SUSPENSION_TTL_MS / 3);
      shared.filterIndexRenewal.unref();
    }
    await atomically(this.#ctx, async (db) => {
      for (const index of FILTER_INDEXES) await db.schema.dropIndex(index.name).ifExists().execute();
    });
    return true;
  }

  /** The function that ends one load's part of the suspension; the last one rebuilds the indexes. */
  #ender(): (beforeRebuild?: () => void) => Promise<boolean> {
    const shared = this.#ctx.shared;
    let ended = false;
    return async (beforeRebuild) => {
      if (ended) return false;
      ended = true;
      if (--shared.filterIndexHolds > 0) return false;
      beforeRebuild?.();
      try {
        await this.#buildMissingFilterIndexes();
      } finally {
        await this.#endSuspension();
      }
      return true;
    };
  }

  /** Stops renewing this store's suspension lease and gives it up (for `Store.close()`: the next open rebuilds). */
  async closeSuspension(): Promise<void> {
    if (this.#ctx.shared.filterIndexRenewal) await this.#endSuspension();
  }

  /**
   * Stops renewing this store's suspension lease and gives it up, unless a new load suspended the indexes again while
   * the last one was rebuilding them: the lease and its renewal are then that load's.
   */
  async #endSuspension(): Promise<void> {
    const shared = this.#ctx.shared;
    if (shared.filterIndexHolds > 0) return;
    if (shared.filterIndexRenewal) clearInterval(shared.filterIndexRenewal);
    shared.filterIndexRenewal = null;
    await new Leases(this.#ctx).release(SUSPENSION_LEASE, shared.holder).catch(() => undefined);
  }

  /**
   * Creates the filter indexes that are missing, unless another process's bulk load holds them suspended. Returns
   * whether they are all there now.
   */
  async restoreFilterIndexes(): Promise<boolean> {
    if (this.#ctx.dialect !== "sqlite") return true;
    // Read first, outside a transaction: a store with its indexes (the usual case) takes no write lock.
    if ((await this.#missingFilterIndexes(this.#ctx.db)).length === 0) return true;
    if (await this.#liveForeignSuspension()) return false;
    await this.#buildMissingFilterIndexes();
    return true;
  }

  /**
   * The suspension lease when another live process holds it. A holder on this machine whose process is gone has its
   * lease released here (holders are `host:pid:uuid`; SQLite files are local), so a restart right after a crash does
   * not wait for the lease to expire.
   */
  async #liveForeignSuspension(): Promise<Lease | undefined> {
    const leases = new Leases(this.#ctx);
    const lease = await leases.holder(SUSPENSION_LEASE);
    if (!lease || lease.holder === this.#ctx.shared.holder) return undefined;
    const [host, pid] = lease.holder.split(":");
    if (host !== hostname() || !Number.isInteger(Number(pid)) || processAlive(Number(pid))) return lease;
    await leases.release(SUSPENSION_LEASE, lease.holder);
    return undefined;
  }

  /**
   * SQLite builds them with a 2 MiB page cache, one helper thread for its sort, and its sorted runs in temporary files
   * rather than in memory: measured on 820k events, 1.2 s and 55 MB against 2.5 s and 110 MB with the store's usual
   * settings.
   */
  async #buildMissingFilterIndexes(): Promise<void> {
    if ((await this.#missingFilterIndexes(this.#ctx.db)).length === 0) return;
    try {
      await this.#buildFilterIndexes({ cacheKib: 2048, threads: 1, tempFiles: true });
    } catch {
      // Temporary files may not fit where SQLite puts them (SQLITE_TMPDIR, TMPDIR or /tmp): sort in memory instead.
      await this.#buildFilterIndexes({ cacheKib: null, threads: 0, tempFiles: false });
    }
  }

  /** Builds the missing filter indexes in one transaction; `cacheKib: null` keeps the connection's page cache. */
  async #buildFilterIndexes(o: { cacheKib: number | null; threads: number; tempFiles: boolean }): Promise<void> {
    await atomically(this.#ctx, async (db) => {
      const missing = await this.#missingFilterIndexes(db);
      if (missing.length === 0) return;
      const cacheSize = (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]?.cache_size ?? -2000;
      const tempStore = (await sql<{ temp_store: number }>`pragma temp_store`.execute(db)).rows[0]?.temp_store ?? 0;
      if (o.cacheKib !== null) await sql.raw(`pragma cache_size = -${Math.trunc(o.cacheKib)}`).execute(db);
      await sql.raw(`pragma threads = ${Math.trunc(o.threads)}`).execute(db);
      if (o.tempFiles) await sql`pragma temp_store = FILE`.execute(db);
      try {
        for (const index of missing) await db.schema.createIndex(index.name).on("audit_events").columns([...index.columns]).execute();
      } finally {
        await sql.raw(`pragma temp_store = ${Math.trunc(tempStore)}`).execute(db);
        await sql`pragma threads = 0`.execute(db);
        await sql.raw(`pragma cache_size = ${Math.trunc(cacheSize)}`).execute(db);
      }
    });
  }

  async #missingFilterIndexes(db: Kysely<Database>): Promise<(typeof FILTER_INDEXES)[number][]> {
    const names = FILTER_INDEXES.map((i) => i.name);
    const present = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and name in (${sql.join(names)})`.execute(db);
    return FILTER_INDEXES.filter((i) => !present.rows.some((r) => r.name === i.name));
  }

  /**
   * Rewrites the rule results of stored events (after the rules changed): severity and the `normalized` column.
   * Returns how many rows changed.
   */
  async reclassify(updates: readonly { id: string; at: number; severity: string; normalized: unknown }[]): Promise<number> {
    if (updates.length === 0) return 0;
    return atomically(this.#ctx, async (db) => {
      let changed = 0;
      for (const u of updates) {
        const result = await db
          .updateTable("audit_events")
          .set({ severity: u.severity, normalized: jsonText(u.normalized) })
          .where("at", "=", u.at)
          .where("id", "=", u.id)
          .executeTakeFirst();
        changed += Number(result.numUpdatedRows);
      }
      return changed;
    });
  }

  /**
   * One page of events matching the filter, ordered by (at, id). An `actions` filter is first resolved to the stored
   * actions it covers (one statement), and each is read in (at, id) order from the (action, at) index, a page at most,
   * before the pages are merged: as one range over the action index, a broad prefix (`workflows`, half of an audit
   * log) made the database fetch and sort every match, ~2 s for 400k events, unless its planner had statistics.
   */
  async list(filter: AuditEventFilter = {}, options: PageOptions = {}): Promise<Page<AuditEvent>> {
    const limit = pageLimit(options.limit);
    const desc = (options.order ?? "desc") === "desc";
    const direction = desc ? "desc" : "asc";
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, ["number", "string"] as const);
    // With an actor or repository to match, the database reads that index instead (usually a few matches).
    const narrowed = filter.actor !== undefined || filter.repo !== undefined;
    const actions = filter.actions && filter.actions.length > 0 && !narrowed ? await this.#coveredActions(filter.actions) : null;
    const { actions: _resolved, ...rest } = filter;
    const where = (action?: string) => (eb: ExpressionBuilder<Database, "audit_events">) => {
      const conditions = matches(eb, action === undefined ? filter : rest);
      if (action !== undefined) conditions.push(eb("action", "=", action));
      if (after) conditions.push(eb(eb.refTuple("at", "id"), desc ? "<" : ">", eb.tuple(after[0], after[1])));
      return eb.and(conditions);
    };
    const page = <Q extends { orderBy: (c: "at" | "id", d: "asc" | "desc") => Q; limit: (n: number) => Q }>(q: Q): Q =>
      q.orderBy("at", direction).orderBy("id", direction).limit(limit + 1);
    const db = this.#ctx.db;
    let rows: Row[];
    if (actions === null) {
      rows = await page(db.selectFrom("audit_events").selectAll().where(where())).execute();
    } else if (actions.length === 0) {
      rows = [];
    } else if (actions.length === 1) {
      rows = await page(db.selectFrom("audit_events").selectAll().where(where(actions[0]))).execute();
    } else {
      // Each action's page as keys only (the sort then moves no event bodies), merged; then the page's rows by key.
      const [first, ...others] = actions.map((a, i) =>
        db.selectFrom(page(db.selectFrom("audit_events").select(["seq", "at", "id"]).where(where(a))).as(`a${i}`)).selectAll(),
      );
      const keys = page(others.reduce((union, branch) => union.unionAll(branch), first!));
      rows = await page(db.selectFrom("audit_events").selectAll().where("seq", "in", db.selectFrom(keys.as("k")).select("k.seq"))).execute();
    }
    return toPage(rows, limit, (r) => [r.at, r.id], toAuditEvent);
  }

  /**
   * The distinct stored actions that `entries` cover (each entry: that action and everything below it), in one
   * statement that seeks the (action, at) index from one action to the next (a recursive CTE, as PostgreSQL's "loose
   * index scan"). Null when the page should be read as one range instead: more than MAX_MERGED_ACTIONS are covered,
   * more than MAX_RESOLVED_ENTRIES entries are given, or the index is suspended (SQLite, during a bulk load), when
   * each seek would scan the table.
   */
  async #coveredActions(entries: readonly string[]): Promise<string[] | null> {
    const db = this.#ctx.db;
    if (this.#ctx.dialect === "sqlite" && (await this.#missingFilterIndexes(db)).some((i) => i.name === ACTION_INDEX)) return null;
    const unique = [...new Set(entries)];
    // Each entry adds two terms to the statement (SQLite allows 500) and planning time on PostgreSQL.
    if (unique.length > MAX_RESOLVED_ENTRIES) return null;
    const walks = unique.map((entry, i) => {
      const walk = sql.id(`c${i}`);
      return sql`${walk}(action, n) as (
        select (select action from audit_events where action >= ${`${entry}.`} and action < ${`${entry}/`} order by action limit 1), 1
        union all
        select (select e.action from audit_events e where e.action > ${walk}.action and e.action < ${`${entry}/`} order by e.action limit 1), ${walk}.n + 1
        from ${walk} where ${walk}.action is not null and ${walk}.n <= ${MAX_MERGED_ACTIONS}
      )`;
    });
    const found = [
      ...unique.map((_, i) => sql`select action from ${sql.id(`c${i}`)} where action is not null`),
      ...unique.map((entry, i) => sql`select action from (select action from audit_events where action = ${entry} limit 1) as ${sql.id(`x${i}`)}`),
    ];
    const { rows } = await sql<{ action: string }>`with recursive ${sql.join(walks)} ${sql.join(found, sql` union `)}`.execute(db);
    return rows.length > MAX_MERGED_ACTIONS ? null : rows.map((r) => r.action);
  }

  async count(filter: AuditEventFilter = {}): Promise<number> {
    const row = await this.#ctx.db
      .selectFrom("audit_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where((eb) => eb.and(matches(eb, filter)))
      .executeTakeFirstOrThrow();
    return toCount(row.n);
  }

  /** The most frequent actions among matching events, for summaries. */
  async countByAction(filter: AuditEventFilter = {}, limit = 20): Promise<{ action: string; count: number }[]> {
    const rows = await this.#ctx.db
      .selectFrom("audit_events")
      .select((eb) => ["action", eb.fn.countAll<number>().as("n")])
      .where((eb) => eb.and(matches(eb, filter)))
      .groupBy("action")
      .orderBy("n", "desc")
      .orderBy("action")
      .limit(limit)
      .execute();
    return rows.map((r) => ({ action: r.action, count: toCount(r.n) }));
  }

  /** The stored events among `refs` (e.g. a detection's matches), in time order. */
  async getByRefs(refs: readonly AuditEventRef[]): Promise<AuditEvent[]> {
    if (refs.length === 0) return [];
    const out: Row[] = [];
    for (const chunk of chunksFor(this.#ctx, refs, 2)) {
      const rows = await this.#ctx.db
        .selectFrom("audit_events")
        .selectAll()
        .where((eb) => eb(eb.refTuple("at", "id"), "in", chunk.map((r) => eb.tuple(r.at, r.id))))
        .execute();
      out.push(...rows);
    }
    return out.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(toAuditEvent);
  }

  /** One event by its position (stable: audit events never change once stored). */
  async getBySeq(seq: number): Promise<AuditEvent | undefined> {
    const row = await this.#ctx.db.selectFrom("audit_events").selectAll().where("seq", "=", seq).executeTakeFirst();
    return row ? toAuditEvent(row) : undefined;
  }
}

function matches(eb: ExpressionBuilder<Database, "audit_events">, f: AuditEventFilter): Expression<SqlBool>[] {
  const c: Expression<SqlBool>[] = [];
  if (f.from !== undefined) c.push(eb("at", ">=", f.from));
  if (f.to !== undefined) c.push(eb("at", "<", f.to));
  if (f.actions && f.actions.length > 0) {
    // A range instead of LIKE: it uses the (action, at) index on both dialects ('/' sorts right after '.').
    c.push(
      eb.or(
        f.actions.map((a) =>
          eb.or([eb("action", "=", a), eb.and([eb("action", ">=", `${a}.`), eb("action", "<", `${a}/`)])]),
        ),
      ),
    );
  }
  if (f.actor !== undefined) c.push(eb("actor", "=", f.actor));
  if (f.user !== undefined) c.push(eb("user_login", "=", f.user));
  if (f.repo !== undefined) c.push(eb("repo", "=", f.repo));
  if (f.org !== undefined) c.push(eb("org", "=", f.org));
  if (f.scope !== undefined) c.push(eb("scope", "=", f.scope));
  if (f.scopeName !== undefined) c.push(eb("scope_name", "=", f.scopeName));
  return c;
}

export function toAuditEvent(r: Row): AuditEvent {
  return {
    seq: Number(r.seq),
    id: r.id,
    scope: r.scope,
    scopeName: r.scope_name,
    action: r.action,
    actor: r.actor,
    user: r.user_login,
    org: r.org,
    repo: r.repo,
    at: Number(r.at),
    createdAt: r.created_at === null ? null : Number(r.created_at),
    country: r.country,
    operationType: r.operation_type,
    severity: r.severity,
    raw: parseJson(r.raw),
    normalized: parseJson(r.normalized),
    firstSeen: Number(r.first_seen),
  };
}

/** Whether a process with this id exists on this machine (signal 0 only checks). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
