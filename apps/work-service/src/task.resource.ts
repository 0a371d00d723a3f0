import type { ResourceDefinition } from "@msp/resource-kit";
import { TaskSchema } from "@msp/proto/src/gen/es/msp/work/v1/task_pb";
import { ClientModel, ProjectModel, SessionModel, TaskModel } from "./models";
import { checkDependencies, checkParent, settleTaskStatus } from "./task-rules";

/** Tasks: nested under a parent (deleted with it), status-driven times, checked dependencies. */
export const taskResource: ResourceDefinition = {
  name: "task",
  model: TaskModel,
  schema: TaskSchema,
  fieldOverrides: { ids: ["depends_on"] },
  required: ["title"],
  references: {
    parent_task_id: [TaskModel, "task"],
    session_id: [SessionModel, "session"],
    client_id: [ClientModel, "client"],
    project_id: [ProjectModel, "project"],
  },
  filterable: ["parent_task_id", "session_id", "client_id", "project_id", "status", "task_type", "created_at"],
  orderable: ["position", "title", "created_at", "updated_at"],
  async prepare(row, existing, { transaction, now }) {
    if (typeof row["title"] === "string") row["title"] = row["title"].trim();
    settleTaskStatus(row, now);
    const id = existing?.["id"] as string | undefined;
    if (row["parent_task_id"] !== existing?.["parent_task_id"]) await checkParent(id, row["parent_task_id"], transaction);
    await checkDependencies(id, row["depends_on"], transaction);
  },
};
