// The store: `openStore(location)` opens SQLite (a path) or PostgreSQL (a postgres:// URL), migrates, and hands out
// one repository module per entity, also bound to a transaction so data and checkpoint commit together.
import { Kysely, Migrator, type Dialect } from "kysely";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { resolve } from "node:path";
import { systemClock, type Clock } from "../core/clock.js";
import { AppError } from "../core/errors.js";
import { AlertEvents } from "./alert-events.js";
import { Alerts } from "./alerts.js";
import { AuditEvents } from "./audit-events.js";
import { Checkpoints } from "./checkpoints.js";
import type { StoreContext, StoreDialect } from "./context.js";
import { Detections } from "./detections.js";
import { Leases } from "./leases.js";
import { migrationProvider } from "./migrations/index.js";
import { redactUrl } from "../core/secret.js";
import type { Logger } from "../core/logger.js";
import { openSqlite } from "./open-sqlite.js";
import { Outbox } from "./outbox.js";
import { RepoInventory } from "./repo-inventory.js";
import type { Database } from "./schema.js";
import { WebhookDeliveries } from "./webhook-deliveries.js";

export type { StoreDialect } from "./context.js";
export type { AlertKind, AlertEventSource, AuditScope, Database, WebhookStatus } from "./schema.js";
export type { AuditEvent, AuditEventFilter, AuditEventInput, AuditEventRef } from "./audit-events.js";
export type { Alert, AlertFilter, AlertInput, AlertPageOptions, AlertUpsert, UpsertStatus } from "./alerts.js";
export type { AlertEvent, AlertEventFilter, AlertEventInput } from "./alert-events.js";
export type { Repository, RepositoryInput } from "./repo-inventory.js";
export type { Checkpoint, Validator } from "./checkpoints.js";
export type { WebhookDelivery, WebhookDeliveryInput } from "./webhook-deliveries.js";
export type { OutboxBatch, OutboxRecord, RecordKind } from "./outbox.js";
export type { Lease } from "./leases.js";
export type { Detection, DetectionFilter, DetectionInput } from "./detections.js";
export type { Page, PageOptions } from "./keyset.js";
export { RECORD_KINDS } from "./outbox.js";
export { alertEventId, alertId, auditEventId, canonicalJson, detectionId } from "./ids.js";

export interface StoreOptions {
  clock?: Clock;
  /** PostgreSQL schema for the tables (also `?schema=` in the URL); created if absent. */
  schema?: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** Run pending migrations on open (default true). */
  migrate?: boolean;
  /** Where background problems go (a failed SQLite checkpoint); default: a process warning. */
  logger?: Pick<Logger, "warn">;
}

/** The repository modules, one per entity, all bound to the same database handle or transaction. */
export interface StoreRepositories {
  readonly auditEvents: AuditEvents;
  readonly alerts: Alerts;
  readonly alertEvents: AlertEvents;
  readonly repoInventory: RepoInventory;
  readonly checkpoints: Checkpoints;
  readonly webhookDeliveries: WebhookDeliveries;
  readonly outbox: Outbox;
  readonly leases: Leases;
  readonly detections: Detections;
}

export interface Store extends StoreRepositories {
  readonly dialect: StoreDialect;
  /** The location with any password hidden, for logs. */
  readonly location: string;
  /** The Kysely instance, for queries no repository offers yet (add them to a repository instead when you can). */
  readonly db: Kysely<Database>;
  /**
   * Runs `fn` in one transaction with repositories bound to it: everything it writes commits together, or nothing does
   * when it throws. Do not use the store's own repositories inside `fn` (they run outside the transaction and, on
   * SQLite, would wait for it forever).
   */
  transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const POSTGRES_URL = /^postgres(ql)?:\/\//i;
/** A URL scheme (two letters or more, so `C:\...` stays a path). */
const OTHER_URL = /^[a-z][a-z0-9+.-]+:\/\//i;

export async function openStore(location: string, options: StoreOptions = {}): Promise<Store> {
  const shown = redactUrl(location);
  let dialect: Dialect;
  let kind: StoreDialect;
  let schema: string | undefined;
  if (location.trim() === "") {
    throw new AppError("store-error", "No store location was given.", {
      hint: "Set store to a file path (e.g. ./data/ghaudit.db) or a postgres:// URL.",
    });
  } else if (POSTGRES_URL.test(location)) {
    // Loaded only for PostgreSQL: the driver adds ~50 ms to every start of a command on SQLite.
    const { openPostgres } = await import("./open-postgres.js");
    ({ dialect, schema } = await openPostgres(location, options));
    kind = "postgres";
  } else if (OTHER_URL.test(location) || location.startsWith("file:")) {
    throw new AppError("store-error", `Unsupported store location ${shown}.`, {
      hint: "Use a file path for SQLite (e.g. ./data/ghaudit.db) or a postgres:// or postgresql:// URL.",
    });
  } else {
    const logger = options.logger;
    dialect = openSqlite(location, (error) =>
      logger ? logger.warn({ error }, "a SQLite WAL checkpoint failed; the next commit tries again") : process.emitWarning(`SQLite WAL checkpoint failed: ${error}`),
    );
    kind = "sqlite";
  }
  const db = new Kysely<Database>({ dialect });
  const base: StoreContext = {
    db,
    dialect: kind,
    clock: options.clock ?? systemClock,
    shared: { holder: `${hostname()}:${process.pid}:${randomUUID()}`, filterIndexHolds: 0, filterIndexRenewal: null },
  };
  if (options.migrate ?? true) {
    // Stores opened at once in one process on one SQLite file (tests, mostly) migrate one after the other: a second
    // connection would otherwise wait for the first's lock synchronously, blocking the very event loop it waits on.
    const key = kind === "sqlite" ? resolve(location) : `${shown}#${schema ?? ""}`;
    await oneAtATime(key, async () => {
      await migrate(db, kind, schema, shown);
      // A process that stopped during a bulk load left them dropped (see AuditEvents.suspendFilterIndexes). Without
      // them the store still works (filtered listings scan), so a failure to build them does not stop it from opening.
      await new AuditEvents(base)
        .restoreFilterIndexes()
        .catch((err: unknown) => {
          const message = "could not rebuild the audit log's filter indexes; filtered listings scan until a start builds them";
          if (options.logger) options.logger.warn({ err }, message);
          else process.emitWarning(`${message}: ${err instanceof Error ? err.message : String(err)}`);
        });
    });
  }
  return {
    dialect: kind,
    location: shown,
    db,
    ...repositories(base),
    transaction: (fn) => db.transaction().execute((trx) => fn(repositories({ ...base, db: trx }))),
    close: async () => {
      await new AuditEvents(base).closeSuspension();
      await db.destroy();
    },
  };
}

const migrations = new Map<string, Promise<void>>();

async function oneAtATime(key: string, fn: () => Promise<void>): Promise<void> {
  const previous = migrations.get(key) ?? Promise.resolve();
  const current = previous.then(fn, fn);
  const settled = current.catch(() => undefined);
  migrations.set(key, settled);
  try {
    await current;
  } finally {
    if (migrations.get(key) === settled) migrations.delete(key);
  }
}

function repositories(ctx: StoreContext): StoreRepositories {
  return {
    auditEvents: new AuditEvents(ctx),
    alerts: new Alerts(ctx),
    alertEvents: new AlertEvents(ctx),
    repoInventory: new RepoInventory(ctx),
    checkpoints: new Checkpoints(ctx),
    webhookDeliveries: new WebhookDeliveries(ctx),
    outbox: new Outbox(ctx),
    leases: new Leases(ctx),
    detections: new Detections(ctx),
  };
}

async function migrate(db: Kysely<Database>, kind: StoreDialect, schema: string | undefined, shown: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider(kind),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  await db.destroy().catch(() => undefined);
  const failed = results?.find((r) => r.status === "Error")?.migrationName;
  const text = error instanceof Error ? error.message : String(error);
  const newer = /corrupted migrations|missing/i.test(text);
  throw new AppError(
    "store-error",
    `Cannot migrate the store at ${shown}${failed ? ` (migration ${failed})` : ""}: ${text}`,
    {
      cause: error,
      hint: newer
        ? "This database was written by a newer ghaudit: upgrade ghaudit, or point it at another database."
        : "Check that the database user may create tables, and that no other program changed ghaudit's tables.",
    },
  );
}
