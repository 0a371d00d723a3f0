import { invalidArgument } from "@msp/errors";
import type { ResourceDefinition } from "@msp/resource-kit";
import { SessionSchema } from "@msp/proto/src/gen/es/msp/work/v1/session_pb";
import { ClientModel, MachineModel, ProjectModel, SessionModel } from "./models";
import { billableByDefault, settleSessionTimes } from "./session-rules";
import { releaseTags, sessionTagLinks, workItemTagLinks } from "./tag-links";

/**
 * Sessions: times and duration kept consistent, billable by default for paying clients, tags listed
 * on the row. Deleting one deletes its work items and their details.
 */
export const sessionResource: ResourceDefinition = {
  name: "session",
  model: SessionModel,
  schema: SessionSchema,
  fieldOverrides: { decimals: { billable_hours: 2 }, maxLength: { external_session_id: 128 } },
  outputOnly: ["duration_minutes", "billable_hours", "tags"],
  unique: [["machine_id", "external_session_id"]],
  references: { client_id: [ClientModel, "client"], project_id: [ProjectModel, "project"], machine_id: [MachineModel, "machine"] },
  filterable: ["client_id", "project_id", "machine_id", "external_session_id", "status", "is_billable", "technician", "started_at", "tags"],
  orderable: ["started_at", "created_at", "updated_at"],
  async prepare(row, existing, { transaction }) {
    settleSessionTimes(row, new Date());
    const projectId = row["project_id"];
    if (typeof projectId === "string" && projectId !== existing?.["project_id"]) {
      const project = await ProjectModel.findOne({ where: { id: projectId }, attributes: ["client_id"], raw: true, transaction });
      if (project) {
        if (!row["client_id"]) row["client_id"] = project.client_id;
        else if (row["client_id"] !== project.client_id)
          throw invalidArgument("session.project_id", "belongs to another client than client_id");
      }
    }
    if (!existing && row["is_billable"] === undefined) {
      const clientId = row["client_id"];
      const client =
        typeof clientId === "string"
          ? await ClientModel.findOne({ where: { id: clientId }, attributes: ["client_type"], raw: true, transaction })
          : null;
      row["is_billable"] = billableByDefault(client?.client_type);
    }
  },
  async beforeDelete(row, { db, transaction }) {
    // The session's tag links, work items (with their tag links) and details go with it
    // (ON DELETE CASCADE); the tags' counts follow.
    const id = row["id"] as string;
    await releaseTags(db, sessionTagLinks, "?", id, transaction);
    await releaseTags(db, workItemTagLinks, "SELECT id FROM work_items WHERE session_id = ?", id, transaction);
  },
};
