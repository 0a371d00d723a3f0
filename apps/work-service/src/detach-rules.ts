import { QueryTypes } from "sequelize";
import { sqlPlaceholders } from "@msp/db";
import { writeAuditEvents } from "@msp/resource-kit";
import type { DerivedWrite } from "./billable-time-rules";

/** Rows per UPDATE: keeps statements small on both dialects. */
const idsPerUpdate = 500;

/** The resource each detachable table holds, as its audit events name it. */
const resourceOf = { billable_time: "billable_time", external_integrations: "external_integration" } as const;

/**
 * Records that outlive a deleted work item or session (billable time, the integration log) lose
 * the link here rather than by ON DELETE SET NULL alone, so their revision, and so their etag,
 * changes with what they show, and each change is audited under the delete that caused it.
 */
export async function detachFrom(
  write: DerivedWrite,
  column: "work_item_id" | "session_id",
  id: string,
  tables: readonly (keyof typeof resourceOf)[],
): Promise<void> {
  const { db, transaction } = write;
  for (const table of tables) {
    const rows = await db.sequelize.query<{ id: string }>(`SELECT id FROM ${table} WHERE ${column} = ?`, {
      replacements: [id],
      type: QueryTypes.SELECT,
      transaction,
    });
    if (rows.length === 0) continue;
    const ids = rows.map((row) => row.id);
    const now = new Date();
    for (let i = 0; i < ids.length; i += idsPerUpdate) {
      const chunk = ids.slice(i, i + idsPerUpdate);
      await db.sequelize.query(
        `UPDATE ${table} SET ${column} = NULL, revision = revision + 1, updated_at = ? WHERE id IN (${sqlPlaceholders(chunk.length)})`,
        { replacements: [now, ...chunk], transaction },
      );
    }
    await writeAuditEvents(
      transaction,
      write.ctx,
      ids.map((rowId) => ({ resourceType: resourceOf[table], resourceId: rowId, action: "update", summary: { [column]: null } })),
    );
  }
}
