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

/** InnoDB's default full-text stopwords (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD): never matched. */
const innodbStopwords = new Set(
  "a about an are as at be by com de en for from how i in is it la of on or that the this to was what when where who will with und www".split(
    " ",
  ),
);

/** A scope as a WHERE condition over the columns a table has; null when none of them applies. */
function scopeCondition(table: IndexedTable, scope: FullTextScope): { sql: string; params: string[] } | null {
  const wanted: Record<ScopeColumn, string | undefined> = {
    project_id: scope.projectId,
    client_id: scope.clientId,
    repository: scope.repository,
  };
  const conditions: string[] = [];
  const params: string[] = [];
  for (const column of table.scope) {
    const value = wanted[column];
    if (!value) continue;
    conditions.push(`${column} = ?`);
    params.push(value);
  }
  if (scope.includeGlobal) conditions.push(`(${table.scope.map((column) => `${column} IS NULL`).join(" AND ")})`);
  return conditions.length === 0 ? null : { sql: `(${conditions.join(" OR ")})`, params };
}

/** Words in more items than this are too common to search for (see word-frequency.ts). */
export const commonWordDocuments = 5_000;

/**
 * InnoDB FULLTEXT, one text index and one tags index per table, searched in one UNION ALL round
 * trip. Each SELECT walks the scope's rows by their indexes and computes MATCH for them (HAVING
 * score > 0): with MATCH in the WHERE clause instead, InnoDB would fetch every matching row of the
 * whole table to check its scope. Words too common to be worth their cost are left out (their
 * matches come from the recall's own scan of the scope's recent items). Words shorter than
 * innodb_ft_min_token_size are not in the index: they are looked for as whole words in the
 * titles of the scope's rows instead.
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
      const short = terms.filter((term) => term.length < minimum);
      const against = indexed.join(" ");
      // Terms are letters, digits and underscores only: safe in a boolean-mode query and in a regex.
      const titlePattern = `\\b(${short.join("|")})\\b`;

      const selects: string[] = [];
      const params: unknown[] = [];
      for (const table of indexedTables) {
        const where = scopeCondition(table, scope);
        if (!where) continue;
        const ranked = (columns: readonly string[], weight: number) => {
          selects.push(
            `(SELECT '${table.kind}' AS kind, id, 'text' AS source, ${weight} * MATCH(${columns.join(", ")}) AGAINST (? IN BOOLEAN MODE) AS score FROM ${table.table} WHERE ${where.sql} HAVING score > 0 ORDER BY score DESC LIMIT ?)`,
          );
          params.push(against, ...where.params, limit);
        };
        if (indexed.length > 0) {
          ranked(table.text, 1);
          if (table.tags) ranked([table.tags], tagsWeight);
        }
        if (short.length > 0) {
          selects.push(
            `(SELECT '${table.kind}' AS kind, id, 'title' AS source, 1 AS score FROM ${table.table} WHERE ${where.sql} AND ${table.title} REGEXP ? ORDER BY id DESC LIMIT ?)`,
          );
          params.push(...where.params, titlePattern, limit);
        }
      }
      if (selects.length === 0) return [];
      const rows = await read<{ kind: SearchableKind; id: string; source: "text" | "title"; score: number | string }>(
        selects.join(" UNION ALL "),
        params,
      );
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
