import type { Migration } from "@msp/db";
import { addColumn, col, dropColumn } from "@msp/db";

/**
 * Work items get the time their work started (work recorded after the fact gives it; actual
 * minutes run from it to completed_at). Billable time says where it came from and, for time
 * recorded automatically from a Claude Code session, where a technician's review stands: such time
 * is not invoiced before it is approved or adjusted. Rows that exist were entered by hand.
 */
export const workReview: Migration = {
  name: "20261210000000-WorkReview",
  async up(ctx) {
    await addColumn(ctx, "work_items", "started_at", col.datetime());
    await addColumn(ctx, "billable_time", "source", col.enum(["manual", "claude_code_session"]).notNull().default("manual"));
    await addColumn(
      ctx,
      "billable_time",
      "review_status",
      col.enum(["not_required", "pending", "approved", "adjusted", "rejected"]).notNull().default("not_required"),
    );
    await addColumn(ctx, "billable_time", "reviewed_at", col.datetime());
    await addColumn(ctx, "billable_time", "reviewed_by", col.string(255));
    await addColumn(ctx, "billable_time", "review_note", col.string(500));
  },
  async down(ctx) {
    for (const name of ["review_note", "reviewed_by", "reviewed_at", "review_status", "source"]) {
      await dropColumn(ctx, "billable_time", name);
    }
    await dropColumn(ctx, "work_items", "started_at");
  },
};
