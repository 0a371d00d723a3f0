/**
 * Guessing a work item's category from its text, with DOMAIN.md's keyword lists.
 *
 * - A keyword matches as a whole word or phrase, case-insensitively, with the usual English
 *   endings: "service" matches "services" and "serviced", "configure" matches "configured",
 *   "modify" matches "modified"; "code" does not match "decode", nor "issue" "tissue".
 * - Each keyword counts once per text: 3 points when it is in the title, 1 when it is in the
 *   description (4 when in both). A category scores the sum of its keywords.
 * - The highest score wins; ties go to the category earlier in `tieOrder`.
 * - With no keyword at all, the guess is `defaultCategory` (maintenance).
 * - documentation has no keywords: it is never guessed, only given.
 */

/** The keyword lists of DOMAIN.md, by category. */
export const categoryKeywords = {
  infrastructure: ["ssh", "docker restart", "service", "server", "network"],
  troubleshooting: ["error", "not working", "broken", "failed", "issue"],
  configuration: ["configure", "setup", "change settings", "modify"],
  development: ["build", "code", "implement", "create", "develop"],
  maintenance: ["cleanup", "optimize", "backup", "update", "patch"],
  security: ["malware", "breach", "unauthorized", "vulnerability", "firewall"],
} as const satisfies Record<string, readonly string[]>;

export type GuessableCategory = keyof typeof categoryKeywords;

/**
 * Ties go to the first of these. Security first: a threat must never hide behind the server it
 * was found on. Then troubleshooting (something was broken), then the more specific kinds of
 * work before the broad ones; development last, as its keywords (create, build, code) are the
 * most common words in any technician's notes.
 */
export const tieOrder: readonly GuessableCategory[] = [
  "security",
  "troubleshooting",
  "infrastructure",
  "configuration",
  "maintenance",
  "development",
];

/**
 * The guess when nothing matches. Most of an MSP's unlabelled work is upkeep of systems that
 * already run; development keywords are broad enough that real development work rarely misses.
 */
export const defaultCategory: GuessableCategory = "maintenance";

/** Points for a keyword found in the title, and in the description. */
export const titleWeight = 3;
export const descriptionWeight = 1;

export interface CategoryGuess {
  category: GuessableCategory;
  /** Points per category, for explaining a guess. */
  scores: Record<GuessableCategory, number>;
  /** The keywords found, such as "title:service" or "description:error". */
  matched: string[];
}

/** Guesses the category of a work item from its title and description. */
export function guessCategory(title: string | null | undefined, description: string | null | undefined): CategoryGuess {
  const scores = Object.fromEntries(tieOrder.map((c) => [c, 0])) as Record<GuessableCategory, number>;
  const matched: string[] = [];
  for (const category of tieOrder) {
    for (const keyword of categoryKeywords[category]) {
      const pattern = keywordPattern(keyword);
      if (title && pattern.test(title)) {
        scores[category] += titleWeight;
        matched.push(`title:${keyword}`);
      }
      if (description && pattern.test(description)) {
        scores[category] += descriptionWeight;
        matched.push(`description:${keyword}`);
      }
    }
  }
  let best: GuessableCategory = defaultCategory;
  let bestScore = 0;
  for (const category of tieOrder) {
    if (scores[category] > bestScore) {
      best = category;
      bestScore = scores[category];
    }
  }
  return { category: best, scores, matched };
}

const patterns = new Map<string, RegExp>();

/** A keyword or phrase as a whole-word, case-insensitive pattern allowing common endings. */
function keywordPattern(keyword: string): RegExp {
  let pattern = patterns.get(keyword);
  if (!pattern) {
    const words = keyword.split(" ").map(inflected).join("[\\s_-]+");
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, "iu");
    patterns.set(keyword, pattern);
  }
  return pattern;
}

/** modify -> modif(y|ies|ied|ying); configure -> configur(e|es|ed|ing); patch -> patch(s|es|ed|ing)? */
function inflected(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}(?:y|ies|ied|ying)`;
  if (word.endsWith("e")) return `${word.slice(0, -1)}(?:e|es|ed|ing)`;
  return `${word}(?:s|es|ed|ing)?`;
}
