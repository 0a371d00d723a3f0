import type { Migration } from "@msp/db";
import { col, createTable, dropTable, entityColumns } from "@msp/db";

const actions = ["create", "update", "delete", "reveal", "login", "logout", "revoke", "other"];

/**
 * The audit service's tables: the hash-chained log drained from audit_outbox, its signed
 * checkpoints, where the chain starts after a prune, the drain's lease (one drainer at a time, even
 * with several instances), and the log of backups of the platform's database.
 */
export const audit: Migration = {
  name: "20261205000000-Audit",
  async up(ctx) {
    await createTable(
      ctx,
      "audit_events",
      {
        // Dense and gap-free: the chain's order. The outbox row's id stays unique, so no row is
        // chained twice.
        seq: col.bigint().primaryKey(),
        id: col.uuid().notNull(),
        occurred_at: col.datetime().notNull(),
        service: col.string(64).notNull(),
        method: col.string(128).notNull(),
        principal: col.string().notNull(),
        resource_type: col.string(64).notNull(),
        resource_id: col.string(64),
        action: col.enum(actions).notNull(),
        outcome: col.enum(["ok", "denied", "failed"]).notNull(),
        // Canonical JSON text (keys sorted), hashed byte for byte: TEXT, not JSON, so that no
        // database rewrites it.
        request_summary: col.text(),
        source_ip: col.string(64),
        prev_hash: col.string(64).notNull(),
        hash: col.string(64).notNull(),
        // When the drain chained it; not part of the hash.
        chained_at: col.datetime().notNull(),
      },
      {
        unique: ["id"],
        indexes: ["resource_id", "principal", ["service", "method"], "resource_type", ["action", "outcome"], "occurred_at"],
      },
    );
    await createTable(ctx, "audit_checkpoints", {
      seq: col.bigint().primaryKey(),
      hash: col.string(64).notNull(),
      signed_at: col.datetime().notNull(),
      prev_seq: col.bigint().notNull(),
      signature: col.string(128).notNull(),
      public_key_id: col.string(32).notNull(),
    });
    // One row (id 1): the checkpoint the chain starts after once older events were pruned.
    await createTable(ctx, "audit_chain_state", {
      id: col.int().primaryKey(),
      anchor_seq: col.bigint().notNull(),
      anchor_hash: col.string(64).notNull(),
      updated_at: col.datetime().notNull(),
    });
    // One row per lease ("drain"): who drains, until when (epoch milliseconds). A row, not a
    // database lock, so that it works on Galera too.
    await createTable(ctx, "audit_leases", {
      name: col.string(32).primaryKey(),
      holder: col.string(64).notNull(),
      expires_at_ms: col.bigint().notNull(),
    });
    await createTable(
      ctx,
      "backup_log",
      {
        ...entityColumns(),
        backup_type: col.enum(["daily", "weekly", "monthly", "manual", "pre_migration"]).notNull(),
        file_path: col.string(1024),
        size_bytes: col.bigint(),
        started_at: col.datetime().notNull(),
        completed_at: col.datetime(),
        status: col.enum(["running", "completed", "failed", "verifying", "verified", "verify_failed"]).notNull(),
        verification: col.text(),
        checksum: col.string(64),
        dialect: col.string(16).notNull(),
        verified_at: col.datetime(),
        // Rows per table in the backup, as written: what a verified restore must find.
        table_counts: col.json(),
      },
      { indexes: ["started_at", "status", "backup_type", "checksum"] },
    );
  },
  async down(ctx) {
    for (const table of ["backup_log", "audit_leases", "audit_chain_state", "audit_checkpoints", "audit_events"]) {
      await dropTable(ctx, table);
    }
  },
};
