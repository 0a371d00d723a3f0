import type { ResourceDefinition } from "@msp/resource-kit";
import { writeAuditEvents } from "@msp/resource-kit";
import { DecisionLogSchema } from "@msp/proto/src/gen/es/msp/recall/v1/decision_log_pb";
import { normalizeSubject, settleSupersession, supersessionEvents } from "./decision-supersession";
import { trimColumns } from "./field-rules";
import { ConversationContextModel, DecisionLogModel } from "./models";
import { textOrNull } from "./project-scope";
import { normalizeTags } from "./tags";

/** Decision logs: a newer decision on the same subject in the same project supersedes the older one. */
export const decisionLogResource: ResourceDefinition = {
  name: "decision_log",
  model: DecisionLogModel,
  schema: DecisionLogSchema,
  fieldOverrides: { maxLength: { repository: 512, decision: 65_535, rationale: 65_535, alternatives: 2048, tags: 64 } },
  outputOnly: ["superseded_by_id", "recall_count", "useful_count"],
  required: ["decision"],
  references: { context_id: [ConversationContextModel, "conversation context"] },
  filterable: [
    "project_id",
    "client_id",
    "session_id",
    "context_id",
    "repository",
    "decision_type",
    "impact",
    "subject",
    "superseded_by_id",
    "created_at",
    "tags",
  ],
  orderable: ["created_at", "updated_at"],
  prepare(row) {
    trimColumns(row, ["decision", "subject"]);
    row["tags"] = normalizeTags(row["tags"] as string[] | null);
    const subject = textOrNull(row["subject"]);
    row["subject_key"] = subject === null ? null : normalizeSubject(subject) || null;
  },
  async afterWrite(row, existing, { transaction, ctx }) {
    const moved = ["subject_key", "project_id", "repository"].some((k) => row[k] !== existing?.[k]);
    if (!moved) return;
    const rewritten = await settleSupersession(
      {
        id: String(row["id"]),
        subjectKey: textOrNull(row["subject_key"]),
        projectId: textOrNull(row["project_id"]),
        repository: textOrNull(row["repository"]),
      },
      transaction,
    );
    await writeAuditEvents(transaction, ctx, supersessionEvents(rewritten));
  },
};
