import type { FullTextHit, SearchableKind } from "./fulltext";
import { termsOf } from "./terms";

/** More words than this add cost, not precision (a long prompt is cut to its first distinct words). */
export const maxSearchTerms = 16;

/**
 * The words of a query that are searched: letters and digits only (so no user input is ever
 * query syntax), lower-case, without stopwords, at most maxSearchTerms.
 */
export function searchTermsOf(query: string): string[] {
  return termsOf(query).slice(0, maxSearchTerms);
}

/** A raw score per hit, higher is better, as each dialect computes it. */
export interface RawHit {
  kind: SearchableKind;
  id: string;
  score: number;
}

/**
 * Scores scaled to 0..1 for this query (the best hit is 1), the same item's scores summed (an
 * item found by text and by tags), best first (ties in the order given), at most `limit`.
 */
export function normalizeHits(raw: readonly RawHit[], limit: number): FullTextHit[] {
  const byItem = new Map<string, RawHit>();
  for (const hit of raw) {
    const score = Number.isFinite(hit.score) ? Math.max(0, hit.score) : 0;
    const key = `${hit.kind}:${hit.id}`;
    const seen = byItem.get(key);
    byItem.set(key, { kind: hit.kind, id: hit.id, score: (seen?.score ?? 0) + score });
  }
  // A stable sort: equal scores keep the order the index gave (newest first, for common words).
  const hits = [...byItem.values()].sort((a, b) => b.score - a.score).slice(0, limit);
  const best = hits[0]?.score ?? 0;
  return hits.map((hit) => ({ kind: hit.kind, id: hit.id, relevance: best > 0 ? hit.score / best : 1 }));
}
