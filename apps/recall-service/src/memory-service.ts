import type { Database } from "@msp/db";
import type { Handlers } from "@msp/grpc-kit";
import type { Logger } from "@msp/logging";
import type { ResourceStore } from "@msp/resource-kit";
import type { ConversationContext } from "@msp/proto/src/gen/ts/msp/recall/v1/conversation_context";
import type { MemoryServiceService } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { ingest } from "./ingest/ingest-handler";
import { attachSessionSummary } from "./model-summary/attach-handler";
import type { InfraHosts } from "./hosts/infra-hosts";
import type { WorkNames } from "./recall/scope-names";
import type { WorkRecords } from "./recall/work-records";
import type { VaultCredentials } from "./ingest/vault-credentials";
import type { WorkSessions } from "./ingest/work-sessions";
import type { RecallLedger, RecallSettings } from "./recall";
import { recallMethods } from "./recall";

/** What the memory service's handlers work with. */
export interface MemoryDeps {
  db: Database;
  logger: Logger;
  contexts: ResourceStore<ConversationContext>;
  settings: RecallSettings;
  ledger: RecallLedger;
  /** The work service's sessions, which Ingest's work_session_id must name. */
  workSessions: WorkSessions;
  /** The vault's credentials, which Ingest's credential_reference snippets point to (never their secrets). */
  vault: VaultCredentials;
  /** The infra service's hosts, whose facts recall adds when a prompt or folder names one (none: no host lines). */
  infra?: InfraHosts | undefined;
  /** The work service's names of clients and projects, for a recall's header (none: ids). */
  workNames?: WorkNames | undefined;
  /** The work service's work items and problem solutions, recalled with the memory (none: they are not). */
  workRecords?: WorkRecords | undefined;
}

/** MemoryService: Ingest and AttachSessionSummary here; Recall, GetMemoryItem and MarkUseful from the recall engine. */
export function memoryHandlers(deps: MemoryDeps): Handlers<typeof MemoryServiceService> {
  return {
    ingest: (request, ctx) => ingest(deps, request, ctx),
    attachSessionSummary: (request, ctx) => attachSessionSummary(deps, request, ctx),
    ...recallMethods({
      db: deps.db,
      logger: deps.logger,
      settings: deps.settings,
      ledger: deps.ledger,
      infra: deps.infra,
      workNames: deps.workNames,
      workRecords: deps.workRecords,
    }),
  };
}
