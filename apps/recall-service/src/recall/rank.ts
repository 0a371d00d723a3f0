import type { Candidate } from "./candidate";
import { dedupe } from "./dedupe";
import type { ScoredCandidate, ScoringContext } from "./score";
import { scoreCandidate } from "./score";
import { shortIdOf } from "./short-id";
import { supersede } from "./supersede";

/**
 * The pure middle of a recall: leaves out what was already injected (by short id) and what is
 * superseded, scores the rest and keeps one of each group of duplicates, best first.
 */
export function rankCandidates(
  candidates: readonly Candidate[],
  context: ScoringContext,
  excludeShortIds: ReadonlySet<string> = new Set(),
): ScoredCandidate[] {
  const wanted = excludeShortIds.size === 0 ? candidates : candidates.filter((c) => !excludeShortIds.has(shortIdOf(c.kind, c.id)));
  return dedupe(supersede(wanted).map((candidate) => scoreCandidate(candidate, context)));
}
