import type { ResourceDefinition } from "@msp/resource-kit";
import { DeploymentSchema } from "@msp/proto/src/gen/es/msp/work/v1/deployment_pb";
import { DeploymentModel } from "./models";
import { flagFollows, settleDetailOwners } from "./work-detail-rules";

/**
 * Deployments: what went where. infrastructure_id and service_id are ids of the infrastructure
 * service (no foreign key; checked with that service by the handlers, work-module.ts).
 */
export const deploymentResource: ResourceDefinition = {
  name: "deployment",
  model: DeploymentModel,
  schema: DeploymentSchema,
  fieldOverrides: { maxLength: { deployed_from: 1024, deployed_to: 1024, rollback_procedure: 65_535 } },
  required: ["session_id", "deployment_type"],
  filterable: ["session_id", "work_item_id", "infrastructure_id", "service_id", "deployment_type", "rollback_available", "created_at"],
  orderable: ["created_at", "updated_at"],
  async prepare(row, existing, { transaction, given }) {
    await settleDetailOwners("deployment", row, existing, transaction);
    flagFollows(row, given, existing, "rollback_available", "rollback_procedure");
  },
};
