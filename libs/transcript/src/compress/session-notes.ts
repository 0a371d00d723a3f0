// Texts the session already condensed itself: the assistant's last status report, Claude Code's
// recaps (away_summary), and work handed to subagents and workflows.
import type { CompressContext } from "./compress-context";
import { relativize } from "./compress-context";
import { specificsOf } from "./findings";
import { plainText, sentences, shorten } from "./text-tools";

const LIST_ITEM = /^\s*(?:[-*•]|\d+[.)]|#{1,4})\s+(.+)$/;

/**
 * A line of a report as an item: a list item, or a heading that says something itself ("Verdict:
 * NOT_ROOTABLE", "Port 8443 for ttyd"); a heading that only labels what follows ("5. Summary") is none.
 */
export function reportItem(line: string): string | undefined {
  const item = LIST_ITEM.exec(line)?.[1];
  if (item === undefined || !/^\s*#/.test(line)) return item;
  return item.includes(":") || specificsOf(item).size > 0 ? item : undefined;
}

/** Items of the last assistant message that reads as a report, and whether it came near the end. */
export function lastReport(context: CompressContext): { items: string[]; recent: boolean } {
  const { steps, sidechainOnly } = context.timeline;
  for (let index = steps.length - 1; index >= 0; index -= 1) {
    const step = steps[index];
    if (step?.kind !== "say" || (step.event.isSidechain && !sidechainOnly) || step.text.length < 300) continue;
    const lines = step.text.replace(/```[\s\S]*?```/g, "").split("\n");
    const items = lines.map(reportItem).filter((item): item is string => item !== undefined);
    if (items.length < 3) continue;
    const kept = items
      .map((item) => shorten(relativize(context.redact(plainText(item)), context), 150))
      .filter((item) => item.length > 3 && !/:$/.test(item) && !/^[:\-–]+$/.test(item))
      .slice(0, 14);
    return { items: kept, recent: index >= steps.length * 0.75 };
  }
  return { items: [], recent: false };
}

/** Claude Code's own recaps of the session, oldest first. */
export function recaps(context: CompressContext): string[] {
  return context.timeline.steps.flatMap((step) =>
    step.kind === "recap" ? [shorten(relativize(context.redact(step.text), context), 300)] : [],
  );
}

/** Tools that hand work to a subagent, a workflow or a skill (a skill's instructions steer the session's method). */
const DELEGATING_TOOLS = new Set(["Task", "Agent", "Workflow", "Skill"]);

/** Work handed to subagents, workflows and skills: what was asked and, when it came back, the first sentence of the answer. */
export function delegatedWork(context: CompressContext): string[] {
  const items: string[] = [];
  for (const action of context.timeline.actions) {
    if (!DELEGATING_TOOLS.has(action.call.name) || action.outcome === "rejected") continue;
    const input = action.call.input;
    const what = [input["description"], input["name"], input["subagent_type"], input["skill"]].find(
      (value): value is string => typeof value === "string" && value !== "",
    );
    if (!what) continue;
    const agent = typeof input["subagent_type"] === "string" && input["subagent_type"] !== what ? ` (${input["subagent_type"]})` : "";
    const answer =
      action.result && !/launched in background|^Launching skill:/i.test(action.result.text) ? sentences(action.result.text)[0] : undefined;
    const outcome = action.outcome === "error" ? " FAILED" : "";
    items.push(shorten(context.redact(`${action.call.name}${agent}: ${what}${outcome}${answer ? ` -> ${answer}` : ""}`), 200));
  }
  return items;
}

/** Tools through which an agent hands back its result as fields. */
const RESULT_TOOLS = new Set(["StructuredOutput"]);
/** Longest field value shown in a result line. */
const maxResultValueChars = 100;
/** Longest item of a list field, and longest line of list items (a digest line's length). */
const maxResultItemChars = 200;
const maxResultLineChars = 300;

/**
 * The results an agent handed back as fields (StructuredOutput), each result a list of lines: its
 * scalar fields in one line ("verdict=NOT_ROOTABLE; installed=true; ..."), then each list field
 * ("key_requirements: ...; ...") in lines of at most maxResultLineChars. It is the session's own
 * statement of where it ended, and its lists (the steps, the notes) are what the next session needs.
 */
export function structuredResults(context: CompressContext): string[][] {
  const results: string[][] = [];
  const clean = (text: string) => relativize(context.redact(text), context);
  for (const action of context.timeline.actions) {
    if (!RESULT_TOOLS.has(action.call.name) || action.outcome === "rejected") continue;
    const entries = Object.entries(action.call.input);
    const fields = entries
      .filter(([, value]) => isScalar(value))
      .map(([key, value]) => `${key}=${shorten(String(value), maxResultValueChars)}`);
    const lines = fields.length > 0 ? [shorten(clean(fields.join("; ")), 600)] : [];
    for (const [key, value] of entries) {
      if (!Array.isArray(value)) continue;
      const items = value.map(listItem).filter((item) => item !== "");
      lines.push(
        ...packItems(
          `${key} (StructuredOutput)`,
          items.map((item) => shorten(clean(item), maxResultItemChars)),
        ),
      );
    }
    if (lines.length > 0) results.push(lines);
  }
  return results;
}

const isScalar = (value: unknown): value is string | number | boolean => ["string", "number", "boolean"].includes(typeof value);

/** An item of a list field in one line: a scalar as is, an object as its scalar fields. */
function listItem(value: unknown): string {
  if (isScalar(value)) return String(value);
  if (value === null || typeof value !== "object") return "";
  return Object.entries(value)
    .filter(([, field]) => isScalar(field))
    .map(([key, field]) => `${key}=${String(field)}`)
    .join(", ");
}

/** "label: a; b; c" lines of at most maxResultLineChars, each item whole on one of them. */
function packItems(label: string, items: readonly string[]): string[] {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    const next = line === "" ? `${label}: ${item}` : `${line}; ${item}`;
    if (line !== "" && next.length > maxResultLineChars) {
      lines.push(line);
      line = `${label}: ${item}`;
    } else line = next;
  }
  if (line !== "") lines.push(line);
  return lines;
}
