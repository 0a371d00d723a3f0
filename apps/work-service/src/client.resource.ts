import { failedPrecondition, invalidArgument } from "@msp/errors";
import type { ResourceDefinition } from "@msp/resource-kit";
import { ClientSchema } from "@msp/proto/src/gen/es/msp/work/v1/client_pb";
import { ClientModel, ProjectModel, SessionModel } from "./models";
import { checkCidr } from "./network-rules";

/** Clients: unique names; a client with projects or sessions is archived, not deleted. */
export const clientResource: ResourceDefinition = {
  name: "client",
  model: ClientModel,
  schema: ClientSchema,
  fieldOverrides: { decimals: { default_hourly_rate: 2 }, maxLength: { network_subnet: 64 } },
  required: ["name"],
  unique: [["name"]],
  filterable: ["name", "client_type", "is_active", "created_at"],
  orderable: ["name", "created_at", "updated_at"],
  prepare(row) {
    if (typeof row["name"] === "string") row["name"] = row["name"].trim();
    const subnet = row["network_subnet"];
    if (typeof subnet === "string") checkCidr("client.network_subnet", subnet);
    const rate = row["default_hourly_rate"];
    if (typeof rate === "string" && rate.startsWith("-")) {
      throw invalidArgument("client.default_hourly_rate", "must not be negative");
    }
  },
  async beforeDelete(row, { transaction }) {
    const where = { client_id: row["id"] as string };
    const projects = await ProjectModel.count({ where, transaction });
    const sessions = await SessionModel.count({ where, transaction });
    if (projects + sessions > 0) {
      throw failedPrecondition(
        `client still has ${projects} project(s) and ${sessions} session(s); archive it instead (is_active = false)`,
      );
    }
  },
};
