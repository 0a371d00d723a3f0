import type { SpoolEvent } from "../spool/spool-event";
import type { DeliveryContext } from "./delivery-context";
import { deliveringEvent } from "./delivery-context";

type SummaryEvent = Extract<SpoolEvent, { kind: "session-summary" }>;

/**
 * A model's summary of a session, to recall's AttachSessionSummary: stored beside the context's
 * deterministic summary (the platform redacts it again). Attaching again replaces it, so a
 * retried event changes nothing.
 */
export async function deliverSessionSummary(ctx: DeliveryContext, event: SummaryEvent): Promise<void> {
  await deliveringEvent(ctx, event.id).platform.attachSessionSummary(
    {
      claudeSessionId: event.claudeSessionId,
      text: event.data.text,
      model: event.data.model,
      tokens: String(Math.max(0, Math.round(event.data.tokens))),
    },
    ctx.timeoutMs(),
  );
}
