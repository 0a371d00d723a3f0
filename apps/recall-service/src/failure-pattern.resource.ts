import type { ResourceDefinition } from "@msp/resource-kit";
import { FailurePatternSchema } from "@msp/proto/src/gen/es/msp/recall/v1/failure_pattern_pb";
import { invalidArgument } from "@msp/errors";
import { failureSignature } from "./learning/failure-signature";
import { guessPatternType } from "./learning/pattern-type";
import { trimColumns } from "./field-rules";
import { FailurePatternModel } from "./models";
import { failureScopeKey, textOrNull } from "./project-scope";

/**
 * Failure patterns: recurring failures and their fixes. The signature (normalized error text
 * and the first triggering command's shape) is unique per client and asset; operation failures
 * keep the patterns up to date, and people may write them by hand.
 */
export const failurePatternResource: ResourceDefinition = {
  name: "failure_pattern",
  model: FailurePatternModel,
  schema: FailurePatternSchema,
  fieldOverrides: { maxLength: { error_pattern: 65_535, triggering_commands: 4096, alternatives: 4096 } },
  outputOnly: ["signature", "recall_count", "useful_count"],
  required: ["error_pattern"],
  unique: [["client_id", "infrastructure_id", "signature"]],
  filterable: [
    "client_id",
    "infrastructure_id",
    "pattern_type",
    "signature",
    "severity",
    "is_active",
    "occurrence_count",
    "last_seen_at",
    "created_at",
  ],
  orderable: ["occurrence_count", "last_seen_at", "created_at", "updated_at"],
  prepare(row, existing) {
    trimColumns(row, ["error_pattern", "host"]);
    if (typeof row["host"] === "string") row["host"] = row["host"].toLowerCase();
    const error = textOrNull(row["error_pattern"]);
    if (error === null) return;
    const commands = (row["triggering_commands"] as string[] | null) ?? [];
    row["signature"] = failureSignature(error, commands[0] ?? null);
    row["scope_key"] = failureScopeKey(textOrNull(row["client_id"]), textOrNull(row["infrastructure_id"]));
    row["pattern_type"] ??= guessPatternType(null, error);
    const now = new Date();
    row["first_seen_at"] ??= existing?.["first_seen_at"] ?? now;
    row["last_seen_at"] ??= now;
    if ((row["last_seen_at"] as Date) < (row["first_seen_at"] as Date)) {
      throw invalidArgument("failure_pattern.last_seen_at", "must not be before first_seen_at");
    }
    if (typeof row["occurrence_count"] === "number" && row["occurrence_count"] < 1) {
      throw invalidArgument("failure_pattern.occurrence_count", "must be at least 1");
    }
  },
};
