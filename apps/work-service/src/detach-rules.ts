import { QueryTypes } from "sequelize";
import { sqlPlaceholders } from "@msp/db";
import { writeAuditEvents } from "@msp/resource-kit";
import type { DerivedWrite } from "./billable-time-rules";

/** Rows per UPDATE: keeps statements small on both dialects. */
const idsPerUpdate = 500;

/** The resource each detachable table holds, as its audit events name it. */
const resourceOf = { billable_time: "billable_time", external_integrations: "external_integration" } as const;

/**
 * Records that outlive a deleted work item, session or project (billable time, the integration
 * log) lose the link here rather than by ON DELETE SET NULL alone, so their revision, and so their
 * etag, changes with what they show, and each change is audited under the delete that caused it.
 * The rows are locked as read (MariaDB) and cleared only while still linked, so a row moved
 * elsewhere meanwhile keeps its new link. Returns the ids detached, per table.
 */
export async function detachFrom(
  write: DerivedWrite,
  column: "work_item_id" | "session_id" | "project_id",
  id: string,
  tables: readonly (keyof typeof resourceOf)[],
): Promise<Record<string, string[]>> {
  const { db, transaction } = write;
  const lock = db.dialect === "mariadb" ? " FOR UPDATE" : "";
  const detached: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = await db.sequelize.query<{ id: string }>(`SELECT id FROM ${table} WHERE ${column} = ?${lock}`, {
      replacements: [id],
      type: QueryTypes.SELECT,
      transaction,
    });
    const ids = rows.map((row) => row.id);
    detached[table] = ids;
    if (ids.length === 0) continue;
    const now = new Date();
    for (let i = 0; i < ids.length; i += idsPerUpdate) {
      const chunk = ids.slice(i, i + idsPerUpdate);
      await db.sequelize.query(
        `UPDATE ${table} SET ${column} = NULL, revision = revision + 1, updated_at = ? WHERE id IN (${sqlPlaceholders(chunk.length)}) AND ${column} = ?`,
        { replacements: [now, ...chunk, id], transaction },
      );
    }
    await writeAuditEvents(
      transaction,
      write.ctx,
      ids.map((rowId) => ({ resourceType: resourceOf[table], resourceId: rowId, action: "update", summary: { [column]: null } })),
    );
  }
  return detached;
}
