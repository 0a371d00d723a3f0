import type { FullTextHit, FullTextIndex, FullTextScope, SearchableKind } from "./fulltext";
import type { RawHit } from "./fulltext-query";
import { normalizeHits, searchTermsOf } from "./fulltext-query";
import type { ReadRows } from "./read-rows";
import type { WordFrequency } from "./word-frequency";
import { createWordFrequency } from "./word-frequency";

type ScopeColumn = "project_id" | "client_id" | "repository";

/** A memory table with its FULLTEXT indexes, as the RecallFullText migration creates them. */
interface IndexedTable {
  kind: SearchableKind;
  table: string;
  title: string;
  /** Columns of the text index (title first). */
  text: readonly string[];
  /** The JSON tags column, indexed on its own (binary collation), or null. */
  tags: string | null;
  scope: readonly ScopeColumn[];
}

const indexedTables: readonly IndexedTable[] = [
  {
    kind: "context",
    table: "conversation_contexts",
    title: "title",
    text: ["title", "dense_summary"],
    tags: "tags",
    scope: ["project_id", "client_id", "repository"],
  },
  {
    kind: "snippet",
    table: "context_snippets",
    title: "title",
    text: ["title", "dense_content"],
    tags: "tags",
    scope: ["project_id", "client_id", "repository"],
  },
  {
    kind: "decision",
    table: "decision_logs",
    title: "decision",
    text: ["decision", "rationale"],
    tags: "tags",
    scope: ["project_id", "client_id", "repository"],
  },
  { kind: "insight", table: "environmental_insights", title: "title", text: ["title", "description"], tags: null, scope: ["client_id"] },
  {
    kind: "failure_pattern",
    table: "failure_patterns",
    title: "error_pattern",
    text: ["error_pattern", "description", "recommended_solution"],
    tags: null,
    scope: ["client_id"],
  },
];

/** Tags weigh more than a word in the text, as in the SQLite index's bm25 weights. */
const tagsWeight = 1.5;

/**
 * The largest relevance kept: InnoDB's are small (tens at most), but one computed while rows are
 * inserted beside it can be infinite or NaN (a word's document count read as 0), and any arithmetic
 * on such a value, or on one near the largest DOUBLE, fails the statement with error 1690
 * ("DOUBLE value is out of range"). Weighted and summed, bounded values stay far from overflow.
 */
export const maxRelevance = 1e9;

/**
 * A MATCH ... AGAINST relevance bounded to [0, maxRelevance] without arithmetic: GREATEST and LEAST
 * compare without an overflow check, GREATEST puts NaN and -inf at 0 and LEAST puts +inf and
 * anything huge at the bound. Each relevance goes through it before it is weighted or added.
 */
export function boundedRelevance(match: string): string {
  return `LEAST(GREATEST(${match}, 0e0), ${maxRelevance.toExponential()})`;
}

/** The score of a row's text and tags relevances (SQL expressions), bounded before the arithmetic. */
export function combinedScore(text: string, tags: string | null): string {
  return tags === null ? boundedRelevance(text) : `${boundedRelevance(text)} + ${tagsWeight} * ${boundedRelevance(tags)}`;
}

/** InnoDB's default full-text stopwords (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD): never matched. */
const innodbStopwords = new Set(
  "a about an are as at be by com de en for from how i in is it la of on or that the this to was what when where who will with und www".split(
    " ",
  ),
);

/** The scope's values for the scope columns a table has, in the table's order. */
function scopeValues(table: IndexedTable, scope: FullTextScope): { column: ScopeColumn; value: string }[] {
  const wanted: Record<ScopeColumn, string | undefined> = {
    project_id: scope.projectId,
    client_id: scope.clientId,
    repository: scope.repository,
  };
  return table.scope.flatMap((column) => {
    const value = wanted[column];
    return value ? [{ column, value }] : [];
  });
}

/** Rows of no project, client or repository: global items. */
const globalCondition = (table: IndexedTable) => table.scope.map((column) => `${column} IS NULL`).join(" AND ");

/** A scope as a WHERE condition over the columns a table has; null when none of them applies. */
function scopeCondition(table: IndexedTable, scope: FullTextScope): { sql: string; params: string[] } | null {
  const values = scopeValues(table, scope);
  const conditions = values.map(({ column }) => `${column} = ?`);
  if (scope.includeGlobal) conditions.push(`(${globalCondition(table)})`);
  return conditions.length === 0 ? null : { sql: `(${conditions.join(" OR ")})`, params: values.map(({ value }) => value) };
}

/**
 * Newest rows of each part of the scope that a search with words of many documents looks at
 * (InnoDB computes MATCH for each, about 10 µs a row): the project's, then fewer of the rest.
 */
export const scopeRowsPerColumn: Readonly<Record<ScopeColumn | "global", number>> = {
  project_id: 250,
  repository: 250,
  client_id: 100,
  global: 50,
};

/**
 * The newest rows of each part of the scope (project, repository, client, global), as a derived
 * table of ids: each part walks its (column, created_at) index and stops at `perColumn`.
 */
function scopeRows(table: IndexedTable, scope: FullTextScope): { sql: string; params: string[] } | null {
  const values = scopeValues(table, scope);
  const newest = (part: ScopeColumn | "global") => `ORDER BY created_at DESC LIMIT ${scopeRowsPerColumn[part]}`;
  const parts = values.map(({ column }) => `(SELECT id FROM ${table.table} WHERE ${column} = ? ${newest(column)})`);
  if (scope.includeGlobal) parts.push(`(SELECT id FROM ${table.table} WHERE ${globalCondition(table)} ${newest("global")})`);
  return parts.length === 0 ? null : { sql: `(${parts.join(" UNION ")})`, params: values.map(({ value }) => value) };
}

/** Words in more items than this are too common to search for (see word-frequency.ts). */
export const commonWordDocuments = 5_000;
/** Words in fewer items than this (together) are searched through the index: few rows to check. */
export const rareWordDocuments = 1_000;

/**
 * InnoDB FULLTEXT, one text index and one tags index per table, each table searched by a statement
 * of its own, all at once (MariaDB runs a statement on one core). InnoDB reads a word's whole
 * posting list and, with MATCH in the WHERE clause, fetches every matching row of the table
 * (about 13 µs each) to check its scope; so words too common to be worth that are
 * left out (their matches come from the recall's own scan of the scope's recent items), rare
 * words are searched through the index (few rows), and words in between are matched against the
 * scope's newest rows only (MATCH computed for each, HAVING score > 0). Words shorter than
 * innodb_ft_min_token_size are not in the index: they are looked for as whole words in the
 * titles of the scope's newest rows instead.
 */
export function createMariaDbFullTextIndex(read: ReadRows, frequency: WordFrequency = createWordFrequency(read)): FullTextIndex {
  let minTokenSize: Promise<number> | undefined;
  const readMinTokenSize = async () => {
    const [row] = await read<{ size: number | string }>("SELECT @@innodb_ft_min_token_size AS size", []);
    const size = Number(row?.size);
    return Number.isInteger(size) && size > 0 ? size : 3;
  };

  return {
    async search(query: string, scope: FullTextScope, limit: number): Promise<FullTextHit[]> {
      const terms = searchTermsOf(query);
      if (terms.length === 0 || limit <= 0) return [];
      minTokenSize ??= readMinTokenSize().catch((error: unknown) => {
        minTokenSize = undefined;
        throw error;
      });
      const minimum = await minTokenSize;
      const candidates = terms.filter((term) => term.length >= minimum && !innodbStopwords.has(term));
      const documents = await Promise.all(candidates.map((term) => frequency.documents(term)));
      const indexed = candidates.filter((_, i) => (documents[i] ?? 0) <= commonWordDocuments);
      const rare = documents.reduce((sum, n, i) => sum + (indexed.includes(candidates[i]!) ? n : 0), 0) <= rareWordDocuments;
      const short = terms.filter((term) => term.length < minimum);
      const against = indexed.join(" ");
      // Terms are letters, digits and underscores only: safe in a boolean-mode query and in a regex.
      const titlePattern = `\\b(${short.join("|")})\\b`;

      // One statement per table, run side by side: MariaDB runs each statement on one core.
      const statements: { selects: string[]; params: unknown[] }[] = [];
      for (const table of indexedTables) {
        const where = scopeCondition(table, scope);
        const newest = scopeRows(table, scope);
        if (!where || !newest) continue;
        const selects: string[] = [];
        const params: unknown[] = [];
        if (indexed.length > 0) {
          const matchOf = (columns: readonly string[]) => `MATCH(${columns.map((c) => `m.${c}`).join(", ")}) AGAINST (? IN BOOLEAN MODE)`;
          const select = (score: string) =>
            `SELECT '${table.kind}' AS kind, m.id AS id, 'text' AS source, ${score} AS score FROM ${table.table} AS m`;
          if (rare) {
            // Driven by each FULLTEXT index (a bare MATCH in WHERE): the text, then the tags.
            for (const [columns, weight] of [[table.text, 1], ...(table.tags ? [[[table.tags], tagsWeight] as const] : [])] as const) {
              const match = matchOf(columns);
              const score = weight === 1 ? boundedRelevance(match) : `${weight} * ${boundedRelevance(match)}`;
              selects.push(`(${select(score)} WHERE ${match} AND ${where.sql} ORDER BY score DESC LIMIT ?)`);
              params.push(against, against, ...where.params, limit);
            }
          } else {
            // The text and the tags of a row in one score, so each of the scope's rows is read once.
            const score = combinedScore(matchOf(table.text), table.tags ? matchOf([table.tags]) : null);
            selects.push(`(${select(score)} JOIN ${newest.sql} AS s ON s.id = m.id HAVING score > 0 ORDER BY score DESC LIMIT ?)`);
            params.push(...(table.tags ? [against, against] : [against]), ...newest.params, limit);
          }
        }
        if (short.length > 0) {
          selects.push(
            `(SELECT '${table.kind}' AS kind, m.id AS id, 'title' AS source, 1 AS score FROM ${table.table} AS m JOIN ${newest.sql} AS s ON s.id = m.id WHERE m.${table.title} REGEXP ? ORDER BY m.id DESC LIMIT ?)`,
          );
          params.push(...newest.params, titlePattern, limit);
        }
        if (selects.length > 0) statements.push({ selects, params });
      }
      if (statements.length === 0) return [];
      const rows = (
        await Promise.all(
          statements.map((statement) =>
            read<{ kind: SearchableKind; id: string; source: "text" | "title"; score: number | string }>(
              statement.selects.join(" UNION ALL "),
              statement.params,
            ),
          ),
        )
      ).flat();
      // Indexed words and short words each count for their share of the query's words.
      const share = (words: number) => words / (indexed.length + short.length);
      const scored = (source: "text" | "title") =>
        normalizeHits(
          rows.filter((row) => row.source === source).map((row) => ({ kind: row.kind, id: row.id, score: Number(row.score) })),
          limit * 2,
        );
      const combined: RawHit[] = [
        ...scored("text").map((hit) => ({ ...hit, score: hit.relevance * share(indexed.length) })),
        ...scored("title").map((hit) => ({ ...hit, score: hit.relevance * share(short.length) })),
      ];
      return normalizeHits(combined, limit);
    },
  };
}
