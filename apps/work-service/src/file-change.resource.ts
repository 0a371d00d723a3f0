import { invalidArgument } from "@msp/errors";
import type { ResourceDefinition } from "@msp/resource-kit";
import { FileChangeSchema } from "@msp/proto/src/gen/es/msp/work/v1/file_change_pb";
import { FileChangeModel } from "./models";
import { settleDetailOwners } from "./work-detail-rules";

/** File changes: under a session and optionally one of its work items; renames say where from, backups where to. */
export const fileChangeResource: ResourceDefinition = {
  name: "file_change",
  model: FileChangeModel,
  schema: FileChangeSchema,
  fieldOverrides: { maxLength: { file_path: 1024, previous_path: 1024, backup_path: 1024 } },
  required: ["session_id", "file_path", "change_type"],
  filterable: ["session_id", "work_item_id", "file_path", "change_type", "created_at"],
  orderable: ["file_path", "created_at", "updated_at"],
  async prepare(row, existing, { transaction }) {
    await settleDetailOwners("file_change", row, existing, transaction);
    const changeType = row["change_type"];
    if (typeof changeType !== "string") return;
    if (changeType !== "renamed" && typeof row["previous_path"] === "string") {
      throw invalidArgument("file_change.previous_path", "is only for renamed files (change_type renamed)");
    }
    if (changeType === "backed_up" && typeof row["backup_path"] !== "string") {
      throw invalidArgument("file_change.backup_path", "is required for a backed-up file (change_type backed_up)");
    }
  },
};
