// Migration 0002: remember each cached page's `next` link beside its ETag, so a walk answered 304 can keep paging.
import { sql, type Kysely, type Migration } from "kysely";
import type { StoreDialect } from "../context.js";

export function migration0002(dialect: StoreDialect): Migration {
  const text = dialect === "sqlite" ? sql`text` : sql`text collate "C"`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("etags").addColumn("next", text).execute();
    },
  };
}
