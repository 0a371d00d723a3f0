import type { ResourceDefinition } from "@msp/resource-kit";
import { ProblemSolutionSchema } from "@msp/proto/src/gen/es/msp/work/v1/problem_solution_pb";
import { ProblemSolutionModel } from "./models";
import { settleDetailOwners } from "./work-detail-rules";

const longText = 65_535;

/** Problems solved: a solution is required; the investigation is a list of steps. */
export const problemSolutionResource: ResourceDefinition = {
  name: "problem_solution",
  model: ProblemSolutionModel,
  schema: ProblemSolutionSchema,
  fieldOverrides: {
    maxLength: {
      problem: longText,
      symptom: longText,
      error_message: longText,
      root_cause: longText,
      solution: longText,
      verification: longText,
      rollback_plan: longText,
      investigation_steps: 4096,
    },
  },
  required: ["session_id", "solution"],
  filterable: ["session_id", "work_item_id", "recurrence_count", "created_at"],
  orderable: ["recurrence_count", "created_at", "updated_at"],
  async prepare(row, existing, { transaction }) {
    await settleDetailOwners("problem_solution", row, existing, transaction);
    if (typeof row["solution"] === "string") row["solution"] = row["solution"].trim();
  },
};
