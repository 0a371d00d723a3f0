// What "source tokens" measures: the text content of a transcript, as a model would read it,
// without the JSON envelope (uuids, timestamps, usage counters, thinking signatures) and
// without progress records, which only repeat output that the tool result carries again.
import type { TranscriptEvent } from "./transcript-event";

/**
 * The concatenated text content of the events: user and assistant text, thinking, tool call
 * inputs (as JSON), tool result text, compact summaries, summaries, system and attachment
 * text. Progress and bookkeeping records contribute nothing.
 */
export function sourceText(events: readonly TranscriptEvent[]): string {
  const parts: string[] = [];
  for (const event of events) {
    if (event.kind === "progress" || event.kind === "bookkeeping") continue;
    if (event.text) parts.push(event.text);
    if (event.thinking) parts.push(event.thinking);
    for (const call of event.toolCalls) parts.push(`${call.name} ${JSON.stringify(call.input)}`);
    for (const result of event.toolResults) if (result.text) parts.push(result.text);
  }
  return parts.join("\n");
}
