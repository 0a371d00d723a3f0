import { redactText } from "@msp/redaction";
import type { CallContext } from "@msp/grpc-kit";
import type { AttachSessionSummaryRequest, AttachSessionSummaryResponse } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import type { MemoryDeps } from "../memory-service";
import { checkAttachRequest } from "./attach-request";
import { storeModelSummary } from "./summary-repository";

/**
 * AttachSessionSummary: check the request, redact the text (the CLI redacted what the model read,
 * but the memory store never trusts a caller for that), store it beside the context's
 * deterministic summary, and answer with the context.
 */
export async function attachSessionSummary(
  deps: MemoryDeps,
  request: AttachSessionSummaryRequest,
  ctx: CallContext,
): Promise<AttachSessionSummaryResponse> {
  const checked = checkAttachRequest(request);
  const redacted = redactText(checked.text);
  const command = { ...checked, text: redacted.text };
  const contextId = await storeModelSummary(deps.db, command, redacted.total, ctx);
  ctx.logger.debug(
    { claudeSessionId: command.claudeSessionId, model: command.model, chars: command.text.length, redactions: redacted.total },
    "model summary attached",
  );
  return { context: await deps.contexts.get(contextId), redactions: redacted.total };
}
