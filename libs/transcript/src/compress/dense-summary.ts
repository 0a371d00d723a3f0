// The dense text stored as conversation_contexts.dense_summary: sections of short lines, filled
// by priority (state and next actions, problems and fixes, files, key commands first) until the
// character and token budgets are spent, then printed in reading order. A line may have a longer
// form (a file's purpose beside its name), shown where budget is left once every line is placed.

export interface SummaryLine {
  /** the section the line belongs to, in the order sections are printed */
  section: SectionName;
  text: string;
  /** 0 is kept first; higher tiers fill what budget is left */
  tier: number;
  /** lines sharing a group are printed joined on one line ("created: a, b, c") */
  group?: string;
  /** a longer form printed on its own line instead, when budget is left once the lines of detailTier are placed */
  detail?: string;
  /** the tier whose lines come before the longer form (default: after every line) */
  detailTier?: number;
}

export type SectionName =
  | "head"
  | "goals"
  | "brief"
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
  ["brief", "Asked (the prompt's details)"],
  ["state", "State at end"],
  ["report", "Last report (assistant's words)"],
  ["findings", "Findings (assistant's explanations)"],
  ["problems", "Problems (problem -> cause -> fix -> verify)"],
  ["decisions", "Decisions"],
  ["deadEnds", "Dead ends (tried and dropped; do not repeat)"],
  ["files", "Files"],
  ["commands", "Commands that mattered"],
  ["delegated", "Delegated (subagents, workflows, skills)"],
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
  return chooseLines(lines, maxChars, maxTokens, countTokens).text;
}

/** The heading of the appendix of lines the summary left out (see fitSummaryWithMore). */
export const moreHeadingPrefix = "## More: ";

/**
 * The summary (fitSummary within `maxChars`), then, while `moreChars` characters and what is left
 * of `maxTokens` allow, the lines it left out, fitted the same way, their headings marked "More:".
 * What reaches Claude at session start is the summary's beginning; a query reads every line, so a
 * long session's lower-priority facts stay findable without crowding the summary.
 */
export function fitSummaryWithMore(
  lines: readonly SummaryLine[],
  maxChars: number,
  moreChars: number,
  maxTokens: number,
  countTokens: (text: string) => number,
): string {
  const core = chooseLines(lines, maxChars, maxTokens, countTokens);
  const tokensLeft = maxTokens - countTokens(core.text) - 1;
  const left = lines.filter((line, index) => !core.chosen.has(index) && line.section !== "head");
  if (left.length === 0 || moreChars < 200 || tokensLeft < 100) return core.text;
  // Room for the longer headings ("## More: Findings") and the newline before the appendix.
  const headingsExtra = SECTIONS.length * (moreHeadingPrefix.length - "## ".length) + 1;
  const more = chooseLines(left, moreChars - headingsExtra, tokensLeft - SECTIONS.length, countTokens).text.replace(
    /^## /gm,
    moreHeadingPrefix,
  );
  return more === "" ? core.text : `${core.text}\n${more}`;
}

/** The lines chosen to fit both budgets, and their printed text. */
function chooseLines(
  lines: readonly SummaryLine[],
  maxChars: number,
  maxTokens: number,
  countTokens: (text: string) => number,
): { text: string; chosen: ReadonlySet<number> } {
  // Lines by tier, then position; a longer form after the lines of its tier.
  const ranked = [
    ...lines.map((line, index) => ({ index, tier: line.tier, detail: false })),
    ...lines.flatMap((line, index) =>
      line.detail === undefined ? [] : [{ index, tier: line.detailTier ?? Number.POSITIVE_INFINITY, detail: true }],
    ),
  ].sort((a, b) => a.tier - b.tier || Number(a.detail) - Number(b.detail) || a.index - b.index);
  let budget = maxChars;
  let text = "";
  let chosen = new Set<number>();
  for (let attempt = 0; attempt < 8; attempt += 1) {
    chosen = new Set<number>();
    const detailed = new Set<number>();
    const printed = () =>
      render(
        lines.flatMap((line, position) =>
          !chosen.has(position)
            ? []
            : detailed.has(position)
              ? [{ section: line.section, text: line.detail as string, tier: line.tier }]
              : [line],
        ),
      );
    for (const { index, tier, detail } of ranked) {
      const set = detail ? detailed : chosen;
      if (detail && !chosen.has(index)) continue;
      set.add(index);
      const candidate = printed();
      if (candidate.length > budget) set.delete(index);
      else if (tier === 0 && candidate.length > budget * 0.98) break;
    }
    text = printed();
    if (text.length > budget) text = text.slice(0, budget);
    const tokens = countTokens(text);
    if (tokens <= maxTokens) return { text, chosen };
    budget = Math.floor(budget * (maxTokens / tokens) * 0.97);
    if (budget < 80) break;
  }
  return { text: text.slice(0, Math.max(0, budget)), chosen };
}
