// One raw transcript record (already JSON-parsed) to one TranscriptEvent. Tolerant by design:
// real transcripts have misspelled keys, string messages, raw strings inside content arrays
// and tool results without a structured twin, so every field is read defensively.
import { classifyUserText } from "./user-text";
import type { EventKind, TodoItem, ToolCall, ToolResult, TranscriptEvent } from "./transcript-event";

type Json = Record<string, unknown>;

const BOOKKEEPING_TYPES = new Set(["file-history-snapshot", "last-prompt", "mode", "permission-mode", "ai-title", "queue-operation"]);
const REJECTION_MARKERS = [
  "The user doesn't want to proceed with this tool use",
  "The user doesn't want to take this action right now",
  "Permission for this action was denied",
  "Permission to use ",
];

export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Normalizes a parsed record; `line` is its 1-based line number. */
export function normalizeRecord(record: Json, line: number): TranscriptEvent {
  const type = str(record["type"]) ?? "unknown";
  const message = isRecord(record["message"]) ? record["message"] : undefined;
  const event: TranscriptEvent = {
    line,
    type,
    kind: "unknown",
    role: type === "assistant" ? "assistant" : type === "user" ? "user" : "system",
    text: "",
    toolCalls: [],
    toolResults: [],
    isSidechain: record["isSidechain"] === true,
    isCompactSummary: record["isCompactSummary"] === true,
    isMeta: record["isMeta"] === true,
  };
  copyMetadata(record, message, event);

  switch (type) {
    case "user":
      readUser(record, message, event);
      break;
    case "assistant":
      readAssistant(record, message, event);
      break;
    case "system":
      readSystem(record, event);
      break;
    case "summary":
      event.kind = "summary";
      event.text = str(record["summary"]) ?? "";
      break;
    case "attachment":
      readAttachment(record, event);
      break;
    case "progress":
      {
        event.kind = "progress";
        const dataType = isRecord(record["data"]) ? str(record["data"]["type"]) : undefined;
        if (dataType) event.subtype = dataType;
      }
      break;
    case "started":
    case "result":
      event.kind = "journal";
      event.text = type === "result" ? compactJson(record["result"]) : "";
      break;
    default:
      event.kind = BOOKKEEPING_TYPES.has(type) ? "bookkeeping" : "unknown";
      if (type === "ai-title") event.text = str(record["aiTitle"]) ?? "";
  }
  return event;
}

function copyMetadata(record: Json, message: Json | undefined, event: TranscriptEvent): void {
  const fields: Array<[keyof TranscriptEvent, unknown]> = [
    ["uuid", record["uuid"]],
    ["parentUuid", record["parentUuid"] ?? record["logicalParentUuid"]],
    ["sessionId", record["sessionId"]],
    ["agentId", record["agentId"]],
    ["timestamp", record["timestamp"] ?? record["timesstamp"]],
    ["cwd", record["cwd"]],
    ["gitBranch", record["gitBranch"]],
    ["model", message?.["model"]],
  ];
  for (const [key, value] of fields) {
    if (typeof value === "string" && value !== "") (event as unknown as Json)[key] = value;
  }
}

/** The content of a message: an array of blocks, a plain string, or nothing (tolerating typos). */
function contentOf(message: Json | undefined): unknown[] {
  const content = message?.["content"];
  if (typeof content === "string") return [{ type: "text", text: content }];
  if (Array.isArray(content))
    return (content as unknown[]).map((block): unknown => (typeof block === "string" ? { type: "text", text: block } : block));
  return [];
}

function readUser(record: Json, message: Json | undefined, event: TranscriptEvent): void {
  const texts: string[] = [];
  for (const block of contentOf(message)) {
    if (!isRecord(block)) continue;
    if (block["type"] === "text") texts.push(str(block["text"]) ?? "");
    else if (block["type"] === "tool_result") event.toolResults.push(readToolResult(block));
    else if (block["type"] === "image") texts.push("[image]");
  }
  event.text = texts.join("\n").trim();
  if (event.toolResults.length > 0) enrichFromToolUseResult(record["toolUseResult"], event.toolResults);
  event.kind = userKind(event);
  const todos = todosFrom(isRecord(record["toolUseResult"]) ? record["toolUseResult"]["newTodos"] : undefined);
  if (todos) event.todos = todos;
}

function userKind(event: TranscriptEvent): EventKind {
  if (event.isCompactSummary) return "compact_summary";
  if (event.toolResults.length > 0) return "tool_results";
  if (event.isMeta) return "meta";
  return classifyUserText(event.text);
}

function readAssistant(record: Json, message: Json | undefined, event: TranscriptEvent): void {
  const texts: string[] = [];
  const thinking: string[] = [];
  for (const block of contentOf(message)) {
    if (!isRecord(block)) continue;
    if (block["type"] === "text") texts.push(str(block["text"]) ?? "");
    else if (block["type"] === "thinking") thinking.push(str(block["thinking"]) ?? "");
    else if (block["type"] === "tool_use") event.toolCalls.push(readToolCall(block));
  }
  event.text = texts.join("\n").trim();
  const thought = thinking.join("\n").trim();
  if (thought) event.thinking = thought;
  const synthetic = message?.["model"] === "<synthetic>";
  event.kind =
    record["isApiErrorMessage"] === true || (synthetic && /^(API Error|Request timed out)/.test(event.text)) ? "api_error" : "assistant";
  for (const call of event.toolCalls) {
    if (call.name === "TodoWrite") {
      const todos = todosFrom(call.input["todos"]);
      if (todos) event.todos = todos;
    }
  }
}

function readToolCall(block: Json): ToolCall {
  return {
    id: str(block["id"]) ?? "",
    name: str(block["name"]) ?? "unknown",
    input: isRecord(block["input"]) ? block["input"] : {},
  };
}

function readToolResult(block: Json): ToolResult {
  const content = block["content"];
  let text = "";
  if (typeof content === "string") text = content;
  else if (Array.isArray(content)) {
    text = content
      .map((part) =>
        typeof part === "string" ? part : isRecord(part) ? (str(part["text"]) ?? (part["type"] === "image" ? "[image]" : "")) : "",
      )
      .join("\n");
  }
  const result: ToolResult = { toolUseId: str(block["tool_use_id"]) ?? "", text, isError: block["is_error"] === true };
  const exit = /^Exit code (\d+)/.exec(text) ?? /<exit_code>(\d+)<\/exit_code>/.exec(text);
  if (exit?.[1] !== undefined) result.exitCode = Number(exit[1]);
  if (REJECTION_MARKERS.some((marker) => text.startsWith(marker)) || /auto mode cannot determine the safety/.test(text))
    result.rejected = true;
  if (text.includes("[Request interrupted by user")) result.interrupted = true;
  return result;
}

/** `toolUseResult` is the structured twin of the (usually single) tool_result of the record. */
function enrichFromToolUseResult(structured: unknown, results: ToolResult[]): void {
  const target = results.length === 1 ? results[0] : undefined;
  if (!target || !isRecord(structured)) return;
  if (typeof structured["exitCode"] === "number") target.exitCode = structured["exitCode"];
  if (structured["interrupted"] === true) target.interrupted = true;
  const kind = structured["type"];
  if ((kind === "create" || kind === "update") && typeof structured["filePath"] === "string") {
    target.fileOperation = kind;
    target.filePath = structured["filePath"];
  } else if (typeof structured["filePath"] === "string") {
    target.filePath = structured["filePath"];
  }
}

function readSystem(record: Json, event: TranscriptEvent): void {
  const subtype = str(record["subtype"]);
  if (subtype) event.subtype = subtype;
  const content = str(record["content"]) ?? "";
  switch (subtype ?? "") {
    case "compact_boundary":
      event.kind = "compact_boundary";
      event.text = content;
      return;
    case "api_error": {
      event.kind = "api_error";
      const error = isRecord(record["error"]) ? record["error"] : undefined;
      event.text = str(error?.["formatted"]) ?? str(error?.["message"]) ?? content;
      return;
    }
    case "local_command":
      event.kind =
        content.includes("<local-command-stdout>") || content.includes("<local-command-stderr>") ? "command_output" : "slash_command";
      event.text = content;
      return;
    case "away_summary":
      event.kind = "away_summary";
      event.text = content.replace(/\s*\(disable recaps in \/config\)\s*$/, "");
      return;
    default:
      event.kind = "system";
      event.text = content;
  }
}

function readAttachment(record: Json, event: TranscriptEvent): void {
  event.kind = "attachment";
  const attachment = isRecord(record["attachment"]) ? record["attachment"] : {};
  const subtype = str(attachment["type"]);
  if (subtype) event.subtype = subtype;
  const content = attachment["content"];
  if (subtype === "task_reminder") {
    const todos = todosFrom(content);
    if (todos) event.todos = todos;
    return;
  }
  if (typeof content === "string") event.text = content;
  else if (Array.isArray(content)) event.text = content.filter((part): part is string => typeof part === "string").join("\n");
}

/** Reads a TodoWrite list, a toolUseResult.newTodos list or a task_reminder list; skips broken items. */
export function todosFrom(value: unknown): TodoItem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const todos: TodoItem[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    const content = str(item["content"]) ?? str(item["subject"]);
    const status = item["status"];
    if (!content || (status !== "pending" && status !== "in_progress" && status !== "completed")) continue;
    todos.push({ content, status });
  }
  return todos;
}

function compactJson(value: unknown): string {
  if (value === undefined) return "";
  try {
    return typeof value === "string" ? value : JSON.stringify(value);
  } catch {
    return "";
  }
}
