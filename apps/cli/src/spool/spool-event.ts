import type { MemoryScope } from "../platform/platform-types";

/** Where a Claude session's work belongs, resolved from its folder. */
export interface WorkScope {
  cwd: string;
  repoRoot?: string;
  /** Normalized git remote such as github.com/acme/app. */
  repository?: string;
  remoteUrl?: string;
  projectId?: string;
  clientId?: string;
  projectName?: string;
}

/** Opens (or finds) the work session of a Claude session. */
export interface SessionOpenData {
  scope: WorkScope;
  /** SessionStart's `source`: startup, resume, clear, compact. */
  source: string;
}

/** A Bash command Claude ran, already redacted. */
export interface CommandData {
  scope: WorkScope;
  commandText: string;
  exitCode?: number;
  success?: boolean;
  outputSummary?: string;
  errorMessage?: string;
  shellType: string;
}

/** A file Claude created or changed. */
export interface FileChangeData {
  scope: WorkScope;
  filePath: string;
  changeType: "FILE_CHANGE_TYPE_CREATED" | "FILE_CHANGE_TYPE_MODIFIED";
  sizeBytes?: number;
  description: string;
}

/** The transcript up to `endOffset`, to send to Ingest, and what it means for the work session. */
export interface TranscriptData {
  scope: WorkScope;
  transcriptPath: string;
  /** Bytes of the transcript this event covers (read to its end when the hook ran). */
  endOffset: number;
  trigger: "stop" | "session_end" | "pre_compact";
  /** SessionEnd's reason (clear, logout, prompt_input_exit, other). */
  reason?: string;
}

/** A model's summary of a session (the summarizer wrote it after SessionEnd), redacted, for recall's AttachSessionSummary. */
export interface SessionSummaryData {
  scope: WorkScope;
  text: string;
  /** The model that wrote it. */
  model: string;
  /** Tokens it cost, as Claude Code reported them. */
  tokens: number;
}

interface EventBase {
  /** The idempotency key: machine + Claude session + event (see eventKey). */
  id: string;
  /** When the hook saw it, ISO 8601. */
  at: string;
  claudeSessionId: string;
  /** A first attempt may have reached the server (no answer in time): check before creating again. */
  uncertain?: boolean;
  /**
   * Spooled unredacted by an earlier version of msp (its hooks skipped the redactor when the platform
   * was down). Hooks now always redact first; the sender redacts such an event in place and before sending.
   */
  unredacted?: boolean;
}

/** One line of the spool. */
export type SpoolEvent =
  | (EventBase & { kind: "session-open"; data: SessionOpenData })
  | (EventBase & { kind: "command"; data: CommandData })
  | (EventBase & { kind: "file-change"; data: FileChangeData })
  | (EventBase & { kind: "transcript"; data: TranscriptData })
  | (EventBase & { kind: "session-summary"; data: SessionSummaryData });

export type SpoolEventKind = SpoolEvent["kind"];

/**
 * An event with its texts redacted, for one an earlier version spooled unredacted (`unredacted`);
 * any other event is returned as it is (hooks redact before they spool).
 */
export function redactedSpoolEvent(event: SpoolEvent, redact: (text: string) => string): SpoolEvent {
  if (!event.unredacted) return event;
  const clean: SpoolEvent = { ...event };
  delete clean.unredacted;
  if (clean.kind === "command") {
    const data = clean.data;
    return {
      ...clean,
      data: {
        ...data,
        commandText: redact(data.commandText),
        ...(data.outputSummary !== undefined ? { outputSummary: redact(data.outputSummary) } : {}),
        ...(data.errorMessage !== undefined ? { errorMessage: redact(data.errorMessage) } : {}),
      },
    };
  }
  if (clean.kind === "file-change") return { ...clean, data: { ...clean.data, filePath: redact(clean.data.filePath) } };
  return clean;
}

/** The memory scope of a work scope, for Recall and Ingest. */
export function memoryScopeOf(scope: WorkScope, machine: { machineId: string; machineName: string }): MemoryScope {
  return {
    machineId: machine.machineId,
    machineName: machine.machineName,
    cwd: scope.cwd,
    ...(scope.projectId ? { projectId: scope.projectId } : {}),
    ...(scope.clientId ? { clientId: scope.clientId } : {}),
    ...(scope.repository ? { repository: scope.repository } : {}),
  };
}
