import { QueryTypes } from "sequelize";
import type { Database } from "@msp/db";
import type { MutationContext } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import type { MemoryKind } from "./candidate";
import { memoryTables } from "./memory-rows";
import type { ReadRows } from "./read-rows";

/** An item as shown by a recall. */
export interface ShownItem {
  kind: MemoryKind;
  id: string;
  shortId: string;
}

const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");

/**
 * What a recall leaves behind, in one transaction: the short ids shown (so GetMemoryItem can find
 * them; written once per item) and, per table, one UPDATE of recall_count and last_recalled_at.
 * Neither bumps revision or updated_at: being recalled does not change an item.
 */
export async function recordRecalled(db: Database, items: readonly ShownItem[], at: Date): Promise<void> {
  if (items.length === 0) return;
  const ignoreKnown = db.dialect === "sqlite" ? "ON CONFLICT (item_id) DO NOTHING" : "ON DUPLICATE KEY UPDATE item_id = item_id";
  await db.transaction(async (transaction) => {
    await db.sequelize.query(
      `INSERT INTO recall_short_ids (item_id, kind, short_id, created_at) VALUES ${items.map(() => "(?, ?, ?, ?)").join(", ")} ${ignoreKnown}`,
      { replacements: items.flatMap((item) => [item.id, item.kind, item.shortId, at]), transaction },
    );
    for (const table of Object.values(memoryTables)) {
      const ids = items.filter((item) => item.kind === table.kind).map((item) => item.id);
      if (!table.counted || ids.length === 0) continue;
      await db.sequelize.query(
        `UPDATE ${table.table} SET recall_count = recall_count + 1, last_recalled_at = ? WHERE id IN (${placeholders(ids.length)})`,
        { replacements: [at, ...ids], transaction },
      );
    }
  });
}

/** The items ever shown under a short id (several when short ids collide). */
export async function itemsWithShortId(read: ReadRows, shortId: string): Promise<{ kind: MemoryKind; id: string }[]> {
  const rows = await read<{ kind: MemoryKind; item_id: string }>("SELECT kind, item_id FROM recall_short_ids WHERE short_id = ?", [
    shortId,
  ]);
  return rows.map((row) => ({ kind: row.kind, id: row.item_id }));
}

/**
 * Counts one "useful" mark on an item, audited like any change. Project states have no count:
 * they are recalled first whatever their score, so marking one changes nothing. Returns whether
 * a row was counted.
 */
export async function recordUseful(db: Database, item: { kind: MemoryKind; id: string }, ctx: MutationContext): Promise<boolean> {
  const table = memoryTables[item.kind];
  if (!table.counted) return false;
  return db.transaction(async (transaction) => {
    const [, changed] = await db.sequelize.query(`UPDATE ${table.table} SET useful_count = useful_count + 1 WHERE id = ?`, {
      replacements: [item.id],
      transaction,
      type: QueryTypes.UPDATE,
    });
    if (changed === 0) return false;
    await writeAuditEvent(transaction, ctx, {
      resourceType: table.resourceName,
      resourceId: item.id,
      action: "update",
      summary: { useful_count: "+1" },
    });
    return true;
  });
}

/** Writes that run after an answer was sent; a lookup that misses can wait for them. */
export class BackgroundWrites {
  private readonly pending = new Set<Promise<void>>();

  /** Starts a write without waiting for it; a failure is reported to `onError`, never thrown. */
  run(write: () => Promise<void>, onError: (error: unknown) => void): void {
    const running: Promise<void> = write()
      .catch(onError)
      .finally(() => this.pending.delete(running));
    this.pending.add(running);
  }

  /** Resolves once every write started so far has finished. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
