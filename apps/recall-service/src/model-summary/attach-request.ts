import type { FieldViolation } from "@msp/errors";
import { invalidArguments } from "@msp/errors";
import type { AttachSessionSummaryRequest } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { checkClaudeSessionId } from "../ingest/ingest-request";

/** Longest model summary: the CLI asks for a few thousand characters; this leaves room, not a transcript. */
export const maxModelSummaryChars = 20_000;
/** Longest model name, as the column holds it. */
export const maxModelNameChars = 128;

/** An AttachSessionSummary request, checked. */
export interface AttachCommand {
  claudeSessionId: string;
  text: string;
  model: string;
  /** Tokens the summary cost; null when the caller did not know. */
  tokens: number | null;
}

/** Checks an AttachSessionSummary request, naming every field that breaks a rule in one INVALID_ARGUMENT. */
export function checkAttachRequest(request: AttachSessionSummaryRequest): AttachCommand {
  const violations: FieldViolation[] = [];
  const refuse = (field: string, description: string) => violations.push({ field, description });

  const claudeSessionId = checkClaudeSessionId(request.claudeSessionId, refuse);

  const text = request.text.trim();
  if (text === "") refuse("text", "is required");
  else if (text.length > maxModelSummaryChars) refuse("text", `must be at most ${maxModelSummaryChars} characters (got ${text.length})`);

  const model = request.model.trim();
  if (model === "") refuse("model", "is required");
  else if (model.length > maxModelNameChars) refuse("model", `must be at most ${maxModelNameChars} characters`);
  else if (!/^[\w.:@/-]+$/.test(model)) refuse("model", "may hold only letters, digits, '.', '_', ':', '@', '/' and '-'");

  if (request.tokens < 0n) refuse("tokens", "must not be negative (0: unknown)");
  else if (request.tokens > BigInt(Number.MAX_SAFE_INTEGER)) refuse("tokens", "is too large");

  if (violations.length > 0) throw invalidArguments(violations);
  return { claudeSessionId, text, model, tokens: request.tokens > 0n ? Number(request.tokens) : null };
}
