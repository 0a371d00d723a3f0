/**
 * Whether a new save of a Claude session replaces the context stored for it: the transcript
 * only grows while the session goes on, so a save at least as long as the stored one is the
 * newer; a shorter one is an earlier save arriving late (replayed from a spool) and adds nothing.
 */
export function replacesStoredContext(newSourceTokens: number, storedSourceTokens: number): boolean {
  return newSourceTokens >= storedSourceTokens;
}
