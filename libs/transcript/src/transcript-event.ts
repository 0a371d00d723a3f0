// The normalized form of one Claude Code transcript record. Every record shape seen in real
// transcripts (see RECORD-TYPES.md beside this file) maps onto this one type, so the
// compressor never looks at raw JSON.

/** What a record is, as far as compression cares. */
export type EventKind =
  /** text the user typed (not a tool result, slash command, caveat, interrupt or compact summary) */
  | "prompt"
  /** a slash command the user ran (`<command-name>` user text or a system/local_command record) */
  | "slash_command"
  /** output of a local slash command (`<local-command-stdout>`), or a local-command caveat */
  | "command_output"
  /** `[Request interrupted by user]` markers */
  | "interrupt"
  /** a user record that only carries tool_result blocks */
  | "tool_results"
  /** text injected by the harness as a user turn (isMeta: skill bodies, deprecation notices) */
  | "meta"
  /** the summary Claude Code writes after /compact or auto-compaction (isCompactSummary) */
  | "compact_summary"
  /** the system record that marks where a compaction happened */
  | "compact_boundary"
  /** an assistant turn (text, thinking, tool calls) */
  | "assistant"
  /** a synthetic assistant error stub (isApiErrorMessage) or a system/api_error record */
  | "api_error"
  /** a type=summary record: Claude Code's title for a conversation segment */
  | "summary"
  /** a system/away_summary record: Claude Code's recap after the user was away */
  | "away_summary"
  /** other system records (turn_duration, stop_hook_summary, informational, warnings) */
  | "system"
  /** hook output, skill listings, task reminders */
  | "attachment"
  /** live progress of a running tool or hook */
  | "progress"
  /** file-history-snapshot, last-prompt, mode, permission-mode, ai-title, queue-operation */
  | "bookkeeping"
  /** a workflow journal record (type started/result in subagents/workflows/.../journal.jsonl) */
  | "journal"
  /** an object with a type this parser does not know: kept, counted, never fatal */
  | "unknown";

/** A tool call made by the assistant (a `tool_use` block). */
export interface ToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

/** The outcome of a tool call (a `tool_result` block plus what `toolUseResult` adds). */
export interface ToolResult {
  toolUseId: string;
  text: string;
  isError: boolean;
  /** exit code when the transcript states one ("Exit code 2", `<exit_code>`, toolUseResult.exitCode) */
  exitCode?: number;
  interrupted?: boolean;
  /** the user refused the call in the permission prompt, or the auto-mode classifier denied it */
  rejected?: boolean;
  /** Write/Edit results: whether the file was created or updated */
  fileOperation?: "create" | "update";
  filePath?: string;
}

/** One entry of a TodoWrite list or a task_reminder attachment. */
export interface TodoItem {
  content: string;
  status: "pending" | "in_progress" | "completed";
}

export interface TranscriptEvent {
  /** 1-based line number in the JSONL text */
  line: number;
  /** the record's own `type` ("user", "assistant", "system", "summary", "progress", ...) */
  type: string;
  /** system subtype, attachment type or progress data type */
  subtype?: string;
  kind: EventKind;
  role: "user" | "assistant" | "system";
  /** the record's readable text: joined text blocks, summary text, system content */
  text: string;
  /** joined thinking blocks (often empty in newer transcripts: only a signature is stored) */
  thinking?: string;
  toolCalls: ToolCall[];
  toolResults: ToolResult[];
  /** TodoWrite lists and task reminders carried by this record */
  todos?: TodoItem[];
  uuid?: string;
  parentUuid?: string;
  sessionId?: string;
  agentId?: string;
  timestamp?: string;
  cwd?: string;
  gitBranch?: string;
  model?: string;
  isSidechain: boolean;
  isCompactSummary: boolean;
  isMeta: boolean;
}

/** Counts of what the parser saw; malformed lines are counted, never fatal. */
export interface ParseStats {
  /** non-blank lines */
  lines: number;
  /** lines that parsed into a record (an object with a string `type`) */
  records: number;
  /** lines that are not JSON, not an object, or an object without `type` */
  malformed: number;
  /** records per `type` (system records also as `system/<subtype>`) */
  byType: Record<string, number>;
  /** the last line was cut off mid-record (a transcript still being written) */
  tornLastLine: boolean;
}
