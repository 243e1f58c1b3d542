// Migration 0004: timeline lists are keyed by (at, alert_id) so that one alert's entries at one instant stay together
// (and read in causal order); the (at, id) index served the old key only.
import type { Kysely, Migration } from "kysely";

export function migration0004(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex("alert_events_at_alert").on("alert_events").columns(["at", "alert_id", "seq"]).execute();
      await db.schema.dropIndex("alert_events_at_id").execute();
    },
  };
}
