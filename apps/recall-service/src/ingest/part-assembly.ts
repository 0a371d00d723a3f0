/** One staged part of an upload. */
export interface StagedPart {
  index: number;
  content: string;
}

/**
 * The transcript of an upload when all `count` parts arrived (each index 0..count-1 once),
 * joined in order; undefined while some are missing.
 */
export function assembleParts(parts: readonly StagedPart[], count: number): string | undefined {
  const byIndex = new Map<number, string>();
  for (const part of parts) if (!byIndex.has(part.index)) byIndex.set(part.index, part.content);
  if (byIndex.size !== count) return undefined;
  const ordered: string[] = [];
  for (let i = 0; i < count; i++) {
    const content = byIndex.get(i);
    if (content === undefined) return undefined;
    ordered.push(content);
  }
  return ordered.join("");
}

/** How long parts of an unfinished upload are kept. */
export const partRetentionMs = 24 * 60 * 60 * 1000;
