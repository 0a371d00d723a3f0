import type { ContextSummaryChoice } from "./context-summary";
import { contextSummarySql } from "./context-summary";
import type { RecallScope } from "./candidate";
import type { ScoredCandidate } from "./score";
import { digestContexts, digestLines } from "./digest";
import type { ReadRows } from "./read-rows";

/**
 * The digests of a recall: the chosen contexts' whole summaries (candidates carry only a preview
 * of them; the model's summary where `choice` asks for it and the context has one), read in one
 * statement, as the lines to show under each (those answering `question`, when there is one). No
 * context, no read.
 */
export async function readDigests(
  read: ReadRows,
  ranked: readonly ScoredCandidate[],
  queryTerms: ReadonlySet<string>,
  choice: ContextSummaryChoice = "deterministic",
  scope: RecallScope = {},
  question = "",
): Promise<Map<string, readonly string[]>> {
  const chosen = digestContexts(ranked, queryTerms.size > 0, scope);
  const digests = new Map<string, readonly string[]>();
  if (chosen.length === 0) return digests;
  const rows = await read<{ id: string; dense_summary: string | null }>(
    `SELECT id, ${contextSummarySql(choice)} AS dense_summary FROM conversation_contexts WHERE id IN (${chosen.map(() => "?").join(", ")})`,
    chosen.map((candidate) => candidate.id),
  );
  for (const row of rows) {
    const lines = digestLines(row.dense_summary ?? "", queryTerms, question);
    if (lines.length > 0) digests.set(String(row.id), lines);
  }
  return digests;
}
