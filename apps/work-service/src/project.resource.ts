import { failedPrecondition, invalidArgument } from "@msp/errors";
import type { ResourceDefinition } from "@msp/resource-kit";
import { ProjectSchema } from "@msp/proto/src/gen/es/msp/work/v1/project_pb";
import { checkRate, lockSessionsOf, rebill } from "./billable-time-rules";
import { detachFrom } from "./detach-rules";
import { BillableTimeModel, ClientModel, ProjectModel } from "./models";

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Projects: belong to a client (which cannot be deleted under them), unique slugs. A project's rate
 * prices its billable time that has no rate of its own.
 */
export const projectResource: ResourceDefinition = {
  name: "project",
  model: ProjectModel,
  schema: ProjectSchema,
  fieldOverrides: {
    decimals: { estimated_hours: 2, actual_hours: 2, hourly_rate: 2 },
    dates: ["started_on", "target_on", "completed_on"],
    maxLength: { slug: 128, repo_url: 1024 },
  },
  required: ["client_id", "name", "slug"],
  unique: [["slug"]],
  references: { client_id: [ClientModel, "client"] },
  filterable: ["client_id", "slug", "category", "status", "priority", "repo_url", "created_at"],
  orderable: ["name", "slug", "created_at", "updated_at"],
  async prepare(row, existing, { transaction }) {
    if (existing && row["client_id"] !== existing["client_id"]) {
      const billed = await BillableTimeModel.count({ where: { project_id: existing["id"] as string }, transaction });
      if (billed > 0)
        throw failedPrecondition(`the project has ${billed} billable time entries for its client; it cannot move to another client`);
    }
    if (typeof row["name"] === "string") row["name"] = row["name"].trim();
    if (typeof row["slug"] === "string" && !slugPattern.test(row["slug"])) {
      throw invalidArgument("project.slug", "must be lower-case letters, digits and single dashes, such as acme-website");
    }
    checkRate("project.hourly_rate", row["hourly_rate"]);
    for (const field of ["estimated_hours", "actual_hours"]) {
      if (typeof row[field] === "string" && row[field].startsWith("-")) throw invalidArgument(`project.${field}`, "must not be negative");
    }
    const started = row["started_on"];
    for (const field of ["target_on", "completed_on"]) {
      const value = row[field];
      if (typeof started === "string" && typeof value === "string" && value < started) {
        throw invalidArgument(`project.${field}`, "must not be before started_on");
      }
    }
  },
  async afterWrite(row, existing, hook) {
    if (existing && row["hourly_rate"] !== existing["hourly_rate"]) await rebill(hook, { projectId: row["id"] as string });
  },
  async beforeDelete(row, hook) {
    const { db, transaction } = hook;
    // Invoiced time keeps its project; the rest loses it (ON DELETE SET NULL) and its project rate.
    const id = row["id"] as string;
    const invoiced = await BillableTimeModel.count({ where: { project_id: id, is_invoiced: true }, transaction });
    if (invoiced > 0)
      throw failedPrecondition(`the project has ${invoiced} invoiced billable time entries; invoiced time keeps its project`);
    // Their sessions first, as every billing change locks (rebill re-prices them), then the entries.
    const sessionIds = await lockSessionsOf(db, transaction, { where: "project_id = ?", params: [id] });
    const { billable_time: entryIds = [] } = await detachFrom(hook, "project_id", id, ["billable_time"]);
    if (entryIds.length === 0) return;
    await rebill(hook, { entryIds, sessionIds });
  },
};
