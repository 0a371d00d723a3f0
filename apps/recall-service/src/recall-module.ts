import type { Database } from "@msp/db";
import type { Handlers, ServiceRegistration } from "@msp/grpc-kit";
import { serviceOf } from "@msp/grpc-kit";
import type { Logger } from "@msp/logging";
import type { ResourceStore } from "@msp/resource-kit";
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
import { memoryHandlers } from "./memory-service";
import { recallModels } from "./models";
import { operationFailureResource } from "./operation-failure.resource";
import { projectStateResource } from "./project-state.resource";

/** The largest gRPC message the recall service takes: a whole transcript of a long session in one Ingest. */
export const recallMaxReceiveBytes = 32 * 1024 * 1024;

/**
 * The recall service: Claude's memory. Ingest turns transcripts into contexts, decisions,
 * snippets and project states; Recall (the recall engine) brings them back; the resources
 * expose each table, and operation failures teach the failure patterns.
 */
export const recallModule: ServiceModule = {
  name: "recall-service",
  models: recallModels,
  maxReceiveMessageBytes: recallMaxReceiveBytes,
  services(db: Database, logger: Logger): ServiceRegistration[] {
    const contexts = createResourceStore<ConversationContext>(db, conversationContextResource);
    /** The five standard handlers of a store, typed as the service `definition` expects them. */
    const standard = <D>(_definition: D, store: ResourceStore<unknown>, singular: string, plural: string) =>
      standardMethods(store, { singular, plural }) as unknown as Handlers<D & Parameters<typeof serviceOf>[0]>;
    const serve = <D extends Parameters<typeof serviceOf>[0]>(definition: D, handlers: Handlers<D>) =>
      serviceOf(definition, handlers, "recall-service", logger);
    const tags = createResourceStore<ContextTag>(db, contextTagResource);
    const tagHandlers: Handlers<typeof ContextTagServiceService> = {
      listContextTags: async (request) => {
        const page = await tags.list(request);
        return { contextTags: page.items, nextPageToken: page.nextPageToken };
      },
    };
    return [
      serve(MemoryServiceService, memoryHandlers({ db, logger, contexts })),
      serve(
        ConversationContextServiceService,
        standard(ConversationContextServiceService, contexts, "ConversationContext", "ConversationContexts"),
      ),
      serve(
        ContextSnippetServiceService,
        standard(ContextSnippetServiceService, createResourceStore(db, contextSnippetResource), "ContextSnippet", "ContextSnippets"),
      ),
      serve(ContextTagServiceService, tagHandlers),
      serve(
        ProjectStateServiceService,
        standard(ProjectStateServiceService, createResourceStore(db, projectStateResource), "ProjectState", "ProjectStates"),
      ),
      serve(
        DecisionLogServiceService,
        standard(DecisionLogServiceService, createResourceStore(db, decisionLogResource), "DecisionLog", "DecisionLogs"),
      ),
      serve(
        EnvironmentalInsightServiceService,
        standard(
          EnvironmentalInsightServiceService,
          createResourceStore(db, environmentalInsightResource),
          "EnvironmentalInsight",
          "EnvironmentalInsights",
        ),
      ),
      serve(
        FailurePatternServiceService,
        standard(FailurePatternServiceService, createResourceStore(db, failurePatternResource), "FailurePattern", "FailurePatterns"),
      ),
      serve(
        OperationFailureServiceService,
        standard(
          OperationFailureServiceService,
          createResourceStore(db, operationFailureResource),
          "OperationFailure",
          "OperationFailures",
        ),
      ),
    ];
  },
};
