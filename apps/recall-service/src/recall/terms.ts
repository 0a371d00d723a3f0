/** English words too common to tell items apart; left out of terms, subjects and title comparison. */
const stopwords = new Set(
  (
    "a an and are as at be been but by can could did do does for from had has have how i if in into is it its " +
    "me my no not of on or our please so that the their them then there these they this to was we were what when " +
    "where which who why will with would you your"
  ).split(" "),
);

const nonAscii = /[^\u0000-\u007f]/;
const isAscii = (text: string) => !nonAscii.test(text);

/** Letters and digits (any script) make a word; everything else separates words. */
const wordPattern = /[\p{L}\p{N}_]+/gu;

/**
 * The distinct words of a text that matter for matching: lower-cased, diacritics removed, words
 * shorter than `minLength` and stopwords dropped, in order of first appearance.
 */
export function termsOf(text: string, minLength = 2): string[] {
  // Most text is ASCII, which has no diacritics to fold: the (slow) normalization is skipped then.
  const folded = (isAscii(text) ? text : text.normalize("NFKD").replace(/\p{M}+/gu, "")).toLowerCase();
  const seen = new Set<string>();
  for (const match of folded.matchAll(wordPattern)) {
    const word = match[0];
    if (word.length < minLength || stopwords.has(word)) continue;
    seen.add(word);
  }
  return [...seen];
}

/** Endings folded away by stemOf, longest first. */
const suffixes = ["ations", "ation", "ings", "ing", "able", "ed", "es", "s", "ly"];

/**
 * A word's stem for "does this line answer the question" checks: common English endings and a
 * final "e" removed ("rooted", "rootable", "roots" -> "root"; "failed", "fails" -> "fail";
 * "images", "image" -> "imag"), at least three letters kept. Not a linguistic stemmer: two
 * words that share a stem are only likely to be the same word.
 */
export function stemOf(word: string): string {
  let stem = word;
  for (const suffix of suffixes) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= 3) {
      stem = stem.slice(0, -suffix.length);
      break;
    }
  }
  return stem.length > 3 && stem.endsWith("e") ? stem.slice(0, -1) : stem;
}

/** A decision's subject in the form two wordings of the same subject share. */
export function normalizeSubject(subject: string): string {
  return termsOf(subject).join(" ");
}

/** A title's words as titles are compared: single characters count ("Server 1" is not "Server 2"). */
export function titleWords(title: string): ReadonlySet<string> {
  return new Set(termsOf(title, 1));
}

/** Jaccard similarity of two titles' word sets: 1 for the same words, 0 for none in common. */
export function titleSimilarity(a: string, b: string): number {
  return wordSetSimilarity(titleWords(a), titleWords(b));
}

/** Jaccard similarity of two word sets (0 when either is empty). */
export function wordSetSimilarity(left: ReadonlySet<string>, right: ReadonlySet<string>): number {
  if (left.size === 0 || right.size === 0) return 0;
  const [small, large] = left.size <= right.size ? [left, right] : [right, left];
  let common = 0;
  for (const word of small) if (large.has(word)) common += 1;
  return common / (left.size + right.size - common);
}

/**
 * Whether two word sets are at least `threshold` similar (Jaccard). Sets whose sizes alone rule
 * it out (the ratio of their sizes bounds the similarity) are not compared word by word.
 */
export function isSimilarWordSet(left: ReadonlySet<string>, right: ReadonlySet<string>, threshold: number): boolean {
  if (left.size === 0 || right.size === 0) return false;
  if (Math.min(left.size, right.size) < threshold * Math.max(left.size, right.size)) return false;
  return wordSetSimilarity(left, right) >= threshold;
}
