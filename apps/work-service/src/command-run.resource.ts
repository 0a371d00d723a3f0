import type { ResourceDefinition } from "@msp/resource-kit";
import { CommandRunSchema } from "@msp/proto/src/gen/es/msp/work/v1/command_run_pb";
import { settleCommandOutcome } from "./command-run-rules";
import { CommandRunModel } from "./models";
import { lockSession, nextPosition, settleDetailOwners } from "./work-detail-rules";

/** Commands run (collection `commands`): in session order, success consistent with the exit code. */
export const commandRunResource: ResourceDefinition = {
  name: "command_run",
  model: CommandRunModel,
  schema: CommandRunSchema,
  fieldOverrides: {
    maxLength: { output_summary: 65_535, error_message: 65_535, resolution: 65_535, shell_type: 64 },
    signed: ["exit_code"],
  },
  required: ["session_id", "command_text"],
  filterable: ["session_id", "work_item_id", "host", "shell_type", "success", "failure_category", "resolved", "created_at"],
  orderable: ["position", "created_at", "updated_at"],
  async prepare(row, existing, { transaction, given }) {
    await settleDetailOwners("command_run", row, existing, transaction);
    if (typeof row["shell_type"] === "string") row["shell_type"] = row["shell_type"].trim().toLowerCase() || null;
    settleCommandOutcome(row, existing, given);
    const sessionId = row["session_id"];
    if (typeof sessionId === "string" && (row["position"] === null || row["position"] === undefined)) {
      // The session exists (checked above); the lock makes concurrent commands take distinct positions.
      await lockSession(sessionId, transaction);
      row["position"] = await nextPosition(CommandRunModel, sessionId, transaction);
    }
  },
};
