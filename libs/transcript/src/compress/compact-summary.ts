// The summary Claude Code writes when it compacts a conversation is the best text a transcript
// holds: numbered sections such as "Primary Request and Intent", "Errors and fixes", "Pending
// Tasks", "Current Work" and "Optional Next Step". This reads them into lists.

export interface CompactSections {
  intent: string[];
  concepts: string[];
  errorsAndFixes: string[];
  problemSolving: string[];
  pendingTasks: string[];
  currentWork: string[];
  nextStep: string[];
  decisions: string[];
}

const SECTION_NAMES: Array<[keyof CompactSections, RegExp]> = [
  ["intent", /primary request|intent/i],
  ["concepts", /key technical concepts/i],
  ["errorsAndFixes", /errors? and fix/i],
  ["problemSolving", /problem solving/i],
  ["pendingTasks", /pending tasks/i],
  ["currentWork", /current work/i],
  ["nextStep", /next step/i],
  ["decisions", /decisions/i],
];

/** Bullet items (or, without bullets, lines) of a section body, markdown removed. */
function itemsOf(body: string): string[] {
  const lines = body.split("\n");
  const items: string[] = [];
  let current: string | undefined;
  for (const raw of lines) {
    if (/^\s*```/.test(raw)) continue;
    const bullet = /^(\s*)(?:[-*•]|\d+[.)])\s+(.*)$/.exec(raw);
    if (bullet && (bullet[1] ?? "").length <= 3) {
      if (current) items.push(current);
      current = bullet[2] ?? "";
    } else if (raw.trim() !== "") {
      // Nested bullets and continuation lines belong to the item above them.
      const detail = raw.trim().replace(/^(?:[-*•]|\d+[.)])\s+/, "");
      current = current === undefined ? detail : `${current}${/^\s*(?:[-*•]|\d+[.)])\s/.test(raw) ? ";" : ""} ${detail}`;
    }
  }
  if (current) items.push(current);
  return items.map((item) => item.replace(/\*\*|`/g, "").trim()).filter((item) => item.length > 2);
}

export function parseCompactSummary(text: string): CompactSections {
  const sections: CompactSections = {
    intent: [],
    concepts: [],
    errorsAndFixes: [],
    problemSolving: [],
    pendingTasks: [],
    currentWork: [],
    nextStep: [],
    decisions: [],
  };
  const summaryStart = text.search(/^Summary:\s*$/m);
  const analysis = summaryStart === -1 ? "" : text.slice(0, summaryStart);
  const body = summaryStart === -1 ? text : text.slice(summaryStart);
  const headings = [...body.matchAll(/^\s*\d+\.\s+([A-Z][^\n:]{2,60}):\s*$/gm)];
  headings.forEach((heading, index) => {
    const name = SECTION_NAMES.find(([, pattern]) => pattern.test(heading[1] ?? ""))?.[0];
    if (!name) return;
    const start = (heading.index ?? 0) + heading[0].length;
    const end = headings[index + 1]?.index ?? body.length;
    sections[name].push(...itemsOf(body.slice(start, end)));
  });
  const decisionBlock = /key (technical )?decisions[^:\n]*:\s*\n([\s\S]*?)(\n\s*\n|$)/i.exec(analysis);
  if (decisionBlock?.[2]) sections.decisions.push(...itemsOf(decisionBlock[2]));
  return sections;
}
