import type { Database } from "@msp/db";
import { unimplemented } from "@msp/errors";
import type { Handlers } from "@msp/grpc-kit";
import type { Logger } from "@msp/logging";
import type { ResourceStore } from "@msp/resource-kit";
import type { ConversationContext } from "@msp/proto/src/gen/ts/msp/recall/v1/conversation_context";
import type { MemoryServiceService } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { ingest } from "./ingest/ingest-handler";

/** What the memory service's handlers work with. */
export interface MemoryDeps {
  db: Database;
  logger: Logger;
  contexts: ResourceStore<ConversationContext>;
}

/** MemoryService: Ingest here; Recall, GetMemoryItem and MarkUseful from the recall engine. */
export function memoryHandlers(deps: MemoryDeps): Handlers<typeof MemoryServiceService> {
  return {
    ingest: (request, ctx) => ingest(deps, request, ctx),
    ...recallPlaceholder(),
  };
}

/**
 * PLACEHOLDER until the recall engine (./recall, recallMethods) is wired in: Recall,
 * GetMemoryItem and MarkUseful answer UNIMPLEMENTED.
 */
function recallPlaceholder(): Pick<Handlers<typeof MemoryServiceService>, "recall" | "getMemoryItem" | "markUseful"> {
  const notYet = (method: string) => () => Promise.reject(unimplemented(`${method} is not available yet`));
  return { recall: notYet("Recall"), getMemoryItem: notYet("GetMemoryItem"), markUseful: notYet("MarkUseful") };
}
