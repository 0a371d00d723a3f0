import type { ScoredCandidate } from "./score";
import { byScore } from "./score";
import { titleWords, wordSetSimilarity } from "./terms";

/** Titles sharing this share of their words (Jaccard) say the same thing. */
export const nearDuplicateTitleSimilarity = 0.8;

/**
 * Keeps the best-scored item of each group of duplicates: the same content hash, or titles whose
 * word sets are near-identical. Project states are never merged with other items. The result is
 * sorted best first.
 */
export function dedupe(scored: readonly ScoredCandidate[]): ScoredCandidate[] {
  const kept: ScoredCandidate[] = [];
  // Titles of the items kept (project states excepted), each split into words once.
  const keptTitles: ReadonlySet<string>[] = [];
  const hashes = new Set<string>();
  for (const item of [...scored].sort(byScore)) {
    const { candidate } = item;
    const hash = candidate.contentHash ? candidate.contentHash.toLowerCase() : null;
    if (hash && hashes.has(hash)) continue;
    const isState = candidate.kind === "project_state";
    const words = isState ? null : titleWords(candidate.title);
    if (words && keptTitles.some((other) => wordSetSimilarity(words, other) >= nearDuplicateTitleSimilarity)) continue;
    if (hash) hashes.add(hash);
    if (words) keptTitles.push(words);
    kept.push(item);
  }
  return kept;
}
