import { invalidArgument } from "@msp/errors";
import type { ResourceDefinition } from "@msp/resource-kit";
import { WorkItemSchema } from "@msp/proto/src/gen/es/msp/work/v1/work_item_pb";
import { WorkItemModel } from "./models";
import { detachFrom } from "./detach-rules";
import { releaseTags, workItemTagLinks } from "./tag-links";
import { lockSession, nextPosition } from "./work-detail-rules";
import { maxDescriptionLength, settleDescription } from "./work-item-description";
import { settleCategory, settleCompletion } from "./work-item-rules";

const partLimit = { problem: maxDescriptionLength, cause: maxDescriptionLength, fix: maxDescriptionLength, verify: maxDescriptionLength };

/**
 * Work items: the actions of a session, in order. Category guessed when not given, description
 * and its Problem / Cause / Fix / Verify parts kept in step, completion and minutes derived from
 * the status, billable like their session by default. Deleted with their session; their details
 * go with them.
 */
export const workItemResource: ResourceDefinition = {
  name: "work_item",
  model: WorkItemModel,
  schema: WorkItemSchema,
  fieldOverrides: { maxLength: partLimit },
  outputOnly: ["category_source", "tags"],
  required: ["session_id", "title"],
  // Its details are in the same session; moving the item alone would split them.
  immutable: ["session_id"],
  filterable: ["session_id", "category", "category_source", "status", "priority", "is_billable", "created_at", "completed_at", "tags"],
  orderable: ["position", "created_at", "updated_at"],
  async prepare(row, existing, { transaction, given, now }) {
    if (typeof row["title"] === "string") row["title"] = row["title"].trim();
    settleDescription(row, existing, given);
    settleCategory(row, existing, given);
    settleCompletion(row, existing, given, now);
    const sessionId = row["session_id"];
    const placing = row["position"] === null || row["position"] === undefined;
    if (typeof sessionId === "string" && (!existing || placing)) {
      const session = await lockSession(sessionId, transaction);
      if (!session) throw invalidArgument("work_item.session_id", `no session has id ${sessionId}`);
      if (!existing && typeof row["is_billable"] !== "boolean") row["is_billable"] = session.is_billable;
      if (placing) row["position"] = await nextPosition(WorkItemModel, sessionId, transaction);
    }
  },
  async beforeDelete(row, hook) {
    const { db, transaction } = hook;
    // work_item_tags rows and the details go with the item (ON DELETE CASCADE); tag counts follow.
    // Billable time and the integration log stay, with no work item.
    await releaseTags(db, workItemTagLinks, "?", row["id"] as string, transaction);
    await detachFrom(hook, "work_item_id", row["id"] as string, ["billable_time", "external_integrations"]);
  },
};
