import { Op } from "sequelize";
import type { ResourceDefinition } from "@msp/resource-kit";
import { ConversationContextSchema } from "@msp/proto/src/gen/es/msp/recall/v1/conversation_context_pb";
import { contentHash } from "./content-hash";
import { checkRange, trimColumns } from "./field-rules";
import { ContextSnippetModel, ConversationContextModel } from "./models";
import { textOrNull } from "./project-scope";
import { removeFromTagIndex, syncTagIndex } from "./tag-index";
import { normalizeTags } from "./tags";

/** Longest dense summary stored (the compressor writes a few kilobytes). */
export const maxSummaryChars = 262_144;

/** Conversation contexts: one per Claude session; tags mirrored in the tag index. */
export const conversationContextResource: ResourceDefinition = {
  name: "conversation_context",
  model: ConversationContextModel,
  schema: ConversationContextSchema,
  fieldOverrides: {
    foreignIds: ["claude_session_id"],
    maxLength: {
      claude_session_id: 128,
      idempotency_key: 200,
      repository: 512,
      cwd: 1024,
      title: 512,
      dense_summary: maxSummaryChars,
      key_decisions: 2048,
      tags: 64,
    },
  },
  // The model summary is written only by MemoryService.AttachSessionSummary, which redacts it.
  outputOnly: [
    "recall_count",
    "last_recalled_at",
    "useful_count",
    "content_hash",
    "model_summary",
    "model_summary_model",
    "model_summary_tokens",
    "model_summary_at",
  ],
  required: ["title", "dense_summary"],
  unique: [["claude_session_id"], ["idempotency_key"]],
  filterable: [
    "session_id",
    "project_id",
    "client_id",
    "machine_id",
    "claude_session_id",
    "repository",
    "context_type",
    "importance",
    "pinned",
    "content_hash",
    "created_at",
    "tags",
  ],
  orderable: ["importance", "recall_count", "created_at", "updated_at"],
  prepare(row) {
    trimColumns(row, ["title"]);
    row["tags"] = normalizeTags(row["tags"] as string[] | null);
    if (typeof row["dense_summary"] === "string") row["content_hash"] = contentHash(row["dense_summary"]);
    checkRange(row, "conversation_context", "importance", 0, 10);
  },
  async afterWrite(row, existing, { transaction }) {
    const changed = ["tags", "project_id", "client_id"].some((k) => JSON.stringify(row[k]) !== JSON.stringify(existing?.[k]));
    if (!changed) return;
    const tags = (row["tags"] as string[] | null) ?? [];
    const owner = {
      type: "context" as const,
      id: String(row["id"]),
      tags,
      projectId: textOrNull(row["project_id"]),
      clientId: textOrNull(row["client_id"]),
    };
    await syncTagIndex(owner, transaction);
  },
  async beforeDelete(row, { transaction }) {
    // The snippets go with the context (ON DELETE CASCADE); their tags have no key to follow.
    const snippets = await ContextSnippetModel.findAll({
      where: { context_id: { [Op.eq]: row["id"] } },
      attributes: ["id"],
      raw: true,
      transaction,
    });
    await removeFromTagIndex(
      "snippet",
      snippets.map((s) => s.id),
      transaction,
    );
    await removeFromTagIndex("context", [String(row["id"])], transaction);
  },
};
