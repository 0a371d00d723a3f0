// The dense text stored as conversation_contexts.dense_summary: sections of short lines, filled
// by priority (state and next actions, problems and fixes, files, key commands first) until the
// character and token budgets are spent, then printed in reading order.

export interface SummaryLine {
  /** the section the line belongs to, in the order sections are printed */
  section: SectionName;
  text: string;
  /** 0 is kept first; higher tiers fill what budget is left */
  tier: number;
  /** lines sharing a group are printed joined on one line ("created: a, b, c") */
  group?: string;
}

export type SectionName =
  | "head"
  | "goals"
  | "state"
  | "report"
  | "findings"
  | "problems"
  | "decisions"
  | "deadEnds"
  | "files"
  | "commands"
  | "delegated"
  | "earlier"
  | "where";

const SECTIONS: Array<[SectionName, string | undefined]> = [
  ["head", undefined],
  ["goals", "Goals (user's words)"],
  ["state", "State at end"],
  ["report", "Last report (assistant's words)"],
  ["findings", "Findings (assistant's explanations)"],
  ["problems", "Problems (problem -> cause -> fix -> verify)"],
  ["decisions", "Decisions"],
  ["deadEnds", "Dead ends (tried and dropped; do not repeat)"],
  ["files", "Files"],
  ["commands", "Commands that mattered"],
  ["delegated", "Delegated (subagents, workflows)"],
  ["earlier", "Session notes (compaction summary, recaps)"],
  ["where", "Where"],
];

/** Prints the chosen lines in section order. */
export function render(lines: readonly SummaryLine[]): string {
  const out: string[] = [];
  for (const [section, heading] of SECTIONS) {
    const inSection = lines.filter((line) => line.section === section);
    if (inSection.length === 0) continue;
    if (heading) out.push(`## ${heading}`);
    const printedGroups = new Set<string>();
    for (const line of inSection) {
      if (line.group === undefined) {
        out.push(section === "head" ? line.text : `- ${line.text}`);
        continue;
      }
      if (printedGroups.has(line.group)) continue;
      printedGroups.add(line.group);
      const members = inSection.filter((other) => other.group === line.group).map((other) => other.text);
      out.push(`- ${line.group}: ${members.join(", ")}`);
    }
  }
  return out.join("\n");
}

/**
 * Chooses lines by tier (then by position) while the printed text stays within `maxChars`, and
 * shrinks the character budget until `countTokens` of the result is within `maxTokens`.
 */
export function fitSummary(
  lines: readonly SummaryLine[],
  maxChars: number,
  maxTokens: number,
  countTokens: (text: string) => number,
): string {
  const ranked = lines.map((line, index) => ({ line, index })).sort((a, b) => a.line.tier - b.line.tier || a.index - b.index);
  let budget = maxChars;
  let text = "";
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const chosen = new Set<number>();
    for (const { index, line } of ranked) {
      chosen.add(index);
      const candidate = render(lines.filter((_, position) => chosen.has(position)));
      if (candidate.length > budget) chosen.delete(index);
      else if (line.tier === 0 && candidate.length > budget * 0.98) break;
    }
    text = render(lines.filter((_, position) => chosen.has(position)));
    if (text.length > budget) text = text.slice(0, budget);
    const tokens = countTokens(text);
    if (tokens <= maxTokens) return text;
    budget = Math.floor(budget * (maxTokens / tokens) * 0.97);
    if (budget < 80) break;
  }
  return text.slice(0, Math.max(0, budget));
}
