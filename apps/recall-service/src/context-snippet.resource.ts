import { Op } from "sequelize";
import { alreadyExists } from "@msp/errors";
import type { ResourceDefinition } from "@msp/resource-kit";
import { ContextSnippetSchema } from "@msp/proto/src/gen/es/msp/recall/v1/context_snippet_pb";
import { contentHash } from "./content-hash";
import { credentialPointerTag } from "./credential-pointer";
import { checkRange, trimColumns } from "./field-rules";
import { ContextSnippetModel, ConversationContextModel } from "./models";
import { sameProject, textOrNull } from "./project-scope";
import { removeFromTagIndex, syncTagIndex } from "./tag-index";
import { normalizeTags } from "./tags";

/** Context snippets: small facts, unique by content within a project; tags mirrored in the tag index. */
export const contextSnippetResource: ResourceDefinition = {
  name: "context_snippet",
  model: ContextSnippetModel,
  schema: ContextSnippetSchema,
  fieldOverrides: { maxLength: { repository: 512, title: 512, dense_content: 65_535, tags: 64 } },
  outputOnly: ["content_hash", "recall_count", "last_recalled_at", "useful_count"],
  required: ["category", "title", "dense_content"],
  references: { context_id: [ConversationContextModel, "conversation context"] },
  filterable: [
    "project_id",
    "client_id",
    "context_id",
    "repository",
    "category",
    "importance",
    "pinned",
    "content_hash",
    "created_at",
    "tags",
  ],
  orderable: ["importance", "usage_count", "created_at", "updated_at"],
  async prepare(row, _existing, { transaction }) {
    trimColumns(row, ["title"]);
    const tags = (row["tags"] as string[] | null) ?? [];
    // Recall finds a client's credential pointers by this tag (recall/candidates.ts).
    row["tags"] = normalizeTags(row["category"] === "credential_reference" ? [credentialPointerTag, ...tags] : tags);
    checkRange(row, "context_snippet", "importance", 0, 10);
    if (typeof row["dense_content"] !== "string") return;
    const hash = contentHash(row["dense_content"]);
    row["content_hash"] = hash;
    const project = sameProject({ projectId: textOrNull(row["project_id"]), repository: textOrNull(row["repository"]) });
    if (project === undefined) return;
    const clash = await ContextSnippetModel.findOne({
      where: { [Op.and]: [project, { content_hash: hash }, ...(row["id"] ? [{ id: { [Op.ne]: row["id"] } }] : [])] },
      attributes: ["id"],
      raw: true,
      transaction,
    });
    if (clash) throw alreadyExists(`a context snippet with the same content already exists in this project (${clash.id})`);
  },
  async afterWrite(row, existing, { transaction }) {
    const changed = ["tags", "project_id", "client_id"].some((k) => JSON.stringify(row[k]) !== JSON.stringify(existing?.[k]));
    if (!changed) return;
    await syncTagIndex(
      {
        type: "snippet",
        id: String(row["id"]),
        tags: (row["tags"] as string[] | null) ?? [],
        projectId: textOrNull(row["project_id"]),
        clientId: textOrNull(row["client_id"]),
      },
      transaction,
    );
  },
  async beforeDelete(row, { transaction }) {
    await removeFromTagIndex("snippet", [String(row["id"])], transaction);
  },
};
