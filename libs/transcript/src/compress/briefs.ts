// A prompt written as a brief (a task handed to a subagent, a numbered plan, a list of
// requirements) holds more than its first line: the steps, names and values it settles ("Start
// emulator: emulator -avd test_root_2 -no-window", "Use the exact image from the environment
// check"). The goal keeps the first line; these are the lines after it, one each.
import type { CompressContext } from "./compress-context";
import { relativize } from "./compress-context";
import { looksLikeErrorLog } from "./error-line";
import { isContinuation } from "./goals";
import { dedupeKey, oneLine, shorten } from "./text-tools";

export interface BriefItem {
  text: string;
  /** 0 for the first brief of the session (the task it was started for), 1 for later ones */
  order: number;
}

/** A prompt is a brief when it has at least this many lines of its own after the first. */
const minBriefLines = 3;
/** Most lines kept per brief, and the longest line. */
const maxBriefLines = 16;
const maxBriefLineChars = 200;

/** Lines that say nothing alone: headings that only label ("Steps:"), separators, code punctuation. */
const LABEL_ONLY = /^[^:]{0,40}:$|^[-=*_#|`]+$|^[{}[\]();,]+$/;

/** The lines of each brief-like prompt after its first line, in order, each once. */
export function collectBriefs(context: CompressContext): BriefItem[] {
  const items: BriefItem[] = [];
  const seen = new Set<string>();
  let order = 0;
  for (const step of context.timeline.steps) {
    if (step.kind !== "prompt" || isContinuation(step.text)) continue;
    const redacted = context.redact(step.text);
    if (looksLikeErrorLog(redacted)) continue;
    const lines = briefLines(redacted);
    // A pasted file (configuration, code) is no brief: its lines are a body, not instructions.
    if (lines.length < minBriefLines || lines.filter(isProse).length * 2 < lines.length) continue;
    for (const line of lines.slice(0, maxBriefLines)) {
      const text = shorten(relativize(line, context), maxBriefLineChars);
      const key = dedupeKey(text);
      if (seen.has(key)) continue;
      seen.add(key);
      items.push({ text, order: Math.min(order, 1) });
    }
    order += 1;
  }
  return items;
}

/** A line of prose: four words or more, not ending like code. */
const isProse = (line: string) => line.split(" ").length >= 4 && !/[;{}(,]$/.test(line);

/** A prompt's lines after the first, fenced blocks and label-only lines left out, list markers removed. */
function briefLines(prompt: string): string[] {
  const lines: string[] = [];
  let inFence = false;
  for (const raw of prompt.split("\n")) {
    if (/^\s*```/.test(raw)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const line = oneLine(raw.replace(/^\s*(?:[-*•>]|\d+[.)]|#{1,6})\s+/, "").replace(/\*\*|__/g, ""));
    if (line.length < 12 || LABEL_ONLY.test(line)) continue;
    lines.push(line);
  }
  return lines.slice(1);
}
