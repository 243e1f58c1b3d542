// The ordered list of migrations, handed to Kysely's Migrator as a static provider. Append only: never edit or
// renumber a migration that has shipped; add `0002-...ts` and one line here.
import type { Migration, MigrationProvider } from "kysely";
import type { StoreDialect } from "../context.js";
import { migration0001 } from "./0001-initial.js";
import { migration0002 } from "./0002-etag-next.js";
import { migration0003 } from "./0003-delivery-retry.js";
import { migration0004 } from "./0004-timeline-order.js";

export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  const migrations: Record<string, Migration> = {
    "0001-initial": migration0001(dialect),
    "0002-etag-next": migration0002(dialect),
    "0003-delivery-retry": migration0003(),
    "0004-timeline-order": migration0004(),
  };
  return { getMigrations: () => Promise.resolve(migrations) };
}
