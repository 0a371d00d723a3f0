import type { Migration } from "@msp/db";
import { addColumn, col, createTable, dropColumn, dropTable, entityColumns } from "@msp/db";

/**
 * Billing and the links of a session to outside systems: billable time (raw minutes stored, billed
 * minutes and amounts derived), each client's rounding policy, a project's rate, a session's billed
 * totals, PSA ticket links and the log of calls to outside systems.
 *
 * A session's billable time goes with it (CASCADE): time recorded in a session deleted as a mistake
 * was never worked, and entries left without their session would escape per-session rounding.
 * Invoiced time never disappears that way: the service refuses to delete a session with invoiced
 * time. A work item's deletion keeps the time (SET NULL): the time was still worked and billed.
 */
export const billing: Migration = {
  name: "20261125000400-Billing",
  async up(ctx) {
    await addColumn(
      ctx,
      "clients",
      "billing_increment_minutes",
      col.int().notNull().default(15),
      "billing_increment_minutes BETWEEN 1 AND 1440",
    );
    await addColumn(ctx, "clients", "billing_rounding_direction", col.enum(["up", "nearest", "down"]).notNull().default("up"));
    await addColumn(
      ctx,
      "clients",
      "billing_minimum_minutes",
      col.int().notNull().default(15),
      "billing_minimum_minutes BETWEEN 0 AND 1440",
    );
    await addColumn(ctx, "clients", "billing_rounding_scope", col.enum(["per_entry", "per_session"]).notNull().default("per_entry"));
    await addColumn(ctx, "projects", "hourly_rate", col.decimal(10, 2), "hourly_rate IS NULL OR hourly_rate >= 0");
    await addColumn(ctx, "sessions", "billable_minutes", col.int().notNull().default(0), "billable_minutes >= 0");
    await addColumn(ctx, "sessions", "billable_amount", col.decimal(14, 2).notNull().default(0), "billable_amount >= 0");

    await createTable(
      ctx,
      "billable_time",
      {
        ...entityColumns(),
        session_id: col.ref("sessions", "CASCADE"),
        work_item_id: col.ref("work_items", "SET NULL"),
        // A client with billable time cannot be deleted (archived instead).
        client_id: col.ref("clients", "RESTRICT").notNull(),
        project_id: col.ref("projects", "SET NULL"),
        started_at: col.datetime().notNull(),
        ended_at: col.datetime(),
        // Raw minutes worked; everything below is derived from them, the rates and the client's policy.
        duration_minutes: col.int().notNull(),
        rounded_minutes: col.int().notNull().default(0),
        hourly_rate: col.decimal(10, 2),
        effective_hourly_rate: col.decimal(10, 2),
        rate_source: col.enum(["entry", "project", "client", "none"]).notNull().default("none"),
        amount: col.decimal(14, 2).notNull().default(0),
        rounding_scope: col.enum(["per_entry", "per_session"]).notNull().default("per_entry"),
        is_billable: col.bool().notNull(),
        category: col.enum(["consulting", "development", "support", "maintenance", "emergency", "project_work", "remote", "onsite"]),
        description: col.text(),
        is_invoiced: col.bool().notNull().default(false),
        invoiced_at: col.datetime(),
        invoice_reference: col.string(64),
      },
      {
        indexes: [
          // The billing summary, read from an index alone: a short period of a client by range on
          // started_at; a long one in grouping order, which needs no sort (the optimizer picks).
          [
            "client_id",
            "started_at",
            "project_id",
            "category",
            "is_billable",
            "is_invoiced",
            "duration_minutes",
            "rounded_minutes",
            "amount",
          ],
          [
            "client_id",
            "project_id",
            "category",
            "is_billable",
            "is_invoiced",
            "started_at",
            "duration_minutes",
            "rounded_minutes",
            "amount",
          ],
          ["session_id", "started_at"],
          ["work_item_id", "id"],
          ["project_id", "id"],
          "category",
          "is_billable",
          "is_invoiced",
          "started_at",
          "invoiced_at",
          "created_at",
        ],
        checks: [
          "duration_minutes BETWEEN 0 AND 10080",
          "rounded_minutes >= 0",
          "hourly_rate IS NULL OR hourly_rate >= 0",
          "effective_hourly_rate IS NULL OR effective_hourly_rate >= 0",
          "amount >= 0",
          "ended_at IS NULL OR ended_at >= started_at",
          "is_billable = 1 OR (rounded_minutes = 0 AND amount = 0)",
          "(is_invoiced = 0 AND invoiced_at IS NULL) OR (is_invoiced = 1 AND invoiced_at IS NOT NULL)",
        ],
      },
    );

    await createTable(
      ctx,
      "ticket_links",
      {
        ...entityColumns(),
        session_id: col.ref("sessions", "CASCADE").notNull(),
        client_id: col.ref("clients", "SET NULL"),
        system: col.enum(["syncro", "autotask", "connectwise", "halopsa", "other"]).notNull(),
        ticket_id: col.string(128).notNull(),
        ticket_number: col.string(64),
        subject: col.string(),
        url: col.string(1024),
        ticket_status: col.string(64),
        link_type: col.enum(["related", "resolves", "documents"]).notNull().default("related"),
      },
      {
        // A ticket is tied to a session once; the same ticket may be worked on in many sessions.
        unique: [["session_id", "system", "ticket_id"]],
        indexes: [["system", "ticket_id"], "ticket_number", "link_type", "created_at"],
      },
    );

    await createTable(
      ctx,
      "external_integrations",
      {
        ...entityColumns(),
        // The call happened whatever becomes of the session or work item: the record stays.
        session_id: col.ref("sessions", "SET NULL"),
        work_item_id: col.ref("work_items", "SET NULL"),
        integration_type: col.string(64).notNull(),
        external_id: col.string(),
        external_url: col.string(1024),
        action: col.enum(["created", "updated", "linked", "attached"]).notNull(),
        direction: col.enum(["outbound", "inbound"]).notNull().default("outbound"),
        request_data: col.json(),
        response_data: col.json(),
      },
      { indexes: [["session_id", "id"], ["work_item_id", "id"], "integration_type", "external_id", "action", "direction", "created_at"] },
    );
  },
  async down(ctx) {
    for (const table of ["external_integrations", "ticket_links", "billable_time"]) await dropTable(ctx, table);
    await dropColumn(ctx, "sessions", "billable_amount");
    await dropColumn(ctx, "sessions", "billable_minutes");
    await dropColumn(ctx, "projects", "hourly_rate");
    for (const column of ["billing_rounding_scope", "billing_minimum_minutes", "billing_rounding_direction", "billing_increment_minutes"]) {
      await dropColumn(ctx, "clients", column);
    }
  },
};
