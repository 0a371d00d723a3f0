import { memoryExclusion, subjectOf } from "../local/memory-exclusion";
import { readCatalog } from "../local/project-catalog";
import type { SpoolEvent } from "../spool/spool-event";
import type { DeliveryContext } from "./delivery-context";
import { deliveringEvent } from "./delivery-context";
import { deliverCommand, deliverFileChange } from "./tool-delivery";
import { deliverSessionSummary } from "./summary-delivery";
import { deliverTranscript } from "./transcript-delivery";
import { ensureWorkSession } from "./work-session";

/** Delivers one spooled event to the platform; throws when it could not (see spool-flush for what happens then). */
export async function deliverEvent(ctx: DeliveryContext, event: SpoolEvent): Promise<void> {
  // Spooled before its folder was excluded from memory: it is dropped, not sent.
  if (
    ctx.config.memory?.exclude?.length &&
    memoryExclusion(ctx.config, subjectOf(event.data.scope, readCatalog(ctx.paths.cache))) !== undefined
  )
    return;
  switch (event.kind) {
    case "session-open":
      await ensureWorkSession(deliveringEvent(ctx, event.id), event.claudeSessionId, { scope: event.data.scope, startedAt: event.at });
      return;
    case "command":
      return deliverCommand(ctx, event);
    case "file-change":
      return deliverFileChange(ctx, event);
    case "transcript":
      return deliverTranscript(ctx, event);
    case "session-summary":
      return deliverSessionSummary(ctx, event);
  }
}
