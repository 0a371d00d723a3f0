/** At most this many triggering commands are kept on a pattern (the latest). */
export const maxTriggeringCommands = 20;

/** The commands of a pattern with `command` added at the end, without duplicates, the latest kept. */
export function mergeTriggeringCommands(existing: readonly string[], command: string | null): string[] {
  const trimmed = command?.trim() ?? "";
  if (trimmed === "") return existing.slice(-maxTriggeringCommands);
  return [...existing.filter((c) => c !== trimmed), trimmed].slice(-maxTriggeringCommands);
}

/** A pattern's fix and the other fixes tried. */
export interface Recommendation {
  recommendedSolution: string | null;
  alternatives: string[];
}

/**
 * A pattern's fix after a failure resolved with `resolution`: the first fix found stays the
 * recommendation (later ones that differ become alternatives); without a fix yet, it is taken.
 */
export function nextRecommendation(current: Recommendation, resolution: string | null): Recommendation {
  const fix = resolution?.trim() ?? "";
  if (fix === "") return current;
  if (current.recommendedSolution === null || current.recommendedSolution === "") {
    return { recommendedSolution: fix, alternatives: current.alternatives.filter((a) => a !== fix) };
  }
  if (current.recommendedSolution === fix || current.alternatives.includes(fix)) return current;
  return { recommendedSolution: current.recommendedSolution, alternatives: [...current.alternatives, fix].slice(-maxTriggeringCommands) };
}
