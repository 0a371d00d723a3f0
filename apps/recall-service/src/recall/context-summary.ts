/**
 * Which of a session context's summaries recall shows: the compressor's dense_summary (always
 * there) or the summary a language model wrote (MemoryService.AttachSessionSummary; only where
 * the technician turned the summarizer on). A context without a model summary shows the
 * compressor's whatever the choice.
 */
export const contextSummaryChoices = ["deterministic", "model"] as const;
export type ContextSummaryChoice = (typeof contextSummaryChoices)[number];

export function isContextSummaryChoice(value: string): value is ContextSummaryChoice {
  return (contextSummaryChoices as readonly string[]).includes(value);
}

/** The request's choice when it made one (RecallRequest.context_summary), else the service's setting. */
export function chosenContextSummary(requested: ContextSummaryChoice | null, setting: ContextSummaryChoice): ContextSummaryChoice {
  return requested ?? setting;
}

/**
 * The SQL expression of the summary to show, for a SELECT on conversation_contexts: the model's
 * where the choice is "model" and the context has one, else dense_summary.
 */
export function contextSummarySql(choice: ContextSummaryChoice): string {
  return choice === "model" ? "COALESCE(NULLIF(model_summary, ''), dense_summary)" : "dense_summary";
}

/** The same choice on a row already read with both columns. */
export function contextSummaryOf(row: { dense_summary?: unknown; model_summary?: unknown }, choice: ContextSummaryChoice): string {
  const model = textOf(row.model_summary);
  return choice === "model" && model.trim() !== "" ? model : textOf(row.dense_summary);
}

const textOf = (value: unknown): string => (typeof value === "string" ? value : Buffer.isBuffer(value) ? value.toString("utf8") : "");
