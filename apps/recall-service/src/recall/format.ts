import { pointerText } from "../credential-pointer";
import type { Candidate } from "./candidate";
import { memoizedPerCandidate } from "./memo";
import { isKnownIssue } from "./supersede";

/** The longest line of one item: room for several items even in a small budget. */
export const maxItemLineChars = 480;
/** Project state, its next actions and blockers may say more: they come first and matter most. */
export const maxStateLineChars = 900;
/** Below this, a trimmed line says too little to be worth its place. */
export const minUsefulLineChars = 48;

const ellipsis = "…";

/** A date as the lines show it: YYYY-MM-DD in UTC. */
export function formatDate(time: Date): string {
  return Number.isNaN(time.getTime()) ? "0000-00-00" : time.toISOString().slice(0, 10);
}

/** Text on one line: control characters and runs of whitespace become one space. */
export function oneLine(text: string): string {
  return text.replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
}

/**
 * Cuts text to at most `max` characters (UTF-16 code units, as JavaScript and Claude Code count
 * them), ending with "…" when cut, never splitting a surrogate pair.
 */
export function trimTo(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  let end = max - ellipsis.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return end > 0 ? `${text.slice(0, end).trimEnd()}${ellipsis}` : "";
}

/** `[<kind> <short_id> <YYYY-MM-DD> <machine_name>]`, the machine left out when unknown. */
export function itemTag(candidate: Candidate, shortId: string): string {
  const machine = oneLine(candidate.machineName ?? "").replace(/[\]\s]+/g, "_");
  return `[${candidate.kind} ${shortId} ${formatDate(candidate.time)}${machine ? ` ${machine}` : ""}]`;
}

/**
 * The words after the tag: `<title>: <summary>`, `known issue: <error> -> fix: <solution>`, or for
 * a credential reference the pointer (name, what for, `msp cred reveal <id>`), never its own text.
 */
export const itemText = memoizedPerCandidate((candidate: Candidate): string => {
  if (candidate.credential) return oneLine(pointerText(candidate.credential));
  if (isKnownIssue(candidate)) {
    const error = oneLine(candidate.errorPattern || candidate.title);
    return `known issue: ${error} -> fix: ${oneLine(candidate.recommendedSolution ?? "")}`;
  }
  const title = oneLine(candidate.title);
  // A project state's summary lists recent sessions, one per line: they stay apart on the one line.
  let body =
    candidate.kind === "project_state"
      ? candidate.body
          .split("\n")
          .map(oneLine)
          .filter((line) => line !== "")
          .join("; ")
      : oneLine(candidate.body);
  // Many snippets repeat their title at the start of their content, often behind a heading mark or
  // a label ("# <title>", "Problem: <title>"): say it once.
  body = withoutRepeatedTitle(title, body);
  // A decision's reason that its own words already give ("... as it is unsecure": "as it is unsecure") is said once.
  if (!body || (body.length >= minRepeatedBodyChars && title.toLowerCase().includes(body.toLowerCase()))) return title;
  if (!title) return body;
  return /[.:;!?…]$/.test(title) ? `${title} ${body}` : `${title}: ${body}`;
});

/** A body this long that the title contains is a repeat, not a word the title happens to use. */
const minRepeatedBodyChars = 16;

/** A heading mark before a repeated title: "# <title>" (how a session's dense summary starts). */
const HEADING_MARK = /^#{1,6}\s+/;
/** A short label before a repeated title: "Problem: <title>". */
const LABEL = /^[A-Z][A-Za-z ]{0,15}:\s+/;
/** Behind a label, only a title this long is surely repeated, not a subject the body goes on about ("Cause: nginx was ..."). */
const minLabelledRepeatChars = 24;

/** The body without a leading repeat of the title (bare, behind a heading mark, or behind a label). */
function withoutRepeatedTitle(title: string, body: string): string {
  if (!title) return body;
  const lower = title.toLowerCase();
  const rest = (start: string) => start.slice(title.length).replace(/^[\s:;,.#–—-]+/, "");
  if (body.toLowerCase().startsWith(lower)) return rest(body);
  const headed = body.replace(HEADING_MARK, "");
  if (headed !== body && headed.toLowerCase().startsWith(lower)) return rest(headed);
  const labelled = body.replace(LABEL, "");
  const repeated = labelled !== body && title.length >= minLabelledRepeatChars && labelled.toLowerCase().startsWith(lower);
  return repeated && !/^[\p{L}\p{N}]/u.test(labelled.slice(title.length)) ? rest(labelled) : body;
}

/** The one dense line of an item, at most `max` characters. */
export function itemLine(candidate: Candidate, shortId: string, max: number): string {
  return trimTo(`- ${itemTag(candidate, shortId)} ${itemText(candidate)}`, max);
}

/**
 * The lines under a project state: its open next actions, then its blockers; those `shown`
 * elsewhere in the same text (a session's digest says them again) left out.
 */
export function stateDetailLines(candidate: Candidate, shown: (text: string) => boolean = () => false): string[] {
  const lines: string[] = [];
  const actions = (candidate.nextActions ?? []).map(oneLine).filter((a) => a.length > 0 && !shown(a));
  if (actions.length > 0) lines.push(`  next actions: ${actions.map((a, i) => `${i + 1}) ${a}`).join("; ")}`);
  const blockers = (candidate.blockers ?? []).map(oneLine).filter((b) => b.length > 0 && !shown(b));
  if (blockers.length > 0) lines.push(`  blockers: ${blockers.join("; ")}`);
  return lines;
}

/** What the header names: the project and client the memory is about, in words where known. */
export interface HeaderLabels {
  project?: string;
  client?: string;
}

/** The first line of the injected text. */
export function headerLine(labels: HeaderLabels): string {
  const about = [labels.project ? `project ${oneLine(labels.project)}` : "", labels.client ? `client ${oneLine(labels.client)}` : ""]
    .filter((part) => part.length > 0)
    .join(", ");
  return trimTo(`# Memory from earlier sessions${about ? ` (${about})` : ""}; each line: [kind short_id date machine]`, 300);
}

/** The last line: how to read an item in full. */
export function footerLine(shortId: string): string {
  return `Full item: msp recall --id ${shortId}`;
}

/** Everything known about an item, for GetMemoryItem: several lines, nothing trimmed. */
export function fullText(candidate: Candidate, shortId: string): string {
  const lines = [`${itemTag(candidate, shortId)} ${oneLine(candidate.title)}`];
  if (isKnownIssue(candidate) || candidate.kind === "failure_pattern") {
    if (candidate.errorPattern) lines.push(`error: ${candidate.errorPattern}`);
    if (candidate.recommendedSolution) lines.push(`fix: ${candidate.recommendedSolution}`);
    if (candidate.occurrenceCount !== undefined) lines.push(`seen ${candidate.occurrenceCount} times`);
  }
  if (candidate.body.trim()) lines.push("", candidate.body.trim());
  if (candidate.credential) lines.push("", pointerText(candidate.credential));
  const details = stateDetailLines(candidate).map((line) => line.trim());
  if (details.length > 0) lines.push("", ...details);
  if (candidate.tags.length > 0) lines.push("", `tags: ${candidate.tags.join(", ")}`);
  return lines.join("\n");
}
