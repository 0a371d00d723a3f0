import { Op } from "sequelize";
import { failedPrecondition, invalidArgument } from "@msp/errors";
import type { ResourceDefinition } from "@msp/resource-kit";
import { SessionSchema } from "@msp/proto/src/gen/es/msp/work/v1/session_pb";
import { BillableTimeModel, ClientModel, MachineModel, ProjectModel, SessionModel } from "./models";
import { detachFrom } from "./detach-rules";
import { billableByDefault, settleSessionTimes } from "./session-rules";
import { releaseTags, sessionTagLinks, workItemTagLinks } from "./tag-links";

/**
 * Sessions: times and duration kept consistent, billable by default for paying clients, tags listed
 * on the row, billed totals kept in step with their billable time (billable-time-rules.ts).
 * Deleting one deletes its work items, their details, its ticket links and billable time, unless
 * some of that time is invoiced.
 */
export const sessionResource: ResourceDefinition = {
  name: "session",
  model: SessionModel,
  schema: SessionSchema,
  fieldOverrides: { decimals: { billable_hours: 2, billable_amount: 2 }, maxLength: { external_session_id: 128 } },
  outputOnly: ["duration_minutes", "billable_hours", "billable_minutes", "billable_amount", "tags"],
  unique: [["machine_id", "external_session_id"]],
  references: { client_id: [ClientModel, "client"], project_id: [ProjectModel, "project"], machine_id: [MachineModel, "machine"] },
  filterable: ["client_id", "project_id", "machine_id", "external_session_id", "status", "is_billable", "technician", "started_at", "tags"],
  orderable: ["started_at", "created_at", "updated_at"],
  async prepare(row, existing, { transaction, now }) {
    settleSessionTimes(row, now);
    const projectId = row["project_id"];
    if (typeof projectId === "string" && projectId !== existing?.["project_id"]) {
      const project = await ProjectModel.findOne({ where: { id: projectId }, attributes: ["client_id"], raw: true, transaction });
      if (project) {
        if (!row["client_id"]) row["client_id"] = project.client_id;
        else if (row["client_id"] !== project.client_id)
          throw invalidArgument("session.project_id", "belongs to another client than client_id");
      }
    }
    const clientId = row["client_id"];
    if (existing && typeof clientId === "string" && clientId !== existing["client_id"]) {
      // Billable time is the client's: it does not move with the session.
      const where = { session_id: existing["id"] as string, client_id: { [Op.ne]: clientId } };
      const others = await BillableTimeModel.count({ where, transaction });
      if (others > 0)
        throw failedPrecondition(`the session has ${others} billable time entries of another client; move or delete them first`);
    }
    if (!existing && row["is_billable"] === undefined) {
      const client =
        typeof clientId === "string"
          ? await ClientModel.findOne({ where: { id: clientId }, attributes: ["client_type"], raw: true, transaction })
          : null;
      row["is_billable"] = billableByDefault(client?.client_type);
    }
  },
  async beforeDelete(row, hook) {
    const { db, transaction } = hook;
    // The session's tag links, work items (with their tag links), details, ticket links and
    // billable time go with it (ON DELETE CASCADE); the tags' counts follow. Invoiced time stays.
    const id = row["id"] as string;
    const invoiced = await BillableTimeModel.count({ where: { session_id: id, is_invoiced: true }, transaction });
    if (invoiced > 0) {
      throw failedPrecondition(`the session has ${invoiced} invoiced billable time entries; invoiced time cannot be deleted`);
    }
    await releaseTags(db, sessionTagLinks, "?", id, transaction);
    await releaseTags(db, workItemTagLinks, "SELECT id FROM work_items WHERE session_id = ?", id, transaction);
    // The integration log outlives the session (the calls happened), with no session or work item.
    await detachFrom(hook, "session_id", id, ["external_integrations"]);
  },
};
