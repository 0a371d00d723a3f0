import type { ResourceDefinition } from "@msp/resource-kit";
import { InfrastructureChangeSchema } from "@msp/proto/src/gen/es/msp/infra/v1/infrastructure_change_pb";
import { AssetModel, InfrastructureChangeModel } from "../models";

/**
 * Changes to client infrastructure, newest first. The work item and session are the work
 * service's (checked through it by the handlers); the asset is this service's.
 */
export const infrastructureChangeResource: ResourceDefinition = {
  name: "infrastructure_change",
  model: InfrastructureChangeModel,
  schema: InfrastructureChangeSchema,
  required: ["change_type", "target_system"],
  references: { infrastructure_id: [AssetModel, "asset"] },
  fieldOverrides: { maxLength: { target_system: 1024, before_state: 65_535, after_state: 65_535, rollback_procedure: 65_535 } },
  filterable: ["infrastructure_id", "work_item_id", "session_id", "change_type", "verified", "is_permanent", "created_at"],
  orderable: ["created_at", "updated_at"],
  defaultOrderBy: "created_at desc",
  prepare(row) {
    row["is_permanent"] ??= true;
    row["verified"] ??= false;
  },
};
