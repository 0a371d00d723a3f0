import type { SpoolEvent } from "../spool/spool-event";
import type { DeliveryContext } from "./delivery-context";
import { deliverCommand, deliverFileChange } from "./tool-delivery";
import { deliverTranscript } from "./transcript-delivery";
import { ensureWorkSession } from "./work-session";

/** Delivers one spooled event to the platform; throws when it could not (see spool-flush for what happens then). */
export async function deliverEvent(ctx: DeliveryContext, event: SpoolEvent): Promise<void> {
  switch (event.kind) {
    case "session-open":
      await ensureWorkSession(ctx, event.claudeSessionId, { scope: event.data.scope, startedAt: event.at });
      return;
    case "command":
      return deliverCommand(ctx, event);
    case "file-change":
      return deliverFileChange(ctx, event);
    case "transcript":
      return deliverTranscript(ctx, event);
  }
}
