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

/**
 * bm25 reads the whole list of documents of every word it ranks (for its IDF), over the whole
 * index, whatever the scope: a word in most of 100,000 items costs tens of milliseconds. Words
 * found in more items than this are too common to rank by (their IDF is near zero anyway).
 */
export const commonWordDocuments = 5_000;
/** At most this many words of a query are looked up (the longest, which are the rarest as a rule). */
export const maxLookedUpTerms = 8;

/**
 * FTS5 over one index of all five memory tables (see the RecallFullText migration). Each word's
 * document count is probed up to commonWordDocuments first (a bounded read); the rare words are
 * ranked by bm25; when every word is common, the newest matches of the scope come back instead,
 * all equally relevant. The cost is bounded by the probe cap, not by the size of the index.
 */
export function createSqliteFullTextIndex(read: ReadRows, options: { commonWordDocuments?: number } = {}): FullTextIndex {
  const common = options.commonWordDocuments ?? commonWordDocuments;
  const rank = async (terms: readonly string[], scopeWords: readonly string[], limit: number) =>
    read<{ kind: SearchableKind; id: string; score: number }>(
      `SELECT k.kind AS kind, k.item_id AS id, -f.score AS score
         FROM (SELECT rowid, bm25(recall_fts, ${columnWeights}) AS score
                 FROM recall_fts WHERE recall_fts MATCH ? ORDER BY score LIMIT ?) AS f
         JOIN recall_fts_keys AS k ON k.rowid = f.rowid`,
      [fts5Query(terms, scopeWords), limit],
    );
  const newest = async (terms: readonly string[], scopeWords: readonly string[], limit: number) =>
    read<{ kind: SearchableKind; id: string; score: number }>(
      `SELECT k.kind AS kind, k.item_id AS id, 1 AS score
         FROM (SELECT rowid FROM recall_fts WHERE recall_fts MATCH ? ORDER BY rowid DESC LIMIT ?) AS f
         JOIN recall_fts_keys AS k ON k.rowid = f.rowid`,
      [fts5Query(terms, scopeWords), limit],
    );

  return {
    async search(query: string, scope: FullTextScope, limit: number): Promise<FullTextHit[]> {
      const scopeWords = sqliteScopeWords(scope);
      const terms = [...searchTermsOf(query)].sort((a, b) => b.length - a.length).slice(0, maxLookedUpTerms);
      if (terms.length === 0 || scopeWords.length === 0 || limit <= 0) return [];
      const counts = await read<{ term: string; documents: number }>(
        terms
          .map(
            () =>
              `SELECT ? AS term, (SELECT count(*) FROM (SELECT rowid FROM recall_fts WHERE recall_fts MATCH ? LIMIT ${common + 1})) AS documents`,
          )
          .join(" UNION ALL "),
        terms.flatMap((term) => [term, `{title body tags} : ${fts5String(term)}`]),
      );
      const present = counts.filter((c) => Number(c.documents) > 0);
      const rare = present.filter((c) => Number(c.documents) <= common).map((c) => c.term);
      if (present.length === 0) return [];
      const rows =
        rare.length > 0
          ? await rank(rare, scopeWords, limit)
          : await newest(
              present.map((c) => c.term),
              scopeWords,
              limit,
            );
      return normalizeHits(rows, limit);
    },
  };
}
