import type { Candidate } from "./candidate";
import { memoizedPerCandidate } from "./memo";
import type { ScoredCandidate } from "./score";
import { byScore } from "./score";
import { isSimilarWordSet, titleWords } from "./terms";

/** Titles sharing this share of their words (Jaccard) say the same thing. */
export const nearDuplicateTitleSimilarity = 0.8;

/** A title's words, and the first of them (in sorted order) that any near-identical title must share one of. */
interface TitleWords {
  words: ReadonlySet<string>;
  prefix: readonly string[];
}

/**
 * Prefix filtering: with every word set in one order (sorted here), two sets of Jaccard similarity
 * at least t share a word among the first |s| - ceil(t * |s|) + 1 of each. Comparing only titles
 * that share such a word finds every near-duplicate while skipping most pairs.
 */
export function similarityPrefix(words: ReadonlySet<string>, threshold: number): string[] {
  const sorted = [...words].sort();
  // The epsilon errs toward a longer prefix (never a missed pair) where t * |s| is a whole number.
  return sorted.slice(0, sorted.length - Math.ceil(threshold * sorted.length - 1e-9) + 1);
}

const titleWordsOf = memoizedPerCandidate((candidate: Candidate): TitleWords => {
  const words = titleWords(candidate.title);
  return { words, prefix: similarityPrefix(words, nearDuplicateTitleSimilarity) };
});

/**
 * Keeps the best-scored item of each group of duplicates: the same content hash, or titles whose
 * word sets are near-identical. Project states are never merged with other items. The result is
 * sorted best first.
 */
export function dedupe(scored: readonly ScoredCandidate[]): ScoredCandidate[] {
  const kept: ScoredCandidate[] = [];
  // Titles of the items kept (project states excepted), and which of them each prefix word is in.
  const keptTitles: ReadonlySet<string>[] = [];
  const titlesWith = new Map<string, number[]>();
  const hashes = new Set<string>();
  for (const item of [...scored].sort(byScore)) {
    const { candidate } = item;
    const hash = candidate.contentHash ? candidate.contentHash.toLowerCase() : null;
    if (hash && hashes.has(hash)) continue;
    const title = candidate.kind === "project_state" ? null : titleWordsOf(candidate);
    if (
      title &&
      sharingPrefix(title.prefix, titlesWith).some((i) => isSimilarWordSet(title.words, keptTitles[i]!, nearDuplicateTitleSimilarity))
    )
      continue;
    if (hash) hashes.add(hash);
    if (title) {
      for (const word of title.prefix) {
        const titles = titlesWith.get(word);
        if (titles) titles.push(keptTitles.length);
        else titlesWith.set(word, [keptTitles.length]);
      }
      keptTitles.push(title.words);
    }
    kept.push(item);
  }
  return kept;
}

/** The kept titles whose prefix shares a word with `prefix`. */
function sharingPrefix(prefix: readonly string[], titlesWith: ReadonlyMap<string, number[]>): number[] {
  const found = new Set<number>();
  for (const word of prefix) for (const i of titlesWith.get(word) ?? []) found.add(i);
  return [...found];
}
