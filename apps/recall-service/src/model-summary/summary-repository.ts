import { Op } from "sequelize";
import type { Database } from "@msp/db";
import { notFound } from "@msp/errors";
import type { MutationContext } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import { ConversationContextModel } from "../models";
import type { ReadRows } from "../recall/read-rows";
import type { AttachCommand } from "./attach-request";

/**
 * Stores a redacted model summary on the context of its Claude session, in one transaction with
 * its audit event (which holds the figures, never the text). The revision and update time move,
 * so the context's etag changes and recall's scope versions move on (their trigger): a cached
 * recall of the scope reads the context again.
 */
export async function storeModelSummary(db: Database, command: AttachCommand, redactions: number, ctx: MutationContext): Promise<string> {
  return db.transaction(async (transaction) => {
    const row = await ConversationContextModel.findOne({
      where: { claude_session_id: command.claudeSessionId },
      attributes: ["id", "revision"],
      raw: true,
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!row) throw notFound("conversation context of Claude session", command.claudeSessionId);
    const now = new Date();
    await ConversationContextModel.update(
      {
        model_summary: command.text,
        model_summary_model: command.model,
        model_summary_tokens: command.tokens,
        model_summary_at: now,
        revision: Number(row.revision) + 1,
        updated_at: now,
      },
      { where: { id: { [Op.eq]: row.id } }, transaction },
    );
    await writeAuditEvent(transaction, ctx, {
      resourceType: "conversation_context",
      resourceId: row.id,
      action: "update",
      summary: {
        claude_session_id: command.claudeSessionId,
        model_summary_model: command.model,
        model_summary_chars: command.text.length,
        model_summary_tokens: command.tokens,
        redactions,
      },
    });
    return row.id;
  });
}

/** A context's model summary, as GetMemoryItem shows it under the item. */
export interface StoredModelSummary {
  text: string;
  model: string;
  at: Date | null;
}

/** The model summary of a context, if one was attached. */
export async function readModelSummary(read: ReadRows, contextId: string): Promise<StoredModelSummary | undefined> {
  const [row] = await read<{ model_summary: unknown; model_summary_model: unknown; model_summary_at: unknown }>(
    "SELECT model_summary, model_summary_model, model_summary_at FROM conversation_contexts WHERE id = ?",
    [contextId],
  );
  const text = textOf(row?.model_summary);
  if (!row || text === "") return undefined;
  const at = row.model_summary_at;
  return {
    text,
    model: textOf(row.model_summary_model),
    at: at instanceof Date ? at : typeof at === "string" || typeof at === "number" ? new Date(at) : null,
  };
}

const textOf = (value: unknown): string => (typeof value === "string" ? value : Buffer.isBuffer(value) ? value.toString("utf8") : "");
