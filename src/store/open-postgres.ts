// Opens a PostgreSQL pool for the store: optional schema (created if absent), int8 as numbers, a clear connect error.
import pg from "pg";
import type { Dialect } from "kysely";
import { AppError } from "../core/errors.js";
import { redactUrl } from "../core/secret.js";
import { StorePostgresDialect } from "./postgres-introspector.js";

export interface PostgresOptions {
  /** Schema for ghaudit's tables (default: the server's search_path, normally `public`). */
  schema?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

const INT8_OID = 20;

/** Parses bigint columns as JS numbers: every int8 ghaudit stores (epoch ms, positions, ids) is below 2^53. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary" ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

export async function openPostgres(location: string, options: PostgresOptions): Promise<{ dialect: Dialect; schema: string | undefined }> {
  const shown = redactUrl(location);
  let connectionString = location;
  let schema = options.schema;
  try {
    const url = new URL(location);
    schema ??= url.searchParams.get("schema") ?? undefined;
    url.searchParams.delete("schema");
    connectionString = url.toString();
  } catch (err) {
    throw new AppError("store-error", `The PostgreSQL URL ${shown} is not a valid URL.`, {
      cause: err,
      hint: "Use postgres://user:password@host:5432/database (percent-encode special characters in the password).",
    });
  }
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new AppError("store-error", `The PostgreSQL schema name "${schema}" is not valid.`, {
      hint: "Use letters, digits and underscores, starting with a letter or underscore.",
    });
  }
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    types,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on("error", () => {
    // An idle client lost its connection; the pool replaces it and the next query reports any lasting problem.
  });
  try {
    const client = await pool.connect();
    try {
      if (schema) {
        // `if not exists` still races when two instances start at once: the loser fails, the schema is there anyway.
        await client.query(`create schema if not exists "${schema}"`).catch(async (err: unknown) => {
          const found = await client.query("select 1 from pg_namespace where nspname = $1", [schema]);
          if (found.rowCount !== 1) throw err;
        });
      }
      await client.query("select 1");
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new AppError("store-error", `Cannot connect to PostgreSQL at ${shown}: ${describe(err)}.`, {
      cause: err,
      hint: hintFor(err),
    });
  }
  return { dialect: new StorePostgresDialect({ pool }), schema };
}

function describe(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return describe(err.errors[0]);
  return err instanceof Error ? err.message || err.name : String(err);
}

function hintFor(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
      return "Check that PostgreSQL is running and that the host and port in the URL are right.";
    case "28P01":
    case "28000":
      return "Check the user name and password in the URL, and pg_hba.conf on the server.";
    case "3D000":
      return "Create the database first (createdb NAME) or fix its name in the URL.";
    case "42501":
      return "The user may not create the schema: create it as an owner, or grant CREATE on the database.";
    default:
      return "Check the URL, that the server is reachable, and the server's log.";
  }
}
