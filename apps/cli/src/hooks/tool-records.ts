import type { CommandData, FileChangeData, WorkScope } from "../spool/spool-event";
import { printsSecret, withheldOutput } from "./secret-output";

/** Redacts secrets from text before it leaves the machine. */
export type Redact = (text: string) => string;

const maxCommandChars = 8_000;
const maxSummaryChars = 600;
/** Output up to this long is redacted whole before it is summarized (Claude Code cuts Bash output at 30,000). */
const maxRedactedOutputChars = 100_000;

/** The Bash (or PowerShell) call of a PostToolUse event as a commands_run record, redacted; undefined for other tools. */
export function commandRecordOf(
  toolName: string,
  toolInput: Record<string, unknown>,
  toolResponse: unknown,
  scope: WorkScope,
  redact: Redact,
): CommandData | undefined {
  const shellType = toolName === "Bash" ? "bash" : toolName === "PowerShell" ? "powershell" : undefined;
  const command = toolInput["command"];
  if (!shellType || typeof command !== "string" || command.trim() === "") return undefined;
  const outcome = commandOutcomeOf(toolResponse);
  const record: CommandData = { scope, shellType, commandText: clip(redact(command.trim()), maxCommandChars) };
  if (outcome.exitCode !== undefined) record.exitCode = outcome.exitCode;
  if (outcome.success !== undefined) record.success = outcome.success;
  // `msp cred reveal` prints a secret no redactor recognises: its output is never recorded.
  if (printsSecret(command)) {
    if (summarizeOutput(outcome.output) || outcome.error) record.outputSummary = withheldOutput;
    return record;
  }
  // Redacted whole, then summarized: a secret's context (a manifest's `kind: Secret`, a here-document's
  // start) may lie in the lines the summary leaves out. The summary is redacted again on its own
  // (a no-op for what is marked), which is all an output too long to redact within a hook gets.
  const whole = (text: string) => (text.length <= maxRedactedOutputChars ? redact(text) : text);
  const output = whole(outcome.output);
  const summary = summarizeOutput(output);
  // A summary that is the whole output (short, so redacted above) needs no second pass: redacting
  // twice changes nothing, and a pattern's second use is when V8 compiles it to machine code.
  if (summary) record.outputSummary = summary === output ? summary : redact(summary);
  if (outcome.success === false) {
    const error = summarizeOutput(outcome.error ? whole(outcome.error) : output);
    if (error) record.errorMessage = redact(error);
  }
  return record;
}

interface CommandOutcome {
  exitCode?: number;
  success?: boolean;
  output: string;
  error: string;
}

/**
 * Exit status and output from the tool response. Claude Code sends `{stdout, stderr, interrupted}`
 * (sometimes with `exitCode`), or for a failed command a string starting "Error: Exit code N".
 */
export function commandOutcomeOf(response: unknown): CommandOutcome {
  if (typeof response === "string") {
    const exit = /(?:^|\n)\s*(?:Error:\s*)?Exit code (-?\d+)/.exec(response);
    const exitCode = exit ? Number(exit[1]) : undefined;
    return {
      ...(exitCode !== undefined ? { exitCode, success: exitCode === 0 } : {}),
      output: response.replace(/^\s*(?:Error:\s*)?Exit code -?\d+\s*/, ""),
      error: exitCode !== undefined && exitCode !== 0 ? response : "",
    };
  }
  if (typeof response !== "object" || response === null) return { output: "", error: "" };
  const raw = response as Record<string, unknown>;
  const stdout = typeof raw["stdout"] === "string" ? raw["stdout"] : typeof raw["output"] === "string" ? raw["output"] : "";
  const stderr = typeof raw["stderr"] === "string" ? raw["stderr"] : "";
  const given = [raw["exitCode"], raw["exit_code"], raw["returnCode"], raw["code"]].find((v) => typeof v === "number");
  const fromText = /(?:^|\n)\s*(?:Error:\s*)?Exit code (-?\d+)/.exec(`${stdout}\n${stderr}`);
  const exitCode = typeof given === "number" ? given : fromText ? Number(fromText[1]) : undefined;
  const interrupted = raw["interrupted"] === true;
  const success = interrupted ? false : exitCode !== undefined ? exitCode === 0 : raw["is_error"] === true ? false : true;
  return { ...(exitCode !== undefined ? { exitCode } : {}), success, output: [stdout, stderr].filter(Boolean).join("\n"), error: stderr };
}

/** A short summary of command output: its first lines and its last lines, at most ~600 characters. */
export function summarizeOutput(output: string): string {
  const lines = output
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "");
  if (lines.length === 0) return "";
  const picked = lines.length <= 8 ? lines : [...lines.slice(0, 3), `... (${lines.length - 8} more lines)`, ...lines.slice(-5)];
  return clip(picked.map((line) => clip(line, 200)).join("\n"), maxSummaryChars);
}

/** An Edit, MultiEdit, Write or NotebookEdit call of a PostToolUse event as a file_changes record; undefined for other tools. */
export function fileChangeRecordOf(
  toolName: string,
  toolInput: Record<string, unknown>,
  toolResponse: unknown,
  scope: WorkScope,
  redact: Redact,
  sizeOf: (path: string) => number | undefined,
): FileChangeData | undefined {
  const path = toolInput["file_path"] ?? toolInput["notebook_path"];
  if (typeof path !== "string" || path === "") return undefined;
  const response = typeof toolResponse === "object" && toolResponse !== null ? (toolResponse as Record<string, unknown>) : {};
  let description: string;
  let created = false;
  switch (toolName) {
    case "Write": {
      const content = typeof toolInput["content"] === "string" ? toolInput["content"] : "";
      created = response["type"] === "create";
      description = `${created ? "Created" : "Rewrote"} with ${lineCount(content)} lines`;
      break;
    }
    case "Edit": {
      const oldLines = lineCount(typeof toolInput["old_string"] === "string" ? toolInput["old_string"] : "");
      const newLines = lineCount(typeof toolInput["new_string"] === "string" ? toolInput["new_string"] : "");
      description = `Edited: ${oldLines} line${oldLines === 1 ? "" : "s"} replaced by ${newLines}${toolInput["replace_all"] === true ? " (every occurrence)" : ""}`;
      break;
    }
    case "MultiEdit": {
      const edits = Array.isArray(toolInput["edits"]) ? toolInput["edits"].length : 0;
      description = `Edited in ${edits} place${edits === 1 ? "" : "s"}`;
      break;
    }
    case "NotebookEdit":
      description = `Notebook cell ${typeof toolInput["edit_mode"] === "string" ? toolInput["edit_mode"] : "edited"}`;
      break;
    default:
      return undefined;
  }
  const record: FileChangeData = {
    scope,
    filePath: clip(redact(path), 1024),
    changeType: created ? "FILE_CHANGE_TYPE_CREATED" : "FILE_CHANGE_TYPE_MODIFIED",
    description: `${description} by Claude Code`,
  };
  const size = sizeOf(path);
  if (size !== undefined) record.sizeBytes = size;
  return record;
}

function lineCount(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never cut a surrogate pair in half: the platform refuses half characters.
  let end = max - 1;
  if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}
