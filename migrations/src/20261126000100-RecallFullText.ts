import type { Migration, MigrationContext } from "@msp/db";
import { col, createTable, dropTable } from "@msp/db";

/** A memory table as full-text search sees it: which columns are its title, body and tags, and its scope. */
interface SearchedTable {
  table: string;
  kind: "context" | "snippet" | "decision" | "insight" | "failure_pattern";
  title: string;
  body: readonly string[];
  tags: string | null;
  /** Columns that place a row: project_id, client_id, repository (those the table has). */
  scope: readonly ("project_id" | "client_id" | "repository")[];
}

/**
 * The five searched tables and, for MariaDB, the columns of each one's FULLTEXT index (the recall
 * service's recall/fulltext.ts names the same columns in its MATCH clauses).
 */
const searchedTables: readonly SearchedTable[] = [
  {
    table: "conversation_contexts",
    kind: "context",
    title: "title",
    body: ["dense_summary"],
    tags: "tags",
    scope: ["project_id", "client_id", "repository"],
  },
  {
    table: "context_snippets",
    kind: "snippet",
    title: "title",
    body: ["dense_content"],
    tags: "tags",
    scope: ["project_id", "client_id", "repository"],
  },
  {
    table: "decision_logs",
    kind: "decision",
    title: "decision",
    body: ["rationale"],
    tags: "tags",
    scope: ["project_id", "client_id", "repository"],
  },
  { table: "environmental_insights", kind: "insight", title: "title", body: ["description"], tags: null, scope: ["client_id"] },
  {
    table: "failure_patterns",
    kind: "failure_pattern",
    title: "error_pattern",
    body: ["description", "recommended_solution"],
    tags: null,
    scope: ["client_id"],
  },
];

const fullTextColumns = (t: SearchedTable) => [t.title, ...t.body, ...(t.tags ? [t.tags] : [])];

/**
 * The words of a row's scope in the SQLite index, matched by the query's scope filter: `p<project
 * id hex>`, `c<client id hex>`, `r<repository as UTF-8 hex>`, or `global` for a row with none.
 * The recall repository builds the same words from a request (see recall/fulltext.ts).
 */
function sqliteScopeExpression(t: SearchedTable, row: "new" | "old"): string {
  const word = (column: string, prefix: string, value: string) =>
    `CASE WHEN ${row}.${column} IS NOT NULL AND ${row}.${column} <> '' THEN '${prefix}' || ${value} || ' ' ELSE '' END`;
  const parts = t.scope.map((column) => {
    if (column === "repository") return word(column, "r", `lower(hex(${row}.${column}))`);
    return word(column, column === "project_id" ? "p" : "c", `lower(replace(${row}.${column}, '-', ''))`);
  });
  const none = t.scope.map((column) => `COALESCE(${row}.${column}, '') = ''`).join(" AND ");
  return `trim(${parts.join(" || ")} || CASE WHEN ${none} THEN 'global' ELSE '' END)`;
}

async function createSqliteIndex(ctx: MigrationContext): Promise<void> {
  const run = (sql: string) => ctx.sequelize.query(sql);
  // FTS5 needs integer row ids; the memory tables have UUID keys, so each indexed row gets one here.
  await run(
    "CREATE TABLE recall_fts_keys (rowid INTEGER PRIMARY KEY, kind VARCHAR(16) NOT NULL, item_id CHAR(36) NOT NULL, UNIQUE (kind, item_id))",
  );
  // One index over all kinds, so relevance (bm25) is comparable across them. The scope column is
  // weighted 0 by the search and only filters.
  await run(`CREATE VIRTUAL TABLE recall_fts USING fts5(scope, title, body, tags, tokenize = 'porter unicode61 remove_diacritics 2')`);
  for (const t of searchedTables) {
    const key = (row: "new" | "old") => `(SELECT rowid FROM recall_fts_keys WHERE kind = '${t.kind}' AND item_id = ${row}.id)`;
    const body = (row: "new" | "old") => t.body.map((c) => `COALESCE(${row}.${c}, '')`).join(` || ' ' || `);
    const tags = (row: "new" | "old") => (t.tags ? `COALESCE(${row}.${t.tags}, '')` : "''");
    const values = (row: "new" | "old") =>
      `${key(row)}, ${sqliteScopeExpression(t, row)}, COALESCE(${row}.${t.title}, ''), ${body(row)}, ${tags(row)}`;
    const insertRow = (row: "new" | "old") => `INSERT INTO recall_fts (rowid, scope, title, body, tags) VALUES (${values(row)});`;
    const watched = [...new Set([...fullTextColumns(t), ...t.scope])].join(", ");
    await run(`CREATE TRIGGER recall_fts_${t.table}_insert AFTER INSERT ON ${t.table} BEGIN
      INSERT INTO recall_fts_keys (kind, item_id) VALUES ('${t.kind}', new.id);
      ${insertRow("new")}
    END`);
    await run(`CREATE TRIGGER recall_fts_${t.table}_update AFTER UPDATE OF ${watched} ON ${t.table} BEGIN
      DELETE FROM recall_fts WHERE rowid = ${key("old")};
      ${insertRow("new")}
    END`);
    await run(`CREATE TRIGGER recall_fts_${t.table}_delete AFTER DELETE ON ${t.table} BEGIN
      DELETE FROM recall_fts WHERE rowid = ${key("old")};
      DELETE FROM recall_fts_keys WHERE kind = '${t.kind}' AND item_id = old.id;
    END`);
    // Rows written before this migration.
    await run(`INSERT INTO recall_fts_keys (kind, item_id) SELECT '${t.kind}', id FROM ${t.table}`);
    await run(`INSERT INTO recall_fts (rowid, scope, title, body, tags) SELECT ${values("new")} FROM ${t.table} AS new`);
  }
}

async function dropSqliteIndex(ctx: MigrationContext): Promise<void> {
  for (const t of searchedTables) {
    for (const event of ["insert", "update", "delete"]) await ctx.sequelize.query(`DROP TRIGGER IF EXISTS recall_fts_${t.table}_${event}`);
  }
  await ctx.sequelize.query("DROP TABLE IF EXISTS recall_fts");
  await ctx.sequelize.query("DROP TABLE IF EXISTS recall_fts_keys");
}

/**
 * Full-text search over Claude's memory, the short ids recall has shown, and two indexes recall reads by.
 *
 * SQLite: one FTS5 index over the five memory tables (title, body, tags and a scope column of
 * project/client/repository words), kept in sync by triggers. MariaDB: one InnoDB FULLTEXT index
 * per table plus one on its tags (InnoDB keeps them in sync; mind innodb_ft_min_token_size and its stopwords).
 *
 * recall_short_ids: a short id is a hash of kind and id, so it cannot be turned back into an id;
 * each item recall returns is written here once, which is what GetMemoryItem and MarkUseful look
 * up (short ids are only ever seen in recall output). Short ids may collide: not unique.
 */
/**
 * Indexes recall's scoped reads walk, newest first, without sorting: a repository's items (the
 * project's stand-in before the work service knows it), and, when the project is known, those of
 * its items that were saved under the repository alone (project_id IS NULL).
 */
const recallIndexes = [
  { table: "context_snippets", name: "ix_context_snippets_repository_created_at", columns: "repository, created_at" },
  { table: "decision_logs", name: "ix_decision_logs_repository_created_at", columns: "repository, created_at" },
  // Pinned decisions are few; without this index, finding them reads every decision of the scope.
  { table: "decision_logs", name: "ix_decision_logs_pinned", columns: "pinned" },
  ...["conversation_contexts", "context_snippets", "decision_logs"].map((table) => ({
    table,
    name: `ix_${table}_repository_project_id_created_at`,
    columns: "repository, project_id, created_at",
  })),
] as const;

export const recallFullText: Migration = {
  name: "20261126000100-RecallFullText",
  async up(ctx) {
    for (const index of recallIndexes) await ctx.sequelize.query(`CREATE INDEX ${index.name} ON ${index.table} (${index.columns})`);
    if (ctx.dialect === "sqlite") await createSqliteIndex(ctx);
    else {
      // JSON columns (tags) are binary-collated on MariaDB and cannot share an index with text
      // columns: they get a FULLTEXT index of their own.
      for (const t of searchedTables) {
        const columns = [t.title, ...t.body].map((c) => `\`${c}\``).join(", ");
        await ctx.sequelize.query(`ALTER TABLE \`${t.table}\` ADD FULLTEXT INDEX \`ft_${t.table}\` (${columns})`);
        if (t.tags) await ctx.sequelize.query(`ALTER TABLE \`${t.table}\` ADD FULLTEXT INDEX \`ft_${t.table}_tags\` (\`${t.tags}\`)`);
      }
    }
    await createTable(
      ctx,
      "recall_short_ids",
      {
        // The item's id (UUIDs are unique across the memory tables).
        item_id: col.id(),
        kind: col.enum([...searchedTables.map((t): string => t.kind), "project_state"]).notNull(),
        short_id: col.string(8).notNull(),
        created_at: col.datetime().notNull(),
      },
      { indexes: ["short_id"], checks: ["LENGTH(short_id) = 8"] },
    );
  },
  async down(ctx) {
    await dropTable(ctx, "recall_short_ids");
    for (const index of recallIndexes) {
      await ctx.sequelize.query(ctx.dialect === "sqlite" ? `DROP INDEX ${index.name}` : `DROP INDEX ${index.name} ON ${index.table}`);
    }
    if (ctx.dialect === "sqlite") await dropSqliteIndex(ctx);
    else {
      for (const t of searchedTables) {
        await ctx.sequelize.query(`ALTER TABLE \`${t.table}\` DROP INDEX \`ft_${t.table}\``);
        if (t.tags) await ctx.sequelize.query(`ALTER TABLE \`${t.table}\` DROP INDEX \`ft_${t.table}_tags\``);
      }
    }
  },
};
