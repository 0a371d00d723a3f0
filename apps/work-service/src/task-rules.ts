import { Op } from "sequelize";
import type { Transaction } from "sequelize";
import { isUuid } from "@msp/db";
import { invalidArgument } from "@msp/errors";
import type { StoredRecord } from "@msp/resource-kit";
import { TaskModel } from "./models";

/** Deepest nesting followed when looking for a cycle; deeper trees are refused. */
const maxDepth = 100;

/** Status drives the times and the blocking reason of a task. */
export function settleTaskStatus(row: StoredRecord, now: Date): void {
  const status = row["status"];
  if (status === "blocked" && !row["blocking_reason"]) throw invalidArgument("task.blocking_reason", "is required when status is blocked");
  if ((status === "in_progress" || status === "completed") && !row["started_at"]) row["started_at"] = now;
  if (status === "completed" && !row["completed_at"]) row["completed_at"] = now;
  const started = row["started_at"];
  const completed = row["completed_at"];
  if (started instanceof Date && completed instanceof Date && completed < started) {
    throw invalidArgument("task.completed_at", "must not be before started_at");
  }
}

/** A task cannot be its own ancestor. */
export async function checkParent(taskId: string | undefined, parentId: unknown, transaction: Transaction): Promise<void> {
  if (typeof parentId !== "string") return;
  let current: string | null = parentId;
  for (let depth = 0; current; depth++) {
    if (current === taskId) throw invalidArgument("task.parent_task_id", "would make the task its own ancestor");
    if (depth >= maxDepth) throw invalidArgument("task.parent_task_id", `tasks nest at most ${maxDepth} levels deep`);
    const parent: { parent_task_id: string | null } | null = await TaskModel.findOne({
      where: { id: current },
      attributes: ["parent_task_id"],
      raw: true,
      transaction,
    });
    current = parent?.parent_task_id ?? null;
  }
}

/** depends_on names existing tasks, by UUID, other than the task itself. */
export async function checkDependencies(taskId: string | undefined, dependsOn: unknown, transaction: Transaction): Promise<void> {
  if (!Array.isArray(dependsOn) || dependsOn.length === 0) return;
  const ids = [...new Set(dependsOn as string[])];
  ids.forEach((id, i) => {
    if (!isUuid(id)) throw invalidArgument(`task.depends_on[${i}]`, "must be a task id (UUID)");
    if (id === taskId) throw invalidArgument(`task.depends_on[${i}]`, "a task cannot depend on itself");
  });
  const found = await TaskModel.count({ where: { id: { [Op.in]: ids } }, transaction });
  if (found !== ids.length) throw invalidArgument("task.depends_on", "names a task that does not exist");
}
