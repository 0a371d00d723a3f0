import type { Migration } from "@msp/db";
import { addColumn, col, dropColumn } from "@msp/db";

/**
 * When the work behind a snippet or a decision was done: the end of the session it was taken from;
 * for a project state, the end of the newest session it holds.
 * Their created_at is when the transcript reached the platform, which for a session synced days
 * later (offline, `msp sync`, a re-ingest) is not when the work happened, and recall ranks and
 * dates memory by the work's time. Nullable: rows written by hand through the API, and rows from
 * before this column, fall back to their own time.
 */
export const memoryWorkTime: Migration = {
  name: "20261209000100-MemoryWorkTime",
  async up(ctx) {
    await addColumn(ctx, "context_snippets", "occurred_at", col.datetime());
    await addColumn(ctx, "decision_logs", "occurred_at", col.datetime());
    await addColumn(ctx, "project_states", "occurred_at", col.datetime());
  },
  async down(ctx) {
    await dropColumn(ctx, "project_states", "occurred_at");
    await dropColumn(ctx, "decision_logs", "occurred_at");
    await dropColumn(ctx, "context_snippets", "occurred_at");
  },
};
