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

interface EventBase {
  /** The idempotency key: machine + Claude session + event (see eventKey). */
  id: string;
  /** When the hook saw it, ISO 8601. */
  at: string;
  claudeSessionId: string;
  /** A first attempt may have reached the server (no answer in time): check before creating again. */
  uncertain?: boolean;
  /** Spooled as Claude sent it (the platform was down, the hook skipped the redactor): the sender redacts it. */
  unredacted?: boolean;
}

/** One line of the spool. */
export type SpoolEvent =
  | (EventBase & { kind: "session-open"; data: SessionOpenData })
  | (EventBase & { kind: "command"; data: CommandData })
  | (EventBase & { kind: "file-change"; data: FileChangeData })
  | (EventBase & { kind: "transcript"; data: TranscriptData });

export type SpoolEventKind = SpoolEvent["kind"];

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
