// @msp/transcript: Claude Code transcripts parsed into normalized events and compressed, without
// a model, into the memory of a session (see RECORD-TYPES.md for the record shapes handled).
export type { EventKind, ParseStats, TodoItem, ToolCall, ToolResult, TranscriptEvent } from "./transcript-event";
export type { ParsedTranscript } from "./parse-transcript";
export { TranscriptParser, parseTranscript } from "./parse-transcript";
export type {
  CommandRun,
  CompressOptions,
  CompressedSession,
  Decision,
  Problem,
  SessionState,
  Snippet,
  SnippetCategory,
} from "./compressed-session";
export {
  DEFAULT_MAX_SUMMARY_CHARS,
  SHORT_SESSION_SUMMARY_TOKENS,
  SUMMARY_TOKEN_RATIO,
  compressTranscript,
  summaryTokenBudget,
} from "./compress-transcript";
export { TOKENIZER, countTokens } from "./count-tokens";
export { commandWorthKeeping, isInspection, isProgramRun } from "./compress/shell-command";
export { sourceText } from "./source-text";
export type { Fact, FactList, TranscriptEvaluation } from "./evaluation/recall-evaluation";
export {
  MAX_INGEST_MS,
  MIN_EVAL_SOURCE_TOKENS,
  TARGET_FACTS_KEPT,
  TARGET_REDUCTION,
  evaluateTranscript,
  factKept,
  listTranscripts,
  missedTargets,
  parseFactList,
} from "./evaluation/recall-evaluation";
