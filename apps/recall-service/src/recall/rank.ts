import type { Candidate } from "./candidate";
import { dedupe } from "./dedupe";
import type { ScoredCandidate, ScoringContext } from "./score";
import { scoreCandidate, tagOverlapOf } from "./score";
import { shortIdOf } from "./short-id";
import { supersede } from "./supersede";

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
  const wanted = candidates.filter(
    (c) => (excludeShortIds.size === 0 || !excludeShortIds.has(shortIdOf(c.kind, c.id))) && matchesQuery(c, context.queryTerms),
  );
  return dedupe(supersede(wanted).map((candidate) => scoreCandidate(candidate, context)));
}

/** Without a query everything in scope matches; with one, a full-text hit or a tag the query names. */
export function matchesQuery(candidate: Candidate, queryTerms: ReadonlySet<string>): boolean {
  return queryTerms.size === 0 || candidate.textRelevance > 0 || tagOverlapOf(candidate.tags, queryTerms) > 0;
}
