import type { Transaction } from "sequelize";
import type { Database } from "@msp/db";

/**
 * Records that outlive a deleted work item or session (billable time, the integration log) lose
 * the link here rather than by ON DELETE SET NULL alone, so their revision, and so their etag,
 * changes with what they show.
 */
export async function detachFrom(
  db: Database,
  transaction: Transaction,
  column: "work_item_id" | "session_id",
  id: string,
  tables: readonly ("billable_time" | "external_integrations")[],
): Promise<void> {
  for (const table of tables) {
    await db.sequelize.query(`UPDATE ${table} SET ${column} = NULL, revision = revision + 1, updated_at = ? WHERE ${column} = ?`, {
      replacements: [new Date(), id],
      transaction,
    });
  }
}
