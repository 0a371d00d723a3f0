import type { DeliveryContext } from "../delivery/delivery-context";
import type { TranscriptSlice } from "../delivery/transcript-slice";
import { writeLog } from "../local/error-log";
import type { SpoolEvent } from "../spool/spool-event";
import { startBackgroundSummarizer } from "./background-summarizer";
import { queueSummaryJob } from "./summary-jobs";
import { summaryInput } from "./summary-input";

type TranscriptEvent = Extract<SpoolEvent, { kind: "transcript" }>;

/** A session shorter than this (in characters of conversation) is not worth a model's tokens: the compressor's summary is enough. */
export const minSummarizedChars = 1_000;

/**
 * After a SessionEnd's transcript reached the platform (its context exists, with the
 * deterministic summary): when the technician turned the summarizer on, queue the session for a
 * model summary and start the summarizer in the background. The slice is the redacted transcript
 * the upload sent, so the model reads nothing the platform did not get. Never fails the delivery:
 * a job that cannot be queued only means no model summary, and a log line says why.
 */
export function queueModelSummary(ctx: DeliveryContext, event: TranscriptEvent, slice: TranscriptSlice): boolean {
  if (!ctx.config.summarizer || event.data.trigger !== "session_end" || slice.offset === 0) return false;
  try {
    const input = summaryInput(slice.text);
    if (input.sourceChars < minSummarizedChars) {
      writeLog(ctx.paths.log, "info", "summarizer", `session ${event.claudeSessionId} too short for a model summary`);
      return false;
    }
    queueSummaryJob(ctx.paths.summarizer, {
      id: event.id,
      claudeSessionId: event.claudeSessionId,
      scope: event.data.scope,
      input: input.text,
      queuedAt: new Date().toISOString(),
    });
    startBackgroundSummarizer(ctx.paths.home);
    return true;
  } catch (error) {
    ctx.log(`model summary of ${event.claudeSessionId} not queued: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
