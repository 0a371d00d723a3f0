import type { ScoredCandidate } from "./score";
import { byScore } from "./score";
import { titleSimilarity } from "./terms";

/** Titles sharing this share of their words (Jaccard) say the same thing. */
export const nearDuplicateTitleSimilarity = 0.8;

/**
 * Keeps the best-scored item of each group of duplicates: the same content hash, or titles whose
 * word sets are near-identical. Project states are never merged with other items. The result is
 * sorted best first.
 */
export function dedupe(scored: readonly ScoredCandidate[]): ScoredCandidate[] {
  const kept: ScoredCandidate[] = [];
  const hashes = new Set<string>();
  for (const item of [...scored].sort(byScore)) {
    const { candidate } = item;
    const hash = candidate.contentHash ? candidate.contentHash.toLowerCase() : null;
    if (hash && hashes.has(hash)) continue;
    if (candidate.kind !== "project_state" && kept.some((other) => isNearDuplicate(item, other))) continue;
    if (hash) hashes.add(hash);
    kept.push(item);
  }
  return kept;
}

function isNearDuplicate(a: ScoredCandidate, b: ScoredCandidate): boolean {
  if (b.candidate.kind === "project_state") return false;
  return titleSimilarity(a.candidate.title, b.candidate.title) >= nearDuplicateTitleSimilarity;
}
