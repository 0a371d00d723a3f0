// What the compressor produces from one transcript: the structured memory of a session and the
// dense text stored as conversation_contexts.dense_summary.

export interface CompressOptions {
  /** applied to every text before it enters the output (default: identity); pass @msp/redaction's `redact` */
  redact?: (text: string) => string;
  /** upper bound for denseSummary in characters (default 12,000: the summary proper in the first 6,000, then its "More:" appendix) */
  maxSummaryChars?: number;
  /** upper bound for denseSummary in tokens (default: summaryTokenBudget(sourceTokens), 10% of the source for long sessions) */
  maxSummaryTokens?: number;
}

export interface CommandRun {
  command: string;
  count: number;
  /** outcome of the last run: true ok, false failed, undefined no result recorded */
  ok: boolean | undefined;
  note?: string;
}

export interface Problem {
  problem: string;
  cause?: string;
  fix?: string;
  verify?: string;
}

export interface Decision {
  decision: string;
  rationale?: string;
  subject: string;
}

export type SnippetCategory = "command" | "configuration" | "pattern" | "lesson_learned" | "tech_decision";

export interface Snippet {
  category: SnippetCategory;
  title: string;
  content: string;
}

export interface SessionState {
  phase?: string;
  done: string[];
  open: string[];
  nextActions: string[];
  blockers: string[];
}

export interface CompressedSession {
  /** short, from the user's first real goal */
  title: string;
  /** the user's words, shortened */
  goals: string[];
  /** commands that mattered, grouped and deduplicated, with their outcome */
  commands: CommandRun[];
  filesCreated: string[];
  filesChanged: string[];
  /** what each file created or changed is for, one line each: "created scripts/backup.sh: nightly pg_dump ..." */
  filePurposes: string[];
  hosts: string[];
  services: string[];
  problems: Problem[];
  decisions: Decision[];
  deadEnds: string[];
  state: SessionState;
  snippets: Snippet[];
  /** technologies, hosts, projects; lower-case */
  tags: string[];
  /** the formatted dense text stored as conversation_contexts.dense_summary */
  denseSummary: string;
  claudeSessionId?: string;
  cwd?: string;
  gitBranch?: string;
  startedAt?: string;
  endedAt?: string;
  /** o200k_base tokens of the transcript's text content (see sourceText) */
  sourceTokens: number;
  /** o200k_base tokens of denseSummary */
  summaryTokens: number;
}
