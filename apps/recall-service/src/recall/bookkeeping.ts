import { QueryTypes } from "sequelize";
import { sqlPlaceholders } from "@msp/db";
import type { Database } from "@msp/db";
import type { MutationContext } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import type { RecalledKind } from "./candidate";
import { isMemoryKind } from "./candidate";
import { memoryTables } from "./memory-rows";
import type { ReadRows } from "./read-rows";

/** An item as shown by a recall. */
export interface ShownItem {
  kind: RecalledKind;
  id: string;
  shortId: string;
}

/**
 * What recalls leave behind, in one transaction: the short ids shown (so GetMemoryItem can find
 * them; `unregistered` lists those not known to be written yet) and, per table, an UPDATE of
 * recall_count and last_recalled_at.
 * Neither bumps revision or updated_at: being recalled does not change an item.
 */
export async function recordRecalled(
  db: Database,
  items: readonly (ShownItem & { times?: number })[],
  at: Date,
  unregistered: readonly ShownItem[] = items,
): Promise<void> {
  if (items.length === 0) return;
  const ignoreKnown = db.dialect === "sqlite" ? "ON CONFLICT (item_id) DO NOTHING" : "ON DUPLICATE KEY UPDATE item_id = item_id";
  await db.transaction(async (transaction) => {
    if (unregistered.length > 0) {
      await db.sequelize.query(
        `INSERT INTO recall_short_ids (item_id, kind, short_id, created_at) VALUES ${unregistered.map(() => "(?, ?, ?, ?)").join(", ")} ${ignoreKnown}`,
        { replacements: unregistered.flatMap((item) => [item.id, item.kind, item.shortId, at]), transaction },
      );
    }
    for (const table of Object.values(memoryTables)) {
      if (!table.counted) continue;
      // One UPDATE per table and number of times shown (almost always a single one).
      const byTimes = new Map<number, string[]>();
      for (const item of items) {
        if (item.kind !== table.kind) continue;
        const times = item.times ?? 1;
        byTimes.set(times, [...(byTimes.get(times) ?? []), item.id]);
      }
      for (const [times, ids] of byTimes) {
        await db.sequelize.query(
          `UPDATE ${table.table} SET recall_count = recall_count + ?, last_recalled_at = ? WHERE id IN (${sqlPlaceholders(ids.length)})`,
          { replacements: [times, at, ...ids], transaction },
        );
      }
    }
  });
}

/** The items ever shown under a short id (several when short ids collide). */
export async function itemsWithShortId(read: ReadRows, shortId: string): Promise<{ kind: RecalledKind; id: string }[]> {
  const rows = await read<{ kind: RecalledKind; item_id: string }>("SELECT kind, item_id FROM recall_short_ids WHERE short_id = ?", [
    shortId,
  ]);
  return rows.map((row) => ({ kind: row.kind, id: row.item_id }));
}

/**
 * Counts one "useful" mark on an item, audited like any change. Project states have no count:
 * they are recalled first whatever their score, so marking one changes nothing; nor have the
 * work service's records, whose rows are not the recall service's to change. Returns whether
 * a row was counted.
 */
export async function recordUseful(db: Database, item: { kind: RecalledKind; id: string }, ctx: MutationContext): Promise<boolean> {
  if (!isMemoryKind(item.kind)) return false;
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

/**
 * The recall bookkeeping of many calls in one write: items shown are gathered and written (short
 * ids, recall counts) once `delayMs` after the first, in one transaction, off the answers' path.
 * A lookup that misses a short id flushes first (it may have just been shown).
 */
export class RecallLedger {
  private pending = new Map<string, ShownItem & { times: number }>();
  /** Items whose short id is already written, so later recalls only count them (bounded). */
  private registered = new Set<string>();
  private at = new Date(0);
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly onError: (error: unknown) => void,
    private readonly delayMs = 1_000,
  ) {}

  /** Notes items shown by a recall at `at`. */
  record(items: readonly ShownItem[], at: Date): void {
    if (items.length === 0) return;
    for (const item of items) {
      const key = `${item.kind}:${item.id}`;
      const seen = this.pending.get(key);
      this.pending.set(key, { ...item, times: (seen?.times ?? 0) + 1 });
    }
    if (at > this.at) this.at = at;
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs).unref();
  }

  /** Writes what is pending now; resolves once every write started so far is done. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const items = [...this.pending.values()];
    this.pending = new Map();
    if (items.length > 0) {
      const at = this.at;
      const unregistered = items.filter((item) => !this.registered.has(`${item.kind}:${item.id}`));
      this.writing = this.writing
        .then(() => recordRecalled(this.db, items, at, unregistered))
        .then(() => {
          if (this.registered.size > 100_000) this.registered.clear();
          for (const item of unregistered) this.registered.add(`${item.kind}:${item.id}`);
        })
        .catch(this.onError);
    }
    return this.writing;
  }
}
