import type { ResourceDefinition } from "@msp/resource-kit";
import { TagSchema } from "@msp/proto/src/gen/es/msp/work/v1/tag_pb";
import { TagModel } from "./models";
import { normalizeTagName } from "./tag-rules";

/** Tags: unique lower-case names; usage_count follows AddSessionTag / RemoveSessionTag. */
export const tagResource: ResourceDefinition = {
  name: "tag",
  model: TagModel,
  schema: TagSchema,
  fieldOverrides: { maxLength: { name: 64 } },
  outputOnly: ["usage_count"],
  required: ["name"],
  unique: [["name"]],
  filterable: ["name", "category", "usage_count", "created_at"],
  orderable: ["name", "usage_count", "created_at", "updated_at"],
  prepare(row) {
    if (typeof row["name"] === "string") row["name"] = normalizeTagName("tag.name", row["name"]);
  },
};
