import type { Candidate } from "./candidate";
import { dedupe } from "./dedupe";
import type { ScoredCandidate, ScoringContext } from "./score";
import { candidateTagOverlap, scoreCandidate } from "./score";
import { shortIdOfCandidate } from "./short-id";
import { supersede } from "./supersede";
import { memoizedPerCandidate } from "./memo";
import { termsOf } from "./terms";

/**
 * The pure middle of a recall: leaves out what was already injected (by short id) and what is
 * superseded, scores the rest and keeps one of each group of duplicates, best first. With a query,
 * the recall is targeted: only items the query matches (by full text or by tag) are kept, so a
 * prompt that names nothing known recalls nothing.
 */
export function rankCandidates(
  candidates: readonly Candidate[],
  context: ScoringContext,
  excludeShortIds: ReadonlySet<string> = new Set(),
): ScoredCandidate[] {
  const wanted = candidates
    .map((c) =>
      context.queryTerms.size === 0 || c.textRelevance > 0 ? c : { ...c, textRelevance: localTextRelevance(c, context.queryTerms) },
    )
    .filter((c) => (excludeShortIds.size === 0 || !excludeShortIds.has(shortIdOfCandidate(c))) && matchesQuery(c, context.queryTerms));
  return dedupe(supersede(wanted).map((candidate) => scoreCandidate(candidate, context)));
}

/** A local match counts for less than a full-text hit of the same words (the index ranks better). */
export const localMatchWeight = 0.8;

/**
 * Relevance of an item the full-text search did not return (words too common to search for, or
 * beyond its limit), from its own words: each query word in its title or tags counts 1, in its
 * text 0.6, over the number of query words, scaled by localMatchWeight.
 */
export function localTextRelevance(candidate: Candidate, queryTerms: ReadonlySet<string>): number {
  if (queryTerms.size === 0) return 0;
  const { heading, text } = wordsOf(candidate);
  let found = 0;
  for (const term of queryTerms) found += heading.has(term) ? 1 : text.has(term) ? 0.6 : 0;
  return (found / queryTerms.size) * localMatchWeight;
}

/** The words of a candidate's title and tags, and of its text (remembered per candidate). */
const wordsOf = memoizedPerCandidate((candidate: Candidate) => ({
  heading: new Set(termsOf(`${candidate.title} ${candidate.tags.join(" ")}`)),
  text: new Set(termsOf(candidate.body)),
}));

/** Without a query everything in scope matches; with one, a full-text hit or a tag the query names. */
export function matchesQuery(candidate: Candidate, queryTerms: ReadonlySet<string>): boolean {
  return queryTerms.size === 0 || candidate.textRelevance > 0 || candidateTagOverlap(candidate, queryTerms) > 0;
}
