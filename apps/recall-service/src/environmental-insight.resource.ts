import type { ResourceDefinition } from "@msp/resource-kit";
import { EnvironmentalInsightSchema } from "@msp/proto/src/gen/es/msp/recall/v1/environmental_insight_pb";
import { invalidArgument } from "@msp/errors";
import { checkRange, trimColumns } from "./field-rules";
import { EnvironmentalInsightModel } from "./models";

/** Environmental insights: facts about a client's environment, with a confidence from 0 to 1. */
export const environmentalInsightResource: ResourceDefinition = {
  name: "environmental_insight",
  model: EnvironmentalInsightModel,
  schema: EnvironmentalInsightSchema,
  fieldOverrides: { decimals: { confidence: 2 }, maxLength: { title: 512, examples: 2048 } },
  outputOnly: ["recall_count", "useful_count"],
  required: ["client_id", "category", "title"],
  filterable: ["client_id", "infrastructure_id", "host", "category", "priority", "pinned", "created_at"],
  orderable: ["priority", "verification_count", "created_at", "updated_at", "last_verified_at"],
  prepare(row) {
    trimColumns(row, ["title", "host"]);
    if (typeof row["host"] === "string") row["host"] = row["host"].toLowerCase();
    checkRange(row, "environmental_insight", "priority", 0, 10);
    const confidence = row["confidence"];
    if (typeof confidence === "string" && (Number(confidence) < 0 || Number(confidence) > 1)) {
      throw invalidArgument("environmental_insight.confidence", 'must be between "0.00" and "1.00"');
    }
  },
};
