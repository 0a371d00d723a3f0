/** At most this many tags on one context or snippet. */
export const maxTags = 50;

/** Longest tag kept (the tag index column is 64 characters). */
const maxTagLength = 64;

/**
 * Tags as the index stores them: trimmed, lower-case, inner spaces as hyphens, no empty or
 * duplicate tag, at most `maxTags`, each cut to 64 characters. Order of first appearance kept.
 */
export function normalizeTags(tags: readonly string[] | null | undefined): string[] {
  const seen = new Set<string>();
  for (const raw of tags ?? []) {
    const tag = raw.trim().toLowerCase().replace(/\s+/g, "-").slice(0, maxTagLength).replace(/-+$/, "");
    if (tag !== "") seen.add(tag);
    if (seen.size === maxTags) break;
  }
  return [...seen];
}
