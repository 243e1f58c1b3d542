// Kysely's PostgreSQL dialect with table introspection limited to the connection's search_path.
//
// Kysely's introspector lists the tables of every schema, resolving each schema by name; a schema dropped meanwhile by
// someone else (parallel test runs, another application) makes it fail, and a `kysely_migration` table in another
// schema would make the Migrator believe ours exists. ghaudit only ever needs the schemas it uses.
import { PostgresDialect, sql, type DatabaseIntrospector, type Kysely, type TableMetadata } from "kysely";

interface ColumnRow {
  table: string;
  schema: string;
  kind: string;
  column: string;
  not_null: boolean;
  has_default: boolean;
  type: string;
  type_schema: string;
}

class SearchPathIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>;

  constructor(db: Kysely<unknown>) {
    this.#db = db;
  }

  async getSchemas(): Promise<{ name: string }[]> {
    const { rows } = await sql<{ name: string }>`select unnest(current_schemas(false)) as name`.execute(this.#db);
    return rows;
  }

  async getTables(options: { withInternalKyselyTables?: boolean } = {}): Promise<TableMetadata[]> {
    const { rows } = await sql<ColumnRow>`
      select c.relname as table, ns.nspname as schema, c.relkind as kind, a.attname as column,
             a.attnotnull as not_null, a.atthasdef as has_default, typ.typname as type, tns.nspname as type_schema
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on c.oid = a.attrelid
      join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
      join pg_catalog.pg_type typ on typ.oid = a.atttypid
      join pg_catalog.pg_namespace tns on tns.oid = typ.typnamespace
      where ns.nspname = any (current_schemas(false)) and c.relkind in ('r', 'v', 'p')
        and a.attnum > 0 and not a.attisdropped
      order by ns.nspname, c.relname, a.attnum`.execute(this.#db);
    const tables = new Map<string, TableMetadata>();
    for (const r of rows) {
      if (!options.withInternalKyselyTables && r.table.startsWith("kysely_migration")) continue;
      const key = `${r.schema}.${r.table}`;
      let table = tables.get(key);
      if (!table) {
        table = { name: r.table, schema: r.schema, isView: r.kind === "v", columns: [] };
        tables.set(key, table);
      }
      table.columns.push({
        name: r.column,
        dataType: r.type,
        dataTypeSchema: r.type_schema,
        isNullable: !r.not_null,
        hasDefaultValue: r.has_default,
        isAutoIncrementing: false,
      });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: { withInternalKyselyTables?: boolean }): Promise<{ tables: TableMetadata[] }> {
    return { tables: await this.getTables(options) };
  }
}

export class StorePostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SearchPathIntrospector(db);
  }
}
