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

const DELEGATING_TOOLS = new Set(["Task", "Agent", "Workflow"]);

/** Work handed to subagents and workflows: what was asked and, when it came back, the first sentence of the answer. */
export function delegatedWork(context: CompressContext): string[] {
  const items: string[] = [];
  for (const action of context.timeline.actions) {
    if (!DELEGATING_TOOLS.has(action.call.name) || action.outcome === "rejected") continue;
    const input = action.call.input;
    const what = [input["description"], input["name"], input["subagent_type"]].find(
      (value): value is string => typeof value === "string" && value !== "",
    );
    if (!what) continue;
    const agent = typeof input["subagent_type"] === "string" && input["subagent_type"] !== what ? ` (${input["subagent_type"]})` : "";
    const answer = action.result && !/launched in background/i.test(action.result.text) ? sentences(action.result.text)[0] : undefined;
    const outcome = action.outcome === "error" ? " FAILED" : "";
    items.push(shorten(context.redact(`${action.call.name}${agent}: ${what}${outcome}${answer ? ` -> ${answer}` : ""}`), 200));
  }
  return items;
}

/** Tools through which an agent hands back its result as fields. */
const RESULT_TOOLS = new Set(["StructuredOutput"]);
/** Longest field value shown in a result line. */
const maxResultValueChars = 100;

/**
 * The results an agent handed back as fields (StructuredOutput), one line each: "verdict=NOT_ROOTABLE;
 * installed=true; ...", scalars only, in the order given. It is the session's own statement of
 * where it ended.
 */
export function structuredResults(context: CompressContext): string[] {
  const results: string[] = [];
  for (const action of context.timeline.actions) {
    if (!RESULT_TOOLS.has(action.call.name) || action.outcome === "rejected") continue;
    const fields = Object.entries(action.call.input)
      .filter(([, value]) => ["string", "number", "boolean"].includes(typeof value))
      .map(([key, value]) => `${key}=${shorten(String(value), maxResultValueChars)}`);
    if (fields.length > 0) results.push(shorten(relativize(context.redact(fields.join("; ")), context), 600));
  }
  return results;
}
