import type { Migration, MigrationContext } from "@msp/db";
import { col, createTable, dropTable } from "@msp/db";

/** The kinds recall_short_ids took so far: the recall service's own memory tables. */
const storedKinds = ["context", "snippet", "decision", "insight", "failure_pattern", "project_state"] as const;
/** Work recorded in the work service (work items, problem solutions), which recall now shows too. */
const workRecordKinds = ["work_item", "problem_solution"] as const;

/**
 * recall_short_ids with `kinds` as its closed set of kinds. The table is rebuilt (its CHECK and
 * column width cannot be changed in place on SQLite): renamed aside, made anew under its own name
 * (so its constraint and index names are those createTable gives), filled from the old rows of
 * those kinds, the old one dropped. SQLite's index names are global: the renamed table's go first.
 */
async function rebuildShortIds(ctx: MigrationContext, kinds: readonly string[]): Promise<void> {
  const run = (sql: string) => ctx.sequelize.query(sql);
  await run("ALTER TABLE recall_short_ids RENAME TO recall_short_ids_previous");
  if (ctx.dialect === "sqlite") await run("DROP INDEX IF EXISTS ix_recall_short_ids_short_id");
  await createTable(
    ctx,
    "recall_short_ids",
    {
      // The item's id (UUIDs are unique across the memory tables and the work service's records).
      item_id: col.id(),
      kind: col.enum(kinds).notNull(),
      short_id: col.string(8).notNull(),
      created_at: col.datetime().notNull(),
    },
    { indexes: ["short_id"], checks: ["LENGTH(short_id) = 8"] },
  );
  await run(
    `INSERT INTO recall_short_ids (item_id, kind, short_id, created_at) SELECT item_id, kind, short_id, created_at ` +
      `FROM recall_short_ids_previous WHERE kind IN (${kinds.map((kind) => `'${kind}'`).join(", ")})`,
  );
  await dropTable(ctx, "recall_short_ids_previous");
}

/**
 * Recall shows work items and problem solutions of the work service beside its own memory, each
 * with a short id `msp recall --id` resolves: recall_short_ids takes their kinds.
 */
export const recallWorkRecordKinds: Migration = {
  name: "20261208000000-RecallWorkRecordKinds",
  async up(ctx) {
    await rebuildShortIds(ctx, [...storedKinds, ...workRecordKinds]);
  },
  async down(ctx) {
    // The work records' short ids go: their kinds are not known before this migration.
    await rebuildShortIds(ctx, storedKinds);
  },
};
