/** Everything one ingest stores, worked out before the transaction opens (texts already redacted). */
export interface IngestPlan {
  context: ContextPlan;
  decisions: DecisionPlan[];
  snippets: SnippetPlan[];
  /** Undefined when the session said nothing about where the work stands. */
  projectState: ProjectStatePlan | undefined;
  /**
   * The vault could not be asked this time: the credential references stored from an earlier
   * save of the session stay (a vault that is down must not erase what memory points to).
   */
  keepStoredCredentialReferences?: boolean;
}

/** The conversation context's own columns (scope columns come from the request). */
export interface ContextPlan {
  title: string;
  denseSummary: string;
  contentHash: string;
  keyDecisions: string[];
  currentState: { phase: string; done: string[]; open: string[]; next_actions: string[]; blockers: string[] };
  tags: string[];
  importance: number;
  sourceTokens: number;
  summaryTokens: number;
  cwd: string | null;
  gitBranch: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
}

export type SnippetCategory = "tech_decision" | "configuration" | "pattern" | "lesson_learned" | "command" | "credential_reference";

export interface SnippetPlan {
  category: SnippetCategory;
  title: string;
  denseContent: string;
  structuredData: Record<string, unknown> | null;
  tags: string[];
  importance: number;
  contentHash: string;
}

export type DecisionType = "technical" | "architectural" | "process" | "security";

export interface DecisionPlan {
  decision: string;
  rationale: string | null;
  subject: string | null;
  subjectKey: string | null;
  decisionType: DecisionType;
  tags: string[];
}

export interface ProjectStatePlan {
  currentPhase: string | null;
  nextActions: string[];
  blockers: string[];
  /** One line for this session: its work date, what it was about, where it ended. */
  summary: string;
  /** A short session (a quick question) adds to where the work stands; it does not replace it. */
  short: boolean;
  keyFiles: string[];
  importantDecisions: string[];
}
