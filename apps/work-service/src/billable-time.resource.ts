import type { ResourceDefinition } from "@msp/resource-kit";
import { BillableTimeSchema } from "@msp/proto/src/gen/es/msp/work/v1/billable_time_pb";
import {
  billableTimeOverrides,
  derivedFields,
  lockEntrySession,
  rebill,
  refuseIfInvoiced,
  settleBillableTime,
} from "./billable-time-rules";
import { settleSource } from "./billable-time-review";
import { BillableTimeModel, ClientModel, ProjectModel, SessionModel, WorkItemModel } from "./models";

/**
 * Billable time (collection `billableTime`): raw minutes stored, billed minutes, rate and amount
 * derived from the client's rounding policy and the rates; the session's totals and, with
 * per-session rounding, its other entries follow in the same transaction. Invoiced entries are frozen.
 * Time recorded automatically from a Claude Code session waits for a review (ReviewBillableTime).
 */
export const billableTimeResource: ResourceDefinition = {
  name: "billable_time",
  model: BillableTimeModel,
  schema: BillableTimeSchema,
  fieldOverrides: billableTimeOverrides,
  outputOnly: [
    ...derivedFields,
    "is_invoiced",
    "invoiced_at",
    "invoice_reference",
    "review_status",
    "reviewed_at",
    "reviewed_by",
    "review_note",
  ],
  required: ["client_id", "started_at"],
  references: {
    session_id: [SessionModel, "session"],
    work_item_id: [WorkItemModel, "work item"],
    client_id: [ClientModel, "client"],
    project_id: [ProjectModel, "project"],
  },
  filterable: [
    "session_id",
    "work_item_id",
    "client_id",
    "project_id",
    "category",
    "is_billable",
    "is_invoiced",
    "source",
    "review_status",
    "started_at",
    "invoiced_at",
    "created_at",
  ],
  orderable: ["started_at", "created_at", "updated_at"],
  defaultOrderBy: "started_at",
  lockFirst: lockEntrySession,
  async prepare(row, existing, hook) {
    settleSource(row, existing);
    await settleBillableTime(row, existing, hook);
  },
  async afterWrite(row, existing, hook) {
    await rebill(hook, { entryIds: [row["id"] as string], sessionIds: [row["session_id"], existing?.["session_id"]] });
  },
  beforeDelete(row) {
    refuseIfInvoiced(row, "deleted");
    return Promise.resolve();
  },
  async afterDelete(row, hook) {
    await rebill(hook, { sessionIds: [row["session_id"]] });
  },
};
