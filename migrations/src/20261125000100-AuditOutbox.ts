import type { Migration } from "@msp/db";
import { col, createTable, dropTable } from "@msp/db";

/** Events written in the same transaction as each change; the audit service drains them in order. */
export const auditOutbox: Migration = {
  name: "20261125000100-AuditOutbox",
  async up(ctx) {
    await createTable(
      ctx,
      "audit_outbox",
      {
        id: col.id(),
        occurred_at: col.datetime().notNull(),
        service: col.string(64).notNull(),
        method: col.string(128).notNull(),
        principal: col.string().notNull(),
        resource_type: col.string(64).notNull(),
        resource_id: col.string(64),
        action: col.enum(["create", "update", "delete", "reveal", "login", "logout", "revoke", "other"]).notNull(),
        outcome: col.enum(["ok", "denied", "failed"]).notNull().default("ok"),
        request_summary: col.json(),
        source_ip: col.string(64),
      },
      { indexes: ["occurred_at", ["resource_type", "resource_id"]] },
    );
  },
  async down(ctx) {
    await dropTable(ctx, "audit_outbox");
  },
};
