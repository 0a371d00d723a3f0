import type { ResourceDefinition } from "@msp/resource-kit";
import { DatabaseChangeSchema } from "@msp/proto/src/gen/es/msp/work/v1/database_change_pb";
import { DatabaseChangeModel } from "./models";
import { flagFollows, settleDetailOwners } from "./work-detail-rules";

/**
 * Database changes on client databases. infrastructure_id is an id of the infrastructure service
 * (no foreign key; checked with that service by the handlers, work-module.ts).
 */
export const databaseChangeResource: ResourceDefinition = {
  name: "database_change",
  model: DatabaseChangeModel,
  schema: DatabaseChangeSchema,
  fieldOverrides: { maxLength: { sql_executed: 65_535, backup_location: 1024 } },
  required: ["session_id", "database_name", "change_type"],
  filterable: ["session_id", "work_item_id", "infrastructure_id", "database_name", "change_type", "backup_taken", "created_at"],
  orderable: ["database_name", "created_at", "updated_at"],
  async prepare(row, existing, { transaction, given }) {
    await settleDetailOwners("database_change", row, existing, transaction);
    if (typeof row["database_name"] === "string") row["database_name"] = row["database_name"].trim();
    flagFollows(row, given, existing, "backup_taken", "backup_location");
  },
};
