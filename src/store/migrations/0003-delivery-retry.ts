// Migration 0003: when a webhook delivery whose processing failed may be tried again, so the retry back-off holds
// however often the processor looks for work.
import type { Kysely, Migration } from "kysely";

export function migration0003(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("webhook_deliveries").addColumn("next_attempt_at", "bigint").execute();
    },
  };
}
