import { isUuid } from "@msp/db";
import type { FieldViolation } from "@msp/errors";
import { invalidArguments } from "@msp/errors";
import type { IngestRequest } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { normalizeRepository } from "../repository-name";

/** Longest idempotency key. */
export const maxIdempotencyKeyChars = 200;
/** Longest Claude session id. */
export const maxClaudeSessionIdChars = 128;
/** Most parts one upload may have (32 MiB in parts of 512 KiB is 64). */
export const maxParts = 256;
/** Largest part of a multi-part upload, in characters. */
export const maxPartChars = 4 * 1024 * 1024;
/** Largest transcript, single or assembled, in characters. */
export const maxTranscriptChars = 30 * 1024 * 1024;

export const ingestTriggers = ["stop", "session_end", "pre_compact", "manual"] as const;
export type IngestTrigger = (typeof ingestTriggers)[number];

/** Where a session ran, checked: ids are UUIDs or null, texts trimmed or null. */
export interface IngestScope {
  machineId: string | null;
  machineName: string | null;
  projectId: string | null;
  clientId: string | null;
  cwd: string | null;
  repository: string | null;
  host: string | null;
}

/** An ingest request, checked. */
export interface IngestCommand {
  scope: IngestScope;
  claudeSessionId: string;
  workSessionId: string | null;
  idempotencyKey: string;
  transcript: string;
  /** The part's position; 0 for a single part. */
  partIndex: number;
  /** 1 for a single part. */
  partCount: number;
  trigger: IngestTrigger;
}

/** A Claude Code session id, trimmed; a broken one is refused as claude_session_id. */
export function checkClaudeSessionId(value: string, refuse: (field: string, description: string) => void): string {
  const id = value.trim();
  if (id === "") refuse("claude_session_id", "is required");
  else if (id.length > maxClaudeSessionIdChars) refuse("claude_session_id", `must be at most ${maxClaudeSessionIdChars} characters`);
  else if (!/^[\w.:-]+$/.test(id)) refuse("claude_session_id", "may hold only letters, digits, '.', ':', '_' and '-'");
  return id;
}

/** Checks an ingest request, naming every field that breaks a rule in one INVALID_ARGUMENT. */
export function checkIngestRequest(request: IngestRequest): IngestCommand {
  const violations: FieldViolation[] = [];
  const refuse = (field: string, description: string) => violations.push({ field, description });

  const claudeSessionId = checkClaudeSessionId(request.claudeSessionId, refuse);

  const idempotencyKey = request.idempotencyKey.trim();
  if (idempotencyKey === "") refuse("idempotency_key", "is required");
  else if (idempotencyKey.length > maxIdempotencyKeyChars)
    refuse("idempotency_key", `must be at most ${maxIdempotencyKeyChars} characters`);
  else if (/\p{Cc}/u.test(idempotencyKey)) refuse("idempotency_key", "must not contain control characters");

  const workSessionId = request.workSessionId.trim();
  if (workSessionId !== "" && !isUuid(workSessionId)) refuse("work_session_id", "must be a UUID");

  const partCount = Math.max(request.partCount, 1);
  if (request.partCount < 0) refuse("part_count", "must not be negative");
  else if (partCount > maxParts) refuse("part_count", `must be at most ${maxParts}`);
  if (request.partIndex < 0 || request.partIndex >= partCount) {
    refuse("part_index", partCount === 1 ? "must be 0 for a single part" : `must be between 0 and ${partCount - 1}`);
  }

  const size = request.transcript.length;
  if (size === 0) refuse("transcript", "is required");
  else if (partCount > 1 && size > maxPartChars)
    refuse("transcript", `a part must be at most ${maxPartChars} characters (got ${size}); send more parts`);
  else if (size > maxTranscriptChars)
    refuse("transcript", `must be at most ${maxTranscriptChars} characters (got ${size}); send it in parts`);

  const trigger = request.trigger.trim() === "" ? "manual" : request.trigger.trim();
  if (!(ingestTriggers as readonly string[]).includes(trigger)) refuse("trigger", `must be one of ${ingestTriggers.join(", ")}`);

  const scope = checkScope(request.scope, refuse);
  if (violations.length > 0) throw invalidArguments(violations);
  return {
    scope,
    claudeSessionId,
    workSessionId: workSessionId === "" ? null : workSessionId.toLowerCase(),
    idempotencyKey,
    transcript: request.transcript,
    partIndex: request.partIndex,
    partCount,
    trigger: trigger as IngestTrigger,
  };
}

function checkScope(scope: IngestRequest["scope"], refuse: (field: string, description: string) => void): IngestScope {
  const id = (field: "machineId" | "projectId" | "clientId", name: string): string | null => {
    const value = scope?.[field].trim() ?? "";
    if (value === "") return null;
    if (!isUuid(value)) {
      refuse(`scope.${name}`, "must be a UUID");
      return null;
    }
    return value.toLowerCase();
  };
  const text = (value: string | undefined, name: string, max: number): string | null => {
    const trimmed = value?.trim() ?? "";
    if (trimmed.length > max) refuse(`scope.${name}`, `must be at most ${max} characters`);
    return trimmed === "" ? null : trimmed.slice(0, max);
  };
  const repository = text(scope?.repository, "repository", 512);
  return {
    machineId: id("machineId", "machine_id"),
    machineName: text(scope?.machineName, "machine_name", 255),
    projectId: id("projectId", "project_id"),
    clientId: id("clientId", "client_id"),
    cwd: text(scope?.cwd, "cwd", 1024),
    repository: repository === null ? null : normalizeRepository(repository) || null,
    host: text(scope?.host, "host", 255)?.toLowerCase() ?? null,
  };
}
