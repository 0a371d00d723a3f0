import type { ResourceDefinition } from "@msp/resource-kit";
import { AuditEventSchema } from "@msp/proto/src/gen/es/msp/audit/v1/audit_pb";
import { AuditEventModel } from "../models";

/** Chained events, read-only through the API (the drain writes them). */
export const auditEventResource: ResourceDefinition = {
  name: "audit event",
  model: AuditEventModel,
  schema: AuditEventSchema,
  // A resource's id is a UUID for records, but a name or a key id for some (users' logins, API keys).
  fieldOverrides: { foreignIds: ["resource_id"] },
  outputOnly: ["seq", "prev_hash", "hash", "chained_at"],
  filterable: ["seq", "principal", "service", "method", "resource_type", "resource_id", "action", "outcome", "occurred_at"],
  orderable: ["seq"],
  defaultOrderBy: "seq desc",
  tiebreak: "seq",
};
