import { invalidArgument } from "@msp/errors";
import type { ResourceDefinition } from "@msp/resource-kit";
import { ProjectSchema } from "@msp/proto/src/gen/es/msp/work/v1/project_pb";
import { ClientModel, ProjectModel } from "./models";

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Projects: belong to a client (which cannot be deleted under them), unique slugs. */
export const projectResource: ResourceDefinition = {
  name: "project",
  model: ProjectModel,
  schema: ProjectSchema,
  fieldOverrides: {
    decimals: { estimated_hours: 2, actual_hours: 2 },
    dates: ["started_on", "target_on", "completed_on"],
    maxLength: { slug: 128, repo_url: 1024 },
  },
  required: ["client_id", "name", "slug"],
  unique: [["slug"]],
  references: { client_id: [ClientModel, "client"] },
  filterable: ["client_id", "slug", "category", "status", "priority", "repo_url", "created_at"],
  orderable: ["name", "slug", "created_at", "updated_at"],
  prepare(row) {
    if (typeof row["name"] === "string") row["name"] = row["name"].trim();
    if (typeof row["slug"] === "string" && !slugPattern.test(row["slug"])) {
      throw invalidArgument("project.slug", "must be lower-case letters, digits and single dashes, such as acme-website");
    }
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
};
