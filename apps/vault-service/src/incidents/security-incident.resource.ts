import type { ResourceDefinition, StoredRecord } from "@msp/resource-kit";
import { SecurityIncidentSchema } from "@msp/proto/src/gen/es/msp/vault/v1/security_incident_pb";
import { SecurityIncidentModel } from "../models";

/**
 * Security incidents. Status flow: investigating -> contained -> resolved -> monitoring, in any
 * order a response takes; resolved_at is set when the status becomes resolved and cleared when the
 * incident is reopened (investigating or contained); monitoring keeps it.
 */
export const securityIncidentResource: ResourceDefinition = {
  name: "security incident",
  model: SecurityIncidentModel,
  schema: SecurityIncidentSchema,
  outputOnly: ["resolved_at"],
  required: ["incident_type", "severity", "description", "occurred_at"],
  filterable: [
    "client_id",
    "infrastructure_id",
    "service_id",
    "incident_type",
    "severity",
    "status",
    "occurred_at",
    "resolved_at",
    "created_at",
  ],
  orderable: ["occurred_at", "created_at", "updated_at"],
  defaultOrderBy: "occurred_at desc",
  prepare(row, existing, { now }) {
    row["occurred_at"] ??= now;
    row["status"] ??= "investigating";
    settleResolvedAt(row, existing, now);
  },
};

/** resolved_at follows the status: set on resolving, kept while resolved or monitoring, cleared on reopening. */
export function settleResolvedAt(row: StoredRecord, existing: StoredRecord | undefined, now: Date): void {
  const status = row["status"];
  const before = existing?.["resolved_at"] ?? null;
  if (status === "resolved") row["resolved_at"] = before ?? now;
  else if (status === "monitoring") row["resolved_at"] = before;
  else row["resolved_at"] = null;
}
