import { failedPrecondition, invalidArgument } from "@msp/errors";
import type { ResourceDefinition, StoredRecord } from "@msp/resource-kit";
import { ClientSchema } from "@msp/proto/src/gen/es/msp/work/v1/client_pb";
import { checkRate, rebill } from "./billable-time-rules";
import { defaultBillingPolicy } from "./billing";
import { BillableTimeModel, ClientModel, ProjectModel, SessionModel } from "./models";
import { checkCidr } from "./network-rules";

/** What the client's billable time is priced by: changing any of it re-prices what is not invoiced yet. */
const billingTerms = [
  "default_hourly_rate",
  "billing_increment_minutes",
  "billing_rounding_direction",
  "billing_minimum_minutes",
  "billing_rounding_scope",
];

/**
 * Clients: unique names; a client with projects, sessions or billable time is archived, not
 * deleted. Their rounding policy and rate price their billable time.
 */
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
    checkRate("client.default_hourly_rate", row["default_hourly_rate"]);
    settleBillingPolicy(row);
  },
  async afterWrite(row, existing, hook) {
    if (existing && billingTerms.some((field) => row[field] !== existing[field])) {
      await rebill(hook, { clientId: row["id"] as string });
    }
  },
  async beforeDelete(row, { transaction }) {
    const where = { client_id: row["id"] as string };
    const projects = await ProjectModel.count({ where, transaction });
    const sessions = await SessionModel.count({ where, transaction });
    const billable = await BillableTimeModel.count({ where, transaction });
    if (projects + sessions + billable > 0) {
      throw failedPrecondition(
        `client still has ${projects} project(s), ${sessions} session(s) and ${billable} billable time entries; archive it instead (is_active = false)`,
      );
    }
  },
};

/** The rounding policy: within bounds, and a cleared setting is back to its default. */
function settleBillingPolicy(row: StoredRecord): void {
  const bounded = (field: string, low: number, fallback: number) => {
    const value = row[field];
    if (value === null) row[field] = fallback;
    else if (typeof value === "number" && (value < low || value > 1440))
      throw invalidArgument(`client.${field}`, `must be between ${low} and 1440`);
  };
  bounded("billing_increment_minutes", 1, defaultBillingPolicy.incrementMinutes);
  bounded("billing_minimum_minutes", 0, defaultBillingPolicy.minimumMinutes);
  if (row["billing_rounding_direction"] === null) row["billing_rounding_direction"] = defaultBillingPolicy.direction;
  if (row["billing_rounding_scope"] === null) row["billing_rounding_scope"] = defaultBillingPolicy.scope;
}
