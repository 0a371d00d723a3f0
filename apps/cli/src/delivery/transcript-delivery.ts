import { createHash } from "node:crypto";
import type { CompressedSession } from "@msp/transcript";
import { compressTranscript, parseTranscript } from "@msp/transcript";
import { stripPrivateTranscript } from "@msp/redaction/src/private-text";
import { withholdSecretOutputs } from "../hooks/secret-output";
import { isRetryable } from "../platform/http-json";
import type { WorkSession } from "../platform/platform-types";
import type { SpoolEvent } from "../spool/spool-event";
import { memoryScopeOf } from "../spool/spool-event";
import type { ActiveTime } from "./active-time";
import { activeTimeOf } from "./active-time";
import { recordBillableTime } from "./billable-time";
import type { DeliveryContext } from "./delivery-context";
import { deliveringEvent } from "./delivery-context";
import { workItemDrafts } from "./session-summary";
import { deleteTranscriptBlob, loadTranscriptBlob, saveTranscriptBlob } from "./transcript-blob";
import { splitTranscriptParts } from "./transcript-parts";
import type { TranscriptSlice } from "./transcript-slice";
import { readTranscriptSlice } from "./transcript-slice";
import { upsertWorkItems } from "./work-items";
import { queueModelSummary } from "../summarizer/queue-summary";
import { ensureWorkSession } from "./work-session";

type TranscriptEvent = Extract<SpoolEvent, { kind: "transcript" }>;

/** The idempotency key of an upload: machine + Claude session + how much of the transcript it holds. */
export function ingestKeyOf(machineId: string, claudeSessionId: string, offset: number): string {
  return `msp1-${createHash("sha256").update(`${machineId}\n${claudeSessionId}\n${offset}`).digest("hex").slice(0, 48)}`;
}

/**
 * PreCompact, Stop and SessionEnd, delivered in the background: the work session's title,
 * summary and times, its work items and billable time, and on SessionEnd its status, from the
 * transcript compressed here; then the redacted transcript to recall's Ingest, in parts. Every
 * step is idempotent, so an event retried after the platform was down repeats nothing. After a
 * SessionEnd, the summarizer (when turned on) gets the same redacted transcript.
 */
export async function deliverTranscript(context: DeliveryContext, event: TranscriptEvent): Promise<void> {
  const ctx = deliveringEvent(context, event.id);
  const slice = loadSlice(ctx, event);
  try {
    const sessionId = await ensureWorkSession(ctx, event.claudeSessionId, { scope: event.data.scope, startedAt: event.at });
    await recordWork(ctx, event, sessionId, slice, event.data.trigger === "session_end");
    if (slice.offset > 0) await ingest(ctx, event, sessionId, slice);
  } catch (error) {
    // Kept redacted in the spool: the retry no longer needs Claude's transcript file.
    if (isRetryable(error)) saveTranscriptBlob(ctx.paths.spool, event.id, slice);
    throw error;
  }
  deleteTranscriptBlob(ctx.paths.spool, event.id);
  // Optional (msp setup --summarizer claude): the session's context now exists; a model summary may follow.
  queueModelSummary(ctx, event, slice);
}

/** The work service's side of a transcript event. */
async function recordWork(
  ctx: DeliveryContext,
  event: TranscriptEvent,
  sessionId: string,
  slice: TranscriptSlice,
  ended: boolean,
): Promise<void> {
  const parsed = parseTranscript(slice.text);
  const compressed = compressTranscript(parsed.events, { redact: ctx.redact });
  const active = activeTimeOf(parsed.events.map((record) => record.timestamp));
  const session = await ctx.platform.getWorkSession(sessionId, ctx.timeoutMs());
  const updated = await updateWorkSession(ctx, session, compressed, active, event);
  const mainItemId = slice.offset > 0 ? await upsertWorkItems(ctx, sessionId, workItemDrafts(compressed, ended), active) : undefined;
  // Billable time belongs to a client: a session without one (no project matched) has none. It is
  // kept up to date from the first Stop on, not only at SessionEnd: a session that never gets its
  // SessionEnd (closed idle by the work service) keeps the time worked, waiting for review.
  if (updated.clientId && (ended || slice.offset > 0)) {
    await recordBillableTime(ctx, updated, active, compressed.title || updated.title || "Claude Code session", mainItemId);
  }
}

/** The redacted transcript slice: kept in the spool after an earlier failed attempt, else read now. */
function loadSlice(ctx: DeliveryContext, event: TranscriptEvent): TranscriptSlice {
  const kept = loadTranscriptBlob(ctx.paths.spool, event.id);
  if (kept) return kept;
  const slice = readTranscriptSlice(event.data.transcriptPath, event.data.endOffset);
  // What `msp cred reveal` printed and what the technician marked <private> go nowhere, neither
  // to the platform nor to the spool.
  return { text: ctx.redact(withholdSecretOutputs(stripPrivateTranscript(slice.text))), offset: slice.offset };
}

async function ingest(ctx: DeliveryContext, event: TranscriptEvent, workSessionId: string, slice: TranscriptSlice): Promise<void> {
  const parts = splitTranscriptParts(slice.text);
  const idempotencyKey = ingestKeyOf(ctx.config.machineId, event.claudeSessionId, slice.offset);
  const scope = memoryScopeOf(event.data.scope, ctx.config);
  for (let index = 0; index < parts.length; index++) {
    const answer = await ctx.platform.ingest(
      {
        scope,
        claudeSessionId: event.claudeSessionId,
        workSessionId,
        idempotencyKey,
        transcript: parts[index]!,
        partIndex: index,
        partCount: parts.length,
        trigger: event.data.trigger,
      },
      ctx.timeoutMs(),
    );
    // An upload the server already completed answers "duplicate" to any part: nothing more to send.
    if (answer.status === "duplicate") break;
  }
}

/** Title, summary and times from the transcript; completed on SessionEnd. */
async function updateWorkSession(
  ctx: DeliveryContext,
  session: WorkSession,
  compressed: CompressedSession,
  active: ActiveTime,
  event: TranscriptEvent,
): Promise<WorkSession> {
  const fields: Partial<WorkSession> = {};
  const startedAt = earliest(session.startedAt, active.startedAt) ?? event.at;
  if (startedAt !== session.startedAt) fields.startedAt = startedAt;
  const lastActivity = active.endedAt ?? event.at;
  fields.endedAt = Date.parse(lastActivity) < Date.parse(startedAt) ? startedAt : lastActivity;
  if (compressed.title) fields.title = compressed.title.slice(0, 255);
  if (compressed.denseSummary) fields.summary = compressed.denseSummary.slice(0, 20_000);
  if (event.data.trigger === "session_end") fields.status = "SESSION_STATUS_COMPLETED";
  // A folder linked (or a project created) after the session opened: the session joins it now.
  const { scope } = event.data;
  if (!session.projectId && scope.projectId) {
    fields.projectId = scope.projectId;
    if (!session.clientId && scope.clientId) fields.clientId = scope.clientId;
  }
  return ctx.platform.updateWorkSession(session.id, fields, ctx.timeoutMs());
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}
