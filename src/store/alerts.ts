// Security alerts (code scanning, Dependabot, secret scanning): the latest state of each, with change detection.
import type { Expression, ExpressionBuilder, Selectable, SqlBool } from "kysely";
import { atomically, chunksFor, jsonText, takePositions, toCount, type StoreContext } from "./context.js";
import { alertId } from "./ids.js";
import { decodeCursor, pageLimit, toPage, type Page, type PageOptions } from "./keyset.js";
import { rowToAlert, type Alert } from "./alert-rows.js";
import type { AlertKind, AlertsTable, Database } from "./schema.js";

export type { Alert } from "./alert-rows.js";

export interface AlertInput {
  kind: AlertKind;
  /** `owner/name`. */
  repository: string;
  repoId: number;
  number: number;
  state: string;
  severity?: string | null;
  riskLevel?: string | null;
  riskScore?: number | null;
  createdAt: number;
  updatedAt?: number | null;
  closedAt?: number | null;
  closedBy?: string | null;
  reason?: string | null;
  comment?: string | null;
  rule?: string | null;
  tool?: string | null;
  package?: string | null;
  ecosystem?: string | null;
  secretType?: string | null;
  location?: string | null;
  url?: string | null;
  raw: string | Record<string, unknown>;
  normalized: unknown;
  /**
   * When this version was true at GitHub (epoch ms), for telling it from an older one; default its latest time
   * (`created_at`, `updated_at`, `closed_at`). A webhook whose payload carries no time passes when it arrived.
   */
  observedAt?: number;
}

/** `stale`: the stored version is newer than the one given (an older poll page or webhook): not written. */
export type UpsertStatus = "new" | "changed" | "unchanged" | "stale";

/** The latest time a version of an alert carries (epoch ms). */
function versionTime(r: Pick<Row, "created_at" | "updated_at" | "closed_at">): number {
  const created = Number(r.created_at);
  return Math.max(created, r.updated_at === null ? created : Number(r.updated_at), r.closed_at === null ? created : Number(r.closed_at));
}

export interface AlertUpsert {
  id: string;
  status: UpsertStatus;
  /** The stored alert before this call (absent when new), so the caller can diff states. */
  previous: Alert | undefined;
  current: Alert;
}

export interface AlertFilter {
  kinds?: readonly AlertKind[];
  states?: readonly string[];
  repository?: string;
  severities?: readonly string[];
  /** true: only alerts gone from the last full poll; false: only present ones. */
  missing?: boolean;
}

export interface AlertPageOptions extends PageOptions {
  /** `created` orders by creation time; `changed` by the last change seen (the record position). */
  sort?: "created" | "changed";
}

type Row = Selectable<AlertsTable>;
/** Columns whose difference makes an alert "changed" (raw, first/last seen, missing_since and seq do not). */
const COMPARED = [
  "kind", "repository", "repo_id", "number", "state", "severity", "risk_level", "risk_score", "created_at",
  "updated_at", "closed_at", "closed_by", "reason", "comment", "rule", "tool", "package", "ecosystem",
  "secret_type", "location", "url", "normalized",
] as const satisfies readonly (keyof Row)[];
const COLUMNS_PER_ROW = 28;

export class Alerts {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /**
   * Stores the alerts as seen now: new and changed ones get a new record position, unchanged ones only their
   * `last_seen`. A version older than the stored one (its latest time, of `created_at`, `updated_at` and `closed_at`,
   * is earlier: a poll page fetched before a webhook that was stored first) is `stale`: not written, only seen. One
   * result per alert, with its status and previous version, in order of first appearance (an alert given twice is
   * stored as its last copy).
   */
  async upsert(alerts: readonly AlertInput[]): Promise<{ results: AlertUpsert[]; inserted: number; changed: number; unchanged: number; stale: number }> {
    const now = this.#ctx.clock.now();
    const byId = new Map<string, Row>();
    const observed = new Map<string, number>();
    for (const a of alerts) {
      const row = toRow(a, now);
      byId.set(row.id, row);
      observed.set(row.id, a.observedAt ?? versionTime(row));
    }
    const ids = [...byId.keys()];
    const results = await atomically(this.#ctx, async (db) => {
      await takePositions(db, 0); // lock order first, then read: the previous versions cannot change under us
      const previous = new Map<string, Row>();
      for (const chunk of chunksFor(this.#ctx, ids, 1)) {
        for (const row of await db.selectFrom("alerts").selectAll().where("id", "in", chunk).execute()) {
          previous.set(row.id, row);
        }
      }
      const status = new Map<string, UpsertStatus>();
      for (const [id, row] of byId) {
        const old = previous.get(id);
        status.set(id, !old ? "new" : versionTime(old) > observed.get(id)! ? "stale" : COMPARED.some((c) => old[c] !== row[c]) ? "changed" : "unchanged");
      }
      const writes = ids.filter((id) => status.get(id) === "new" || status.get(id) === "changed");
      const touched = ids.filter((id) => status.get(id) === "unchanged" || status.get(id) === "stale");
      let position = await takePositions(db, writes.length);
      const rows = writes.map((id) => {
        const row = byId.get(id) as Row;
        const old = previous.get(id);
        return { ...row, seq: position++, first_seen: old ? Number(old.first_seen) : row.first_seen };
      });
      for (const chunk of chunksFor(this.#ctx, rows, COLUMNS_PER_ROW)) {
        await db
          .insertInto("alerts")
          .values(chunk)
          .onConflict((oc) =>
            oc.column("id").doUpdateSet((eb) => ({
              kind: eb.ref("excluded.kind"),
              repository: eb.ref("excluded.repository"),
              repo_id: eb.ref("excluded.repo_id"),
              number: eb.ref("excluded.number"),
              state: eb.ref("excluded.state"),
              severity: eb.ref("excluded.severity"),
              risk_level: eb.ref("excluded.risk_level"),
              risk_score: eb.ref("excluded.risk_score"),
              created_at: eb.ref("excluded.created_at"),
              updated_at: eb.ref("excluded.updated_at"),
              closed_at: eb.ref("excluded.closed_at"),
              closed_by: eb.ref("excluded.closed_by"),
              reason: eb.ref("excluded.reason"),
              comment: eb.ref("excluded.comment"),
              rule: eb.ref("excluded.rule"),
              tool: eb.ref("excluded.tool"),
              package: eb.ref("excluded.package"),
              ecosystem: eb.ref("excluded.ecosystem"),
              secret_type: eb.ref("excluded.secret_type"),
              location: eb.ref("excluded.location"),
              url: eb.ref("excluded.url"),
              raw: eb.ref("excluded.raw"),
              normalized: eb.ref("excluded.normalized"),
              last_seen: eb.ref("excluded.last_seen"),
              missing_since: eb.ref("excluded.missing_since"),
              seq: eb.ref("excluded.seq"),
            })),
          )
          .execute();
      }
      for (const chunk of chunksFor(this.#ctx, touched, 1)) {
        await db.updateTable("alerts").set({ last_seen: now, missing_since: null }).where("id", "in", chunk).execute();
      }
      const written = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id): AlertUpsert => {
        const old = previous.get(id);
        const current = written.get(id) ?? { ...(old as Row), last_seen: now, missing_since: null };
        return { id, status: status.get(id) ?? "new", previous: old && rowToAlert(old), current: rowToAlert(current) };
      });
    });
    const count = (s: UpsertStatus): number => results.filter((r) => r.status === s).length;
    return { results, inserted: count("new"), changed: count("changed"), unchanged: count("unchanged"), stale: count("stale") };
  }

  /** Marks alerts of `kind` not seen since `seenSince` (the start of a complete poll) as missing; returns how many. */
  async markMissing(kind: AlertKind, seenSince: number, repositories?: readonly string[]): Promise<number> {
    const now = this.#ctx.clock.now();
    return atomically(this.#ctx, async (db) => {
      await takePositions(db, 0);
      let query = db
        .updateTable("alerts")
        .set({ missing_since: now })
        .where("kind", "=", kind)
        .where("last_seen", "<", seenSince)
        .where("missing_since", "is", null);
      if (repositories) query = query.where("repository", "in", repositories.length > 0 ? [...repositories] : [""]);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    });
  }

  /**
   * The repositories (`owner/name`) that have alerts of `kind`, for scoping `markMissing` to what a walk covered;
   * `owner` (an organization) limits them to its repositories, empty or absent means all.
   */
  async repositoriesOf(kind: AlertKind, owner?: string): Promise<string[]> {
    let query = this.#ctx.db.selectFrom("alerts").select("repository").distinct().where("kind", "=", kind);
    // A byte range instead of LIKE (no wildcard escaping, index-friendly); '0' sorts right after '/'.
    if (owner) query = query.where("repository", ">=", `${owner}/`).where("repository", "<", `${owner}0`);
    const rows = await query.orderBy("repository").execute();
    return rows.map((r) => r.repository);
  }

  async get(id: string): Promise<Alert | undefined> {
    const row = await this.#ctx.db.selectFrom("alerts").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? rowToAlert(row) : undefined;
  }

  /** Finds an alert by `owner/name` and number, as audit-log events name it. */
  async findByNumber(kind: AlertKind, repository: string, number: number): Promise<Alert | undefined> {
    const row = await this.#ctx.db
      .selectFrom("alerts")
      .selectAll()
      .where("repository", "=", repository)
      .where("number", "=", number)
      .where("kind", "=", kind)
      .executeTakeFirst();
    return row ? rowToAlert(row) : undefined;
  }

  async list(filter: AlertFilter = {}, options: AlertPageOptions = {}): Promise<Page<Alert>> {
    const limit = pageLimit(options.limit);
    const desc = (options.order ?? "desc") === "desc";
    const op = desc ? "<" : ">";
    const dir = desc ? "desc" : "asc";
    const base = this.#ctx.db.selectFrom("alerts").selectAll().limit(limit + 1);
    if (options.sort === "changed") {
      const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, ["number"] as const);
      const rows = await base
        .where((eb) => eb.and([...matches(eb, filter), ...(after ? [eb("seq", op, after[0])] : [])]))
        .orderBy("seq", dir)
        .execute();
      return toPage(rows, limit, (r) => [Number(r.seq)], rowToAlert);
    }
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, ["number", "string"] as const);
    const rows = await base
      .where((eb) => {
        const c = matches(eb, filter);
        if (after) c.push(eb(eb.refTuple("created_at", "id"), op, eb.tuple(after[0], after[1])));
        return eb.and(c);
      })
      .orderBy("created_at", dir)
      .orderBy("id", dir)
      .execute();
    return toPage(rows, limit, (r) => [Number(r.created_at), r.id], rowToAlert);
  }

  /** Alert counts by kind, state and severity (present alerts only), for summaries. */
  async summary(): Promise<{ kind: AlertKind; state: string; severity: string | null; count: number }[]> {
    const rows = await this.#ctx.db
      .selectFrom("alerts")
      .select((eb) => ["kind", "state", "severity", eb.fn.countAll<number>().as("n")])
      .where("missing_since", "is", null)
      .groupBy(["kind", "state", "severity"])
      .orderBy("kind")
      .orderBy("state")
      .orderBy("severity")
      .execute();
    return rows.map((r) => ({ kind: r.kind, state: r.state, severity: r.severity, count: toCount(r.n) }));
  }
}

function matches(eb: ExpressionBuilder<Database, "alerts">, f: AlertFilter): Expression<SqlBool>[] {
  const c: Expression<SqlBool>[] = [];
  if (f.kinds && f.kinds.length > 0) c.push(eb("kind", "in", [...f.kinds]));
  if (f.states && f.states.length > 0) c.push(eb("state", "in", [...f.states]));
  if (f.repository !== undefined) c.push(eb("repository", "=", f.repository));
  if (f.severities && f.severities.length > 0) c.push(eb("severity", "in", [...f.severities]));
  if (f.missing !== undefined) c.push(eb("missing_since", f.missing ? "is not" : "is", null));
  return c;
}

function toRow(a: AlertInput, now: number): Row {
  return {
    id: alertId(a.kind, a.repository, a.number),
    kind: a.kind,
    repository: a.repository,
    repo_id: a.repoId,
    number: a.number,
    state: a.state,
    severity: a.severity ?? null,
    risk_level: a.riskLevel ?? null,
    risk_score: a.riskScore ?? null,
    created_at: a.createdAt,
    updated_at: a.updatedAt ?? null,
    closed_at: a.closedAt ?? null,
    closed_by: a.closedBy ?? null,
    reason: a.reason ?? null,
    comment: a.comment ?? null,
    rule: a.rule ?? null,
    tool: a.tool ?? null,
    package: a.package ?? null,
    ecosystem: a.ecosystem ?? null,
    secret_type: a.secretType ?? null,
    location: a.location ?? null,
    url: a.url ?? null,
    raw: jsonText(a.raw),
    normalized: jsonText(a.normalized),
    first_seen: now,
    last_seen: now,
    missing_since: null,
    seq: 0,
  };
}
