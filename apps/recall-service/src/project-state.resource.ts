import { Op } from "sequelize";
import { alreadyExists, invalidArguments } from "@msp/errors";
import type { ResourceDefinition } from "@msp/resource-kit";
import { ProjectStateSchema } from "@msp/proto/src/gen/es/msp/recall/v1/project_state_pb";
import { checkRange, trimColumns } from "./field-rules";
import { ConversationContextModel, ProjectStateModel } from "./models";
import { projectStateKey, textOrNull } from "./project-scope";

/** Project states: one per project, or per repository until the project is known. */
export const projectStateResource: ResourceDefinition = {
  name: "project_state",
  model: ProjectStateModel,
  schema: ProjectStateSchema,
  fieldOverrides: { maxLength: { repository: 512, blockers: 2048, next_actions: 2048, key_files: 1024, important_decisions: 2048 } },
  unique: [["project_id"], ["repository"]],
  references: { last_context_id: [ConversationContextModel, "conversation context"] },
  filterable: ["project_id", "client_id", "repository", "current_phase", "progress_percent", "created_at"],
  orderable: ["progress_percent", "created_at", "updated_at"],
  async prepare(row, _existing, { transaction }) {
    trimColumns(row, ["current_phase", "repository"]);
    checkRange(row, "project_state", "progress_percent", 0, 100);
    const key = projectStateKey({ projectId: textOrNull(row["project_id"]), repository: textOrNull(row["repository"]) });
    if (key === undefined) {
      throw invalidArguments([
        { field: "project_state.project_id", description: "is required when no repository is given" },
        { field: "project_state.repository", description: "is required when no project_id is given" },
      ]);
    }
    row["scope_key"] = key;
    const clash = await ProjectStateModel.findOne({
      where: { scope_key: key, ...(row["id"] ? { id: { [Op.ne]: row["id"] } } : {}) },
      attributes: ["id"],
      raw: true,
      transaction,
    });
    if (clash) {
      const what = key.startsWith("project:") ? "project" : "repository";
      throw alreadyExists(`the ${what} already has a project state (${clash.id}); update that one`);
    }
  },
};
