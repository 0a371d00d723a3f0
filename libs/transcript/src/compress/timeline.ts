// The session as an ordered list of steps: prompts, assistant prose and tool actions with their
// results attached. Every extractor reads this one view instead of raw events.
import type { ToolCall, ToolResult, TranscriptEvent } from "../transcript-event";
import { promptText } from "../user-text";
import { reportsFailure } from "./error-line";
import { isInspection } from "./shell-command";

export type Outcome = "ok" | "error" | "rejected" | "interrupted" | "unknown";

/** A tool call together with its result. */
export interface Action {
  call: ToolCall;
  result?: ToolResult;
  outcome: Outcome;
  event: TranscriptEvent;
  /** position in the timeline */
  step: number;
}

export type Step =
  | { kind: "prompt"; text: string; event: TranscriptEvent }
  | { kind: "say"; text: string; event: TranscriptEvent }
  | { kind: "action"; action: Action }
  | { kind: "compact_summary"; text: string; event: TranscriptEvent }
  | { kind: "api_error"; text: string; event: TranscriptEvent }
  | { kind: "interrupt"; event: TranscriptEvent }
  /** a slash command the user ran (/model, /compact, a skill) */
  | { kind: "command"; text: string; event: TranscriptEvent }
  | { kind: "recap"; text: string; event: TranscriptEvent };

export interface Timeline {
  steps: Step[];
  actions: Action[];
  /** the events the timeline was built from, for metadata */
  events: readonly TranscriptEvent[];
  /** true when the transcript is a subagent's own file: every conversational record is a sidechain */
  sidechainOnly: boolean;
}

function outcomeOf(call: ToolCall, result: ToolResult | undefined): Outcome {
  if (!result) return "unknown";
  if (result.rejected) return "rejected";
  if (result.interrupted && result.isError) return "interrupted";
  if (result.isError) return "error";
  // A command sent to the background has no outcome yet.
  if (/^Command running in background with ID/.test(result.text)) return "unknown";
  if (result.exitCode !== undefined && result.exitCode !== 0) return "error";
  // Some commands report failure with exit status 0 ("adbd cannot run as root", a job's "Exit 1").
  const command = call.name === "Bash" ? call.input["command"] : undefined;
  if (typeof command === "string" && !isInspection(command) && reportsFailure(result.text)) return "error";
  return "ok";
}

export function buildTimeline(events: readonly TranscriptEvent[]): Timeline {
  const results = new Map<string, ToolResult>();
  for (const event of events) for (const result of event.toolResults) if (result.toolUseId) results.set(result.toolUseId, result);

  const conversational = events.filter((event) => event.kind === "prompt" || event.kind === "assistant");
  const sidechainOnly = conversational.length > 0 && conversational.every((event) => event.isSidechain);

  const steps: Step[] = [];
  const actions: Action[] = [];
  for (const event of events) {
    switch (event.kind) {
      case "prompt": {
        const text = promptText(event.text);
        if (text && (sidechainOnly || !event.isSidechain)) steps.push({ kind: "prompt", text, event });
        break;
      }
      case "assistant":
        if (event.text) steps.push({ kind: "say", text: event.text, event });
        for (const call of event.toolCalls) {
          const result = results.get(call.id);
          const action: Action = { call, outcome: outcomeOf(call, result), event, step: steps.length };
          if (result) action.result = result;
          actions.push(action);
          steps.push({ kind: "action", action });
        }
        break;
      case "compact_summary":
        steps.push({ kind: "compact_summary", text: event.text, event });
        break;
      case "api_error":
        steps.push({ kind: "api_error", text: event.text, event });
        break;
      case "interrupt":
        if (!event.isSidechain) steps.push({ kind: "interrupt", event });
        break;
      case "slash_command":
        if (!event.isSidechain) steps.push({ kind: "command", text: event.text, event });
        break;
      case "away_summary":
        if (event.text) steps.push({ kind: "recap", text: event.text, event });
        break;
      // Results are attached to their calls; the rest is harness bookkeeping.
      case "tool_results":
      case "command_output":
      case "meta":
      case "compact_boundary":
      case "summary":
      case "system":
      case "attachment":
      case "progress":
      case "bookkeeping":
      case "journal":
      case "unknown":
        break;
    }
  }
  return { steps, actions, events, sidechainOnly };
}

/** The command of a Bash action, or undefined for other tools. */
export function bashCommand(action: Action): string | undefined {
  if (action.call.name !== "Bash") return undefined;
  const command = action.call.input["command"];
  return typeof command === "string" ? command : undefined;
}

/** The file a file tool acts on. */
export function filePathOf(action: Action): string | undefined {
  const input = action.call.input;
  const path = input["file_path"] ?? input["notebook_path"] ?? input["path"];
  return typeof path === "string" ? path : undefined;
}
