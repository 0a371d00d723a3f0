import type { ResourceDefinition } from "@msp/resource-kit";
import { TagSchema } from "@msp/proto/src/gen/es/msp/work/v1/tag_pb";
import { TagModel } from "./models";
import { detachTag, sessionTagLinks, workItemTagLinks } from "./tag-links";
import { normalizeTagName } from "./tag-rules";

/** Tags: unique lower-case names that never change; usage_count follows the Add/Remove tag methods of sessions and work items. */
export const tagResource: ResourceDefinition = {
  name: "tag",
  model: TagModel,
  schema: TagSchema,
  fieldOverrides: { maxLength: { name: 64 } },
  outputOnly: ["usage_count"],
  required: ["name"],
  // Sessions list their tags by name, so a name is for life; create a new tag instead.
  immutable: ["name"],
  unique: [["name"]],
  filterable: ["name", "category", "usage_count", "created_at"],
  orderable: ["name", "usage_count", "created_at", "updated_at"],
  prepare(row) {
    if (typeof row["name"] === "string") row["name"] = normalizeTagName("tag.name", row["name"]);
  },
  async beforeDelete(row, { db, transaction }) {
    const tagId = row["id"] as string;
    await detachTag(db, sessionTagLinks, tagId, transaction);
    await detachTag(db, workItemTagLinks, tagId, transaction);
  },
};
