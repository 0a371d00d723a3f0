import type { Migration, MigrationContext } from "@msp/db";
import { col, createTable, dropTable } from "@msp/db";

/** The tables recall reads, and which of the scope columns each has. */
const memoryTables = [
  { table: "conversation_contexts", columns: ["project_id", "repository", "client_id"], counted: true },
  { table: "context_snippets", columns: ["project_id", "repository", "client_id"], counted: true },
  { table: "decision_logs", columns: ["project_id", "repository", "client_id"], counted: true },
  { table: "project_states", columns: ["project_id", "repository", "client_id"], counted: false },
  { table: "environmental_insights", columns: ["client_id", "host"], counted: true },
  { table: "failure_patterns", columns: ["client_id", "host"], counted: true },
] as const;

type ScopeColumn = (typeof memoryTables)[number]["columns"][number];

/** The prefix of each scope column's key; recall/scope-versions.ts builds the same keys from a request. */
const prefixes: Record<ScopeColumn, string> = { project_id: "p:", repository: "r:", client_id: "c:", host: "h:" };

/**
 * The keys a row's change moves on, as one SELECT of a `k` column: one per scope column the row
 * has a value in, and "g" for a row with no project, repository or client (global items).
 */
function keysOf(dialect: MigrationContext["dialect"], columns: readonly ScopeColumn[], row: "NEW" | "OLD"): string[] {
  const concat = (prefix: string, value: string) => (dialect === "sqlite" ? `'${prefix}' || ${value}` : `CONCAT('${prefix}', ${value})`);
  const keys = columns.map((c) => `SELECT ${concat(prefixes[c], `NULLIF(${row}.${c}, '')`)} AS k`);
  const placing = columns.filter((c) => c !== "host");
  keys.push(`SELECT CASE WHEN ${placing.map((c) => `COALESCE(${row}.${c}, '') = ''`).join(" AND ")} THEN 'g' END AS k`);
  return keys;
}

function bump(dialect: MigrationContext["dialect"], keys: readonly string[]): string {
  const onClash =
    dialect === "sqlite" ? "ON CONFLICT (scope_key) DO UPDATE SET version = version + 1" : "ON DUPLICATE KEY UPDATE version = version + 1";
  return `INSERT INTO recall_scope_versions (scope_key, version) SELECT k, 1 FROM (${keys.join(" UNION ")}) AS changed WHERE k IS NOT NULL ${onClash}`;
}

/**
 * Recall's bookkeeping (recall_count and last_recalled_at, written in batches after the answers)
 * changes nothing recall shows: an UPDATE that moves recall_count and leaves revision, updated_at
 * and useful_count alone is that, and moves no version. Every other change does.
 */
function bookkeepingOnly(table: (typeof memoryTables)[number], dialect: MigrationContext["dialect"]): string | null {
  if (!table.counted) return null;
  const same = (c: string) => (dialect === "sqlite" ? `NEW.${c} IS OLD.${c}` : `NEW.${c} <=> OLD.${c}`);
  return `NEW.recall_count <> OLD.recall_count AND ${["revision", "updated_at", "useful_count"].map(same).join(" AND ")}`;
}

async function createTriggers(ctx: MigrationContext): Promise<void> {
  const { dialect } = ctx;
  for (const t of memoryTables) {
    const name = (event: string) => `recall_versions_${t.table}_${event}`;
    const skip = bookkeepingOnly(t, dialect);
    const both = [...keysOf(dialect, t.columns, "OLD"), ...keysOf(dialect, t.columns, "NEW")];
    if (dialect === "sqlite") {
      await ctx.sequelize.query(
        `CREATE TRIGGER ${name("insert")} AFTER INSERT ON ${t.table} BEGIN ${bump(dialect, keysOf(dialect, t.columns, "NEW"))}; END`,
      );
      await ctx.sequelize.query(
        `CREATE TRIGGER ${name("update")} AFTER UPDATE ON ${t.table}${skip ? ` WHEN NOT (${skip})` : ""} BEGIN ${bump(dialect, both)}; END`,
      );
      await ctx.sequelize.query(
        `CREATE TRIGGER ${name("delete")} AFTER DELETE ON ${t.table} BEGIN ${bump(dialect, keysOf(dialect, t.columns, "OLD"))}; END`,
      );
    } else {
      await ctx.sequelize.query(
        `CREATE TRIGGER ${name("insert")} AFTER INSERT ON ${t.table} FOR EACH ROW ${bump(dialect, keysOf(dialect, t.columns, "NEW"))}`,
      );
      const update = skip ? `BEGIN IF NOT (${skip}) THEN ${bump(dialect, both)}; END IF; END` : bump(dialect, both);
      await ctx.sequelize.query(`CREATE TRIGGER ${name("update")} AFTER UPDATE ON ${t.table} FOR EACH ROW ${update}`);
      await ctx.sequelize.query(
        `CREATE TRIGGER ${name("delete")} AFTER DELETE ON ${t.table} FOR EACH ROW ${bump(dialect, keysOf(dialect, t.columns, "OLD"))}`,
      );
    }
  }
}

/**
 * recall_scope_versions: a counter per scope (project, repository, client, host, and "g" for
 * global items) that every change to a memory row moves on, in the same transaction, by trigger,
 * whoever writes (the services, a migration, an operator's SQL). The recall service keeps the
 * candidates of recent scopes in memory and reuses them while the versions of their scope have
 * not moved; the counters are shared through the database, so any number of instances stay right.
 */
export const recallScopeVersions: Migration = {
  name: "20261126000200-RecallScopeVersions",
  async up(ctx) {
    await createTable(ctx, "recall_scope_versions", {
      // "p:<project id>", "r:<repository>", "c:<client id>", "h:<host>" or "g".
      scope_key: col.string(600).primaryKey(),
      version: col.bigint().notNull().default(0),
    });
    await createTriggers(ctx);
  },
  async down(ctx) {
    for (const t of memoryTables) {
      for (const event of ["insert", "update", "delete"])
        await ctx.sequelize.query(`DROP TRIGGER IF EXISTS recall_versions_${t.table}_${event}`);
    }
    await dropTable(ctx, "recall_scope_versions");
  },
};
