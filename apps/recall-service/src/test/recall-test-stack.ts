import type { ServiceError } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import { connect, startTestService } from "@msp/testing";
import type { TestService } from "@msp/testing";
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
export async function startRecallStack() {
  const service: TestService = await startTestService(recallModule);
  const clients = {
    memory: connect(MemoryServiceClient, service),
    contexts: connect(ConversationContextServiceClient, service),
    snippets: connect(ContextSnippetServiceClient, service),
    tags: connect(ContextTagServiceClient, service),
    projectStates: connect(ProjectStateServiceClient, service),
    decisions: connect(DecisionLogServiceClient, service),
    insights: connect(EnvironmentalInsightServiceClient, service),
    failurePatterns: connect(FailurePatternServiceClient, service),
    operationFailures: connect(OperationFailureServiceClient, service),
  };
  return {
    ...clients,
    service,
    async stop() {
      for (const client of Object.values(clients)) client.close();
      await service.stop();
    },
  };
}

export type RecallStack = Awaited<ReturnType<typeof startRecallStack>>;

/** A List request's paging fields, one large page. */
export const page = { pageSize: 500, pageToken: "", orderBy: "" };

/** Expects a call to fail with a gRPC status, and the message to mention `mentions`. */
export async function expectStatus(promise: Promise<unknown>, code: status, mentions?: string | RegExp): Promise<ServiceError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${status[code]}, but the call succeeded`);
    },
    (e: unknown) => e as ServiceError,
  );
  if (error.code !== code) throw new Error(`expected ${status[code]}, got ${status[error.code] ?? error.code}: ${error.details}`);
  if (mentions !== undefined) expect(error.details).toMatch(mentions);
  return error;
}
