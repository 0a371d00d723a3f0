import type { TranscriptEvent } from "@msp/transcript";
import { parseTranscript } from "@msp/transcript";

/**
 * The most a model summary reads of one session, in characters (about 20,000 tokens): a long
 * session costs no more than this, whatever its size. What does not fit is left out in the middle
 * (the start says what was wanted, the end where it stands), and the cut says so.
 */
export const maxSummaryInputChars = 80_000;

/** How much of each part of a turn is kept: a person's words matter more than a tool's output. */
const limits = { prompt: 3_000, assistant: 2_500, toolInput: 400, toolResult: 600, compacted: 6_000 } as const;

/** What the model reads of a session: its dates and folder, then the conversation as plain lines. */
export interface SummaryInput {
  text: string;
  /** Characters of the conversation before the cut (0: nothing worth summarising). */
  sourceChars: number;
  /** When the session's first and last records were written, ISO 8601, when the transcript says. */
  startedAt?: string;
  endedAt?: string;
}

/**
 * The conversation of a transcript (JSONL, already redacted and stripped of what was marked
 * private), as a model reads it best: the user's words, the assistant's words, each tool call in
 * one line and its result shortened. Bookkeeping, progress and hook output are left out.
 */
export function summaryInput(redactedTranscript: string, maxChars = maxSummaryInputChars): SummaryInput {
  const { events } = parseTranscript(redactedTranscript);
  const lines: string[] = [];
  for (const event of events) lines.push(...linesOf(event));
  const body = lines.join("\n");
  const times = events.map((event) => event.timestamp).filter((time): time is string => typeof time === "string" && time !== "");
  const cwd = events.find((event) => event.cwd)?.cwd;
  const branch = events.find((event) => event.gitBranch)?.gitBranch;
  const header = [
    times.length > 0 ? `Session from ${times[0]} to ${times[times.length - 1]}` : "",
    cwd ? `Folder: ${cwd}` : "",
    branch ? `Git branch: ${branch}` : "",
  ].filter(Boolean);
  return {
    text: [...header, "", cutMiddle(body, maxChars)].join("\n"),
    sourceChars: body.length,
    ...(times.length > 0 ? { startedAt: times[0], endedAt: times[times.length - 1] } : {}),
  };
}

function linesOf(event: TranscriptEvent): string[] {
  if (event.isSidechain) return [];
  switch (event.kind) {
    case "prompt":
      return event.text.trim() ? [`USER: ${clip(event.text, limits.prompt)}`] : [];
    case "compact_summary":
      return event.text.trim() ? [`EARLIER IN THIS SESSION (compacted): ${clip(event.text, limits.compacted)}`] : [];
    case "assistant": {
      const lines = event.text.trim() ? [`ASSISTANT: ${clip(event.text, limits.assistant)}`] : [];
      for (const call of event.toolCalls) lines.push(`TOOL ${call.name}: ${clip(toolInputText(call.input), limits.toolInput)}`);
      return lines;
    }
    case "tool_results":
      return event.toolResults
        .filter((result) => result.text.trim() !== "" || result.isError)
        .map((result) => {
          const status = result.rejected
            ? "refused"
            : result.isError || (result.exitCode !== undefined && result.exitCode !== 0)
              ? `failed${result.exitCode !== undefined ? `, exit ${result.exitCode}` : ""}`
              : "ok";
          return `RESULT (${status}): ${clip(result.text, limits.toolResult)}`;
        });
    case "api_error":
      return [`ERROR: ${clip(event.text, limits.toolResult)}`];
    // What the harness and Claude Code add around the conversation tells a summary nothing.
    case "slash_command":
    case "command_output":
    case "interrupt":
    case "meta":
    case "compact_boundary":
    case "summary":
    case "away_summary":
    case "system":
    case "attachment":
    case "progress":
    case "bookkeeping":
    case "journal":
    case "unknown":
      return [];
  }
}

/** A tool call's input in its most telling form: the command, the file, or the JSON. */
function toolInputText(input: Record<string, unknown>): string {
  for (const key of ["command", "file_path", "path", "url", "pattern", "query"]) {
    const value = input[key];
    if (typeof value === "string" && value !== "") {
      const description = typeof input["description"] === "string" ? ` (${input["description"]})` : "";
      return `${value}${description}`;
    }
  }
  return JSON.stringify(input);
}

/** One line of at most `max` characters: whitespace runs folded, the rest marked as left out. */
function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max)} [...]`;
}

/** The text within `max` characters: a quarter from its start, the rest from its end. */
export function cutMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = `\n[... ${text.length - max} characters of the middle of the session left out ...]\n`;
  const room = Math.max(0, max - marker.length);
  const head = Math.floor(room / 4);
  return `${text.slice(0, head)}${marker}${text.slice(text.length - (room - head))}`;
}
