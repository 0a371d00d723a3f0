import type { FullTextHit, FullTextIndex, FullTextScope, SearchableKind } from "./fulltext";
import { normalizeHits, searchTermsOf } from "./fulltext-query";
import type { ReadRows } from "./read-rows";

/** bm25 column weights of recall_fts(scope, title, body, tags): the scope column only filters. */
const columnWeights = "0.0, 2.0, 1.0, 1.5";

/** A string as an FTS5 string literal: in double quotes, inner quotes doubled; never operator syntax. */
export function fts5String(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * The scope words a request matches, as the migration's triggers write them into the scope column:
 * `p<project id hex>`, `c<client id hex>`, `r<repository as UTF-8 hex>`, `global`.
 */
export function sqliteScopeWords(scope: FullTextScope): string[] {
  const compact = (id: string) => id.trim().toLowerCase().replace(/-/g, "");
  const words: string[] = [];
  if (scope.projectId) words.push(`p${compact(scope.projectId)}`);
  if (scope.clientId) words.push(`c${compact(scope.clientId)}`);
  if (scope.repository) words.push(`r${Buffer.from(scope.repository, "utf8").toString("hex")}`);
  if (scope.includeGlobal) words.push("global");
  return words;
}

/**
 * The FTS5 MATCH expression: any of the scope words in the scope column, and any of the terms in
 * title, body or tags. Every word is a quoted string, so no input can be FTS5 syntax.
 */
export function fts5Query(terms: readonly string[], scopeWords: readonly string[]): string {
  const anyOf = (words: readonly string[]) => `(${words.map(fts5String).join(" OR ")})`;
  return `scope : ${anyOf(scopeWords)} AND {title body tags} : ${anyOf(terms)}`;
}

/** FTS5 over one index of all five memory tables (see the RecallFullText migration). */
export function createSqliteFullTextIndex(read: ReadRows): FullTextIndex {
  return {
    async search(query: string, scope: FullTextScope, limit: number): Promise<FullTextHit[]> {
      const terms = searchTermsOf(query);
      const scopeWords = sqliteScopeWords(scope);
      if (terms.length === 0 || scopeWords.length === 0 || limit <= 0) return [];
      // The ranked subquery runs on the index alone; ids are looked up for the few rows kept.
      const rows = await read<{ kind: SearchableKind; id: string; score: number }>(
        `SELECT k.kind AS kind, k.item_id AS id, -f.score AS score
           FROM (SELECT rowid, bm25(recall_fts, ${columnWeights}) AS score
                   FROM recall_fts WHERE recall_fts MATCH ? ORDER BY score LIMIT ?) AS f
           JOIN recall_fts_keys AS k ON k.rowid = f.rowid`,
        [fts5Query(terms, scopeWords), limit],
      );
      return normalizeHits(rows, limit);
    },
  };
}
