import type { ScoredCandidate } from "./score";
import { byScore } from "./score";
import type { Candidate } from "./candidate";
import { memoizedPerObject } from "./memo";
import { isSimilarWordSet, titleWords } from "./terms";

const titleWordsOf = memoizedPerObject((candidate: Candidate) => titleWords(candidate.title));

/** Titles sharing this share of their words (Jaccard) say the same thing. */
export const nearDuplicateTitleSimilarity = 0.8;

/**
 * Keeps the best-scored item of each group of duplicates: the same content hash, or titles whose
 * word sets are near-identical. Project states are never merged with other items. The result is
 * sorted best first.
 */
export function dedupe(scored: readonly ScoredCandidate[]): ScoredCandidate[] {
  const kept: ScoredCandidate[] = [];
  // Titles of the items kept (project states excepted), split into words once, and which of
  // them each word is in: a title is compared only with titles it shares a word with.
  const keptTitles: ReadonlySet<string>[] = [];
  const titlesWith = new Map<string, number[]>();
  const hashes = new Set<string>();
  for (const item of [...scored].sort(byScore)) {
    const { candidate } = item;
    const hash = candidate.contentHash ? candidate.contentHash.toLowerCase() : null;
    if (hash && hashes.has(hash)) continue;
    const words = candidate.kind === "project_state" ? null : titleWordsOf(candidate);
    if (words && sharingTitles(words, titlesWith).some((i) => isSimilarWordSet(words, keptTitles[i]!, nearDuplicateTitleSimilarity)))
      continue;
    if (hash) hashes.add(hash);
    if (words) {
      for (const word of words) {
        const titles = titlesWith.get(word);
        if (titles) titles.push(keptTitles.length);
        else titlesWith.set(word, [keptTitles.length]);
      }
      keptTitles.push(words);
    }
    kept.push(item);
  }
  return kept;
}

/** The kept titles that share at least one word with `words`. */
function sharingTitles(words: ReadonlySet<string>, titlesWith: ReadonlyMap<string, number[]>): number[] {
  const found = new Set<number>();
  for (const word of words) for (const i of titlesWith.get(word) ?? []) found.add(i);
  return [...found];
}
