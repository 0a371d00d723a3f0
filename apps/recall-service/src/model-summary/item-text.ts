import type { StoredModelSummary } from "./summary-repository";

/**
 * A context's full text (GetMemoryItem) with its model summary under it, named as such: the
 * technician sees both and which model wrote which, whatever recall showed in the injection.
 */
export function withModelSummary(text: string, summary: StoredModelSummary | undefined): string {
  if (!summary) return text;
  const when = summary.at && !Number.isNaN(summary.at.getTime()) ? ` on ${summary.at.toISOString().slice(0, 10)}` : "";
  return `${text}\n\nSummary written by ${summary.model || "a model"}${when}:\n${summary.text}`;
}
