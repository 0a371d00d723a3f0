import { startServiceStack } from "@msp/testing";
import { ContextSnippetServiceClient } from "@msp/proto/src/gen/ts/msp/recall/v1/context_snippet";
import { ContextTagServiceClient } from "@msp/proto/src/gen/ts/msp/recall/v1/context_tag";
import { ConversationContextServiceClient } from "@msp/proto/src/gen/ts/msp/recall/v1/conversation_context";
import { DecisionLogServiceClient } from "@msp/proto/src/gen/ts/msp/recall/v1/decision_log";
import { EnvironmentalInsightServiceClient } from "@msp/proto/src/gen/ts/msp/recall/v1/environmental_insight";
import { FailurePatternServiceClient } from "@msp/proto/src/gen/ts/msp/recall/v1/failure_pattern";
import { MemoryServiceClient } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { OperationFailureServiceClient } from "@msp/proto/src/gen/ts/msp/recall/v1/operation_failure";
import { ProjectStateServiceClient } from "@msp/proto/src/gen/ts/msp/recall/v1/project_state";
import { recallModule } from "../recall-module";

/** A running recall service on its own database, with a client for each of its services. */
export function startRecallStack() {
  return startServiceStack(recallModule, {
    memory: MemoryServiceClient,
    contexts: ConversationContextServiceClient,
    snippets: ContextSnippetServiceClient,
    tags: ContextTagServiceClient,
    projectStates: ProjectStateServiceClient,
    decisions: DecisionLogServiceClient,
    insights: EnvironmentalInsightServiceClient,
    failurePatterns: FailurePatternServiceClient,
    operationFailures: OperationFailureServiceClient,
  });
}

export type RecallStack = Awaited<ReturnType<typeof startRecallStack>>;

/** A List request's paging fields, one large page. */
export const page = { pageSize: 500, pageToken: "", orderBy: "" };
