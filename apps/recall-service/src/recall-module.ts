import type { Handlers } from "@msp/grpc-kit";
import { createResourceStore, standardMethods } from "@msp/resource-kit";
import type { ServiceModule } from "@msp/service-runtime";
import { ContextSnippetServiceService } from "@msp/proto/src/gen/ts/msp/recall/v1/context_snippet";
import type { ContextTag } from "@msp/proto/src/gen/ts/msp/recall/v1/context_tag";
import { ContextTagServiceService } from "@msp/proto/src/gen/ts/msp/recall/v1/context_tag";
import type { ConversationContext } from "@msp/proto/src/gen/ts/msp/recall/v1/conversation_context";
import { ConversationContextServiceService } from "@msp/proto/src/gen/ts/msp/recall/v1/conversation_context";
import { DecisionLogServiceService } from "@msp/proto/src/gen/ts/msp/recall/v1/decision_log";
import { EnvironmentalInsightServiceService } from "@msp/proto/src/gen/ts/msp/recall/v1/environmental_insight";
import { FailurePatternServiceService } from "@msp/proto/src/gen/ts/msp/recall/v1/failure_pattern";
import { MemoryServiceService } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { OperationFailureServiceService } from "@msp/proto/src/gen/ts/msp/recall/v1/operation_failure";
import { ProjectStateServiceService } from "@msp/proto/src/gen/ts/msp/recall/v1/project_state";
import { contextSnippetResource } from "./context-snippet.resource";
import { contextTagResource } from "./context-tag.resource";
import { conversationContextResource } from "./conversation-context.resource";
import { decisionLogResource } from "./decision-log.resource";
import { environmentalInsightResource } from "./environmental-insight.resource";
import { failurePatternResource } from "./failure-pattern.resource";
import { createInfraHosts } from "./hosts/infra-hosts";
import { createVaultCredentials } from "./ingest/vault-credentials";
import { createWorkNames } from "./recall/work-names";
import { createWorkRecords } from "./recall/work-records";
import { createWorkSessions } from "./ingest/work-sessions";
import { memoryHandlers } from "./memory-service";
import { recallModels } from "./models";
import { operationFailureResource } from "./operation-failure.resource";
import { projectStateResource } from "./project-state.resource";
import type { RecallSettings } from "./recall";
import { createRecallLedger, recallConfig } from "./recall";

/** The largest gRPC message the recall service takes: a whole transcript of a long session in one Ingest. */
export const recallMaxReceiveBytes = 32 * 1024 * 1024;

/**
 * The recall service: Claude's memory. Ingest turns transcripts into contexts, decisions,
 * snippets and project states; Recall (the recall engine) brings them back; the resources
 * expose each table, and operation failures teach the failure patterns.
 */
export const recallModule: ServiceModule<RecallSettings> = {
  name: "recall-service",
  models: recallModels,
  config: recallConfig,
  // Ingest checks the work session it is given with the work service, and asks the vault which
  // credentials (names and ids, never secrets) the secrets it redacted belong to; recall asks the
  // infra service for the facts of the client's hosts a prompt or folder names, and the work
  // service for the scope's work items and problem solutions.
  peerScopes: ["work:read", "vault:read", "infra:read"],
  maxReceiveMessageBytes: recallMaxReceiveBytes,
  setUp(host, { db, logger, config, peers }) {
    const contexts = createResourceStore<ConversationContext>(db, conversationContextResource);
    const tags = createResourceStore<ContextTag>(db, contextTagResource);
    const ledger = createRecallLedger(db, logger);
    // Recall counts gathered in the last second are written before the database closes.
    host.run({ name: "recall bookkeeping", start: () => undefined, stop: () => ledger.flush() });
    const tagHandlers: Handlers<typeof ContextTagServiceService> = {
      listContextTags: async (request) => {
        const page = await tags.list(request);
        return { contextTags: page.items, nextPageToken: page.nextPageToken };
      },
    };
    const workSessions = createWorkSessions(peers);
    const vault = createVaultCredentials(peers);
    const infra = config.hostBudgetMs > 0 ? createInfraHosts(peers, { budgetMs: config.hostBudgetMs }) : undefined;
    const workNames = createWorkNames(peers);
    // Work items and problem solutions recorded in the work service are recalled with the memory.
    const workRecords = createWorkRecords(peers);
    host.serve(
      MemoryServiceService,
      memoryHandlers({ db, logger, contexts, settings: config, ledger, workSessions, vault, infra, workNames, workRecords }),
    );
    host.serve(
      ConversationContextServiceService,
      standardMethods(ConversationContextServiceService, contexts, { singular: "ConversationContext", plural: "ConversationContexts" }),
    );
    host.serve(
      ContextSnippetServiceService,
      standardMethods(ContextSnippetServiceService, createResourceStore(db, contextSnippetResource), {
        singular: "ContextSnippet",
        plural: "ContextSnippets",
      }),
    );
    host.serve(ContextTagServiceService, tagHandlers);
    host.serve(
      ProjectStateServiceService,
      standardMethods(ProjectStateServiceService, createResourceStore(db, projectStateResource), {
        singular: "ProjectState",
        plural: "ProjectStates",
      }),
    );
    host.serve(
      DecisionLogServiceService,
      standardMethods(DecisionLogServiceService, createResourceStore(db, decisionLogResource), {
        singular: "DecisionLog",
        plural: "DecisionLogs",
      }),
    );
    host.serve(
      EnvironmentalInsightServiceService,
      standardMethods(EnvironmentalInsightServiceService, createResourceStore(db, environmentalInsightResource), {
        singular: "EnvironmentalInsight",
        plural: "EnvironmentalInsights",
      }),
    );
    host.serve(
      FailurePatternServiceService,
      standardMethods(FailurePatternServiceService, createResourceStore(db, failurePatternResource), {
        singular: "FailurePattern",
        plural: "FailurePatterns",
      }),
    );
    host.serve(
      OperationFailureServiceService,
      standardMethods(OperationFailureServiceService, createResourceStore(db, operationFailureResource), {
        singular: "OperationFailure",
        plural: "OperationFailures",
      }),
    );
  },
};
