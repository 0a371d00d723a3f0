import type { Migration } from "@msp/db";
import { addColumn, col, dropColumn } from "@msp/db";

/**
 * A session's summary written by a language model (the technician's own Claude Code, run by the
 * CLI after SessionEnd when they turned it on), kept beside the deterministic dense_summary of its
 * conversation context: which model wrote it, what it cost in tokens, when it came. All nullable:
 * most contexts never get one, and the deterministic summary stays either way.
 */
export const contextModelSummary: Migration = {
  name: "20261207000000-ContextModelSummary",
  async up(ctx) {
    await addColumn(ctx, "conversation_contexts", "model_summary", col.text());
    await addColumn(ctx, "conversation_contexts", "model_summary_model", col.string(128));
    await addColumn(
      ctx,
      "conversation_contexts",
      "model_summary_tokens",
      col.bigint(),
      "model_summary_tokens IS NULL OR model_summary_tokens >= 0",
    );
    await addColumn(ctx, "conversation_contexts", "model_summary_at", col.datetime());
  },
  async down(ctx) {
    for (const column of ["model_summary_at", "model_summary_tokens", "model_summary_model", "model_summary"]) {
      await dropColumn(ctx, "conversation_contexts", column);
    }
  },
};
