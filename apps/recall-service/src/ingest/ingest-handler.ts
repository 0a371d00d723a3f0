import type { CallContext } from "@msp/grpc-kit";
import type { IngestRequest, IngestResponse, IngestStats } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import type { MemoryDeps } from "../memory-service";
import { credentialReferences, withReferences } from "./credential-references";
import { checkIngestRequest } from "./ingest-request";
import { findReceipt, storeIngest } from "./ingest-repository";
import { stagePart } from "./part-staging";
import { redactScope } from "./scope-redaction";
import { digestTranscript } from "./transcript-digest";

/**
 * Ingest: check the request; a spent idempotency key is a duplicate; a part of an upload is
 * staged until all arrived; the work session it names must exist (the work service says); then
 * the transcript is read (parse, compress, redact) outside any transaction, the vault is asked
 * which of the client's credentials the redacted secrets belong to (fail-soft), and all is
 * stored in one transaction.
 */
export async function ingest(deps: MemoryDeps, request: IngestRequest, ctx: CallContext): Promise<IngestResponse> {
  const checked = checkIngestRequest(request);
  const redactedScope = redactScope(checked.scope);
  const command = { ...checked, scope: redactedScope.scope };
  const parts = { partsReceived: 1, partsExpected: command.partCount };
  const receipt = await findReceipt(deps.db, command.idempotencyKey);
  if (receipt) return answer(deps, "duplicate", receipt.contextId, stats(parts));

  let transcript = command.transcript;
  if (command.partCount > 1) {
    const staged = await stagePart(deps.db, command);
    if (!staged.complete)
      return { status: "part_received", context: undefined, stats: stats({ ...parts, partsReceived: staged.received }) };
    transcript = staged.transcript;
    parts.partsReceived = command.partCount;
  }
  // Checked once the transcript is whole and about to be stored: never for a duplicate or a part.
  if (command.workSessionId !== null) await deps.workSessions.requireSession(ctx, command.workSessionId, "work_session_id");
  const digest = digestTranscript([transcript], command.claudeSessionId);
  const references = await credentialReferences(deps.vault, ctx, command.scope.clientId, digest.redactionContexts);
  const stored = await storeIngest(deps.db, command, withReferences(digest.plan, references), ctx);
  const figures = stats({
    ...parts,
    lines: digest.lines,
    records: digest.records,
    malformedLines: digest.malformedLines,
    sourceTokens: BigInt(digest.plan.context.sourceTokens),
    summaryTokens: BigInt(digest.plan.context.summaryTokens),
    redactions: digest.redactions + redactedScope.redactions,
    decisions: stored.decisions,
    problems: stored.status === "duplicate" ? 0 : digest.problems,
    snippets: stored.snippets,
  });
  ctx.logger.debug(
    {
      claudeSessionId: command.claudeSessionId,
      status: stored.status,
      lines: digest.lines,
      redactions: digest.redactions,
      credentialReferences: references.snippets.length,
    },
    "transcript ingested",
  );
  return answer(deps, stored.status, stored.contextId, figures);
}

async function answer(deps: MemoryDeps, status: string, contextId: string | null, figures: IngestStats): Promise<IngestResponse> {
  const context = contextId === null ? undefined : await deps.contexts.get(contextId).catch(() => undefined);
  return { status, context, stats: figures };
}

function stats(partial: Partial<IngestStats>): IngestStats {
  return {
    lines: 0,
    records: 0,
    malformedLines: 0,
    sourceTokens: 0n,
    summaryTokens: 0n,
    redactions: 0,
    decisions: 0,
    problems: 0,
    snippets: 0,
    partsReceived: 0,
    partsExpected: 0,
    ...partial,
  };
}
