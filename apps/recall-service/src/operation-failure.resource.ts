import type { ResourceDefinition } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import { OperationFailureSchema } from "@msp/proto/src/gen/es/msp/recall/v1/operation_failure_pb";
import { learnFix, learnFromFailure } from "./learning/failure-pattern-store";
import { failureSignature } from "./learning/failure-signature";
import { trimColumns } from "./field-rules";
import { OperationFailureModel } from "./models";
import { textOrNull } from "./project-scope";

/**
 * Operation failures: each one created counts towards the failure pattern of its signature
 * (normalized error text and command shape) in its client and asset; a resolution, given at
 * once or later, becomes the pattern's fix. What was counted cannot change afterwards.
 */
export const operationFailureResource: ResourceDefinition = {
  name: "operation_failure",
  model: OperationFailureModel,
  schema: OperationFailureSchema,
  fieldOverrides: { maxLength: { command: 65_535, error_message: 65_535, resolution: 65_535, error_code: 64, failure_category: 64 } },
  outputOnly: ["signature", "failure_pattern_id"],
  required: ["operation_type", "error_message"],
  immutable: ["client_id", "infrastructure_id", "command", "error_message"],
  filterable: [
    "session_id",
    "work_item_id",
    "client_id",
    "infrastructure_id",
    "operation_type",
    "failure_category",
    "failure_pattern_id",
    "resolved",
    "created_at",
  ],
  orderable: ["created_at", "updated_at"],
  prepare(row, _existing, { now }) {
    trimColumns(row, ["error_message", "command", "resolution", "failure_category", "target_system"]);
    if (typeof row["failure_category"] === "string") row["failure_category"] = row["failure_category"].toLowerCase();
    const error = textOrNull(row["error_message"]);
    if (error !== null) row["signature"] = failureSignature(error, textOrNull(row["command"]));
    if (row["resolved"] === true) row["resolved_at"] ??= now;
    else row["resolved_at"] = null;
  },
  async afterWrite(row, existing, { transaction, ctx }) {
    const resolution = textOrNull(row["resolution"]);
    if (existing === undefined) {
      const learned = await learnFromFailure(
        {
          clientId: textOrNull(row["client_id"]),
          infrastructureId: textOrNull(row["infrastructure_id"]),
          host: textOrNull(row["target_system"]),
          errorText: String(row["error_message"]),
          command: textOrNull(row["command"]),
          failureCategory: textOrNull(row["failure_category"]),
          resolution,
          description: textOrNull(row["description"]),
          at: row["created_at"] as Date,
        },
        transaction,
      );
      await OperationFailureModel.update({ failure_pattern_id: learned.patternId }, { where: { id: row["id"] }, transaction });
      await writeAuditEvent(transaction, ctx, {
        resourceType: "failure_pattern",
        resourceId: learned.patternId,
        action: learned.created ? "create" : "update",
        summary: {
          occurrence_count: learned.occurrenceCount,
          recommended_solution: learned.recommendedSolution,
          operation_failure_id: row["id"],
        },
      });
      return;
    }
    const patternId = textOrNull(row["failure_pattern_id"]);
    if (resolution !== null && resolution !== existing["resolution"] && patternId !== null) {
      const learned = await learnFix(patternId, resolution, transaction);
      if (learned) {
        await writeAuditEvent(transaction, ctx, {
          resourceType: "failure_pattern",
          resourceId: patternId,
          action: "update",
          summary: { recommended_solution: learned.recommendedSolution, alternatives: learned.alternatives },
        });
      }
    }
  },
};
