// Migration 0001: every table of the first release (schema.ts describes the columns, docs/store.md the design).
import { sql, type Kysely, type Migration } from "kysely";
import type { StoreDialect } from "../context.js";

export function migration0001(dialect: StoreDialect): Migration {
  // SQLite makes an `integer primary key` the rowid, so audit events append in sequence order;
  // PostgreSQL needs a 64-bit column for the same role.
  const rowidType = dialect === "sqlite" ? "integer" : "bigint";
  // Text compares byte by byte on both dialects (SQLite's BINARY, PostgreSQL's "C"): keyset pages, sort orders and the
  // action-prefix ranges of audit-events.ts behave the same whatever the server's locale.
  const text = dialect === "sqlite" ? sql`text` : sql`text collate "C"`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("audit_events")
        .addColumn("seq", rowidType, (c) => c.primaryKey())
        .addColumn("id", text, (c) => c.notNull())
        .addColumn("scope", text, (c) => c.notNull())
        .addColumn("scope_name", text, (c) => c.notNull())
        .addColumn("action", text, (c) => c.notNull())
        .addColumn("actor", text)
        .addColumn("user_login", text)
        .addColumn("org", text)
        .addColumn("repo", text)
        .addColumn("at", "bigint", (c) => c.notNull())
        .addColumn("created_at", "bigint")
        .addColumn("country", text)
        .addColumn("operation_type", text)
        .addColumn("severity", text)
        .addColumn("raw", text, (c) => c.notNull())
        .addColumn("normalized", text, (c) => c.notNull())
        .addColumn("first_seen", "bigint", (c) => c.notNull())
        .execute();
      // (at, id) is both the de-duplication key and the keyset order; a `_document_id` always comes with the same
      // `@timestamp`, and a time-ordered key keeps inserts local instead of scattering them over a random-id index.
      await db.schema.createIndex("audit_events_at_id").on("audit_events").columns(["at", "id"]).unique().execute();
      await db.schema.createIndex("audit_events_action_at").on("audit_events").columns(["action", "at"]).execute();
      await db.schema.createIndex("audit_events_actor_at").on("audit_events").columns(["actor", "at"]).execute();
      await db.schema.createIndex("audit_events_repo_at").on("audit_events").columns(["repo", "at"]).execute();

      await db.schema
        .createTable("alerts")
        .addColumn("id", text, (c) => c.primaryKey())
        .addColumn("kind", text, (c) => c.notNull())
        .addColumn("repository", text, (c) => c.notNull())
        .addColumn("repo_id", "bigint", (c) => c.notNull())
        .addColumn("number", "integer", (c) => c.notNull())
        .addColumn("state", text, (c) => c.notNull())
        .addColumn("severity", text)
        .addColumn("risk_level", text)
        .addColumn("risk_score", "double precision")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint")
        .addColumn("closed_at", "bigint")
        .addColumn("closed_by", text)
        .addColumn("reason", text)
        .addColumn("comment", text)
        .addColumn("rule", text)
        .addColumn("tool", text)
        .addColumn("package", text)
        .addColumn("ecosystem", text)
        .addColumn("secret_type", text)
        .addColumn("location", text)
        .addColumn("url", text)
        .addColumn("raw", text, (c) => c.notNull())
        .addColumn("normalized", text, (c) => c.notNull())
        .addColumn("first_seen", "bigint", (c) => c.notNull())
        .addColumn("last_seen", "bigint", (c) => c.notNull())
        .addColumn("missing_since", "bigint")
        .addColumn("seq", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("alerts_seq").on("alerts").column("seq").unique().execute();
      await db.schema.createIndex("alerts_kind_state").on("alerts").columns(["kind", "state"]).execute();
      await db.schema.createIndex("alerts_repository_number").on("alerts").columns(["repository", "number"]).execute();
      await db.schema.createIndex("alerts_severity").on("alerts").column("severity").execute();
      await db.schema.createIndex("alerts_created_at_id").on("alerts").columns(["created_at", "id"]).execute();
      await db.schema.createIndex("alerts_updated_at_id").on("alerts").columns(["updated_at", "id"]).execute();
      await db.schema.createIndex("alerts_last_seen").on("alerts").columns(["kind", "last_seen"]).execute();

      await db.schema
        .createTable("alert_events")
        .addColumn("id", text, (c) => c.primaryKey())
        .addColumn("alert_id", text, (c) => c.notNull())
        .addColumn("kind", text, (c) => c.notNull())
        .addColumn("repository", text, (c) => c.notNull())
        .addColumn("number", "integer", (c) => c.notNull())
        .addColumn("from_state", text)
        .addColumn("to_state", text, (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addColumn("actor", text)
        .addColumn("reason", text)
        .addColumn("comment", text)
        .addColumn("source", text, (c) => c.notNull())
        .addColumn("source_ref", text)
        .addColumn("recorded_at", "bigint", (c) => c.notNull())
        .addColumn("seq", "bigint", (c) => c.notNull())
        .execute();
      // An alert cannot enter the same state twice at the same instant: this is the "same transition" rule.
      await db.schema
        .createIndex("alert_events_transition")
        .on("alert_events")
        .columns(["alert_id", "at", "to_state"])
        .unique()
        .execute();
      await db.schema.createIndex("alert_events_seq").on("alert_events").column("seq").unique().execute();
      await db.schema.createIndex("alert_events_at_id").on("alert_events").columns(["at", "id"]).execute();

      await db.schema
        .createTable("repositories")
        .addColumn("id", "bigint", (c) => c.primaryKey())
        .addColumn("full_name", text, (c) => c.notNull())
        .addColumn("owner", text, (c) => c.notNull())
        .addColumn("name", text, (c) => c.notNull())
        .addColumn("visibility", text)
        .addColumn("archived", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("fork", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("default_branch", text)
        .addColumn("security", text, (c) => c.notNull())
        .addColumn("raw", text, (c) => c.notNull())
        .addColumn("first_seen", "bigint", (c) => c.notNull())
        .addColumn("last_seen", "bigint", (c) => c.notNull())
        .addColumn("missing_since", "bigint")
        .addColumn("seq", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("repositories_seq").on("repositories").column("seq").unique().execute();
      await db.schema.createIndex("repositories_full_name").on("repositories").column("full_name").execute();

      await db.schema
        .createTable("checkpoints")
        .addColumn("stream", text, (c) => c.primaryKey())
        .addColumn("cursor", text, (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("etags")
        .addColumn("stream", text, (c) => c.notNull())
        .addColumn("url", text, (c) => c.notNull())
        .addColumn("etag", text, (c) => c.notNull())
        .addColumn("last_modified", text)
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("etags_pk", ["stream", "url"])
        .execute();

      await db.schema
        .createTable("webhook_deliveries")
        .addColumn("id", text, (c) => c.primaryKey())
        .addColumn("event", text, (c) => c.notNull())
        .addColumn("action", text)
        .addColumn("hook_id", text)
        .addColumn("received_at", "bigint", (c) => c.notNull())
        .addColumn("headers", text, (c) => c.notNull())
        .addColumn("body", text, (c) => c.notNull())
        .addColumn("status", text, (c) => c.notNull().defaultTo("pending"))
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("error", text)
        .addColumn("processed_at", "bigint")
        .execute();
      await db.schema
        .createIndex("webhook_deliveries_status")
        .on("webhook_deliveries")
        .columns(["status", "received_at"])
        .execute();

      await db.schema
        .createTable("sequences")
        .addColumn("name", text, (c) => c.primaryKey())
        .addColumn("value", "bigint", (c) => c.notNull())
        .execute();
      await sql`insert into sequences (name, value) values ('records', 0)`.execute(db);
      await db.schema
        .createTable("sink_positions")
        .addColumn("sink", text, (c) => c.primaryKey())
        .addColumn("position", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("leases")
        .addColumn("name", text, (c) => c.primaryKey())
        .addColumn("holder", text, (c) => c.notNull())
        .addColumn("generation", "bigint", (c) => c.notNull())
        .addColumn("acquired_at", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("detections")
        .addColumn("id", text, (c) => c.primaryKey())
        .addColumn("rule_id", text, (c) => c.notNull())
        .addColumn("rule_title", text, (c) => c.notNull())
        .addColumn("level", text, (c) => c.notNull())
        .addColumn("severity", text)
        .addColumn("events", text, (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addColumn("details", text, (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("seq", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("detections_seq").on("detections").column("seq").unique().execute();
      await db.schema.createIndex("detections_at_id").on("detections").columns(["at", "id"]).execute();
      await db.schema.createIndex("detections_rule_at").on("detections").columns(["rule_id", "at"]).execute();
    },
  };
}
