import { AuditOutboxModel } from "@msp/resource-kit";
import { ContextSnippetModel } from "./context-snippet.model";
import { ContextTagModel } from "./context-tag.model";
import { ConversationContextModel } from "./conversation-context.model";
import { DecisionLogModel } from "./decision-log.model";
import { EnvironmentalInsightModel } from "./environmental-insight.model";
import { FailurePatternModel } from "./failure-pattern.model";
import { IngestPartModel, IngestReceiptModel } from "./ingest.model";
import { OperationFailureModel } from "./operation-failure.model";
import { ProjectStateModel } from "./project-state.model";

export {
  ContextSnippetModel,
  ContextTagModel,
  ConversationContextModel,
  DecisionLogModel,
  EnvironmentalInsightModel,
  FailurePatternModel,
  IngestPartModel,
  IngestReceiptModel,
  OperationFailureModel,
  ProjectStateModel,
};

/** Every model the recall service registers with its database. */
export const recallModels = [
  ConversationContextModel,
  ContextSnippetModel,
  ContextTagModel,
  ProjectStateModel,
  DecisionLogModel,
  EnvironmentalInsightModel,
  FailurePatternModel,
  OperationFailureModel,
  IngestPartModel,
  IngestReceiptModel,
  AuditOutboxModel,
];
