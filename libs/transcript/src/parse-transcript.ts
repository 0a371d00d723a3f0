// JSONL text to normalized events, whole or in chunks. A transcript being written may end in a
// torn line, and real files hold lines that are not records at all: both are counted in the
// stats and skipped, never thrown.
import { isRecord, normalizeRecord } from "./normalize-record";
import type { ParseStats, TranscriptEvent } from "./transcript-event";

export interface ParsedTranscript {
  events: TranscriptEvent[];
  stats: ParseStats;
}

/**
 * Parses a transcript given in chunks of any size (a stream, or the parts of an upload); a
 * record may be split across chunks. `end()` parses what is left and returns the result.
 */
export class TranscriptParser {
  private readonly events: TranscriptEvent[] = [];
  private readonly stats: ParseStats = { lines: 0, records: 0, malformed: 0, byType: {}, tornLastLine: false };
  private pending: string[] = [];
  private lineNumber = 0;
  private ended = false;

  push(chunk: string): void {
    if (this.ended) throw new Error("TranscriptParser.push() called after end()");
    if (typeof chunk !== "string") throw new TypeError("TranscriptParser.push() expects a string chunk");
    let start = this.lineNumber === 0 && this.pending.length === 0 && chunk.charCodeAt(0) === 0xfeff ? 1 : 0;
    let newline = chunk.indexOf("\n", start);
    while (newline !== -1) {
      const piece = chunk.slice(start, newline);
      this.readLine(this.pending.length > 0 ? this.pending.join("") + piece : piece, false);
      this.pending = [];
      start = newline + 1;
      newline = chunk.indexOf("\n", start);
    }
    // Only the unfinished tail is kept, so a long record split into many small chunks costs
    // one join instead of rescanning everything received so far.
    if (start < chunk.length) this.pending.push(chunk.slice(start));
  }

  end(): ParsedTranscript {
    if (!this.ended) {
      this.ended = true;
      if (this.pending.length > 0) this.readLine(this.pending.join(""), true);
      this.pending = [];
    }
    return { events: this.events, stats: this.stats };
  }

  private readLine(raw: string, last: boolean): void {
    this.lineNumber += 1;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    this.stats.lines += 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.stats.malformed += 1;
      if (last) this.stats.tornLastLine = true;
      return;
    }
    if (!isRecord(value) || typeof value["type"] !== "string") {
      this.stats.malformed += 1;
      return;
    }
    const event = normalizeRecord(value, this.lineNumber);
    this.stats.records += 1;
    this.count(event.type);
    if (event.type === "system" && event.subtype) this.count(`system/${event.subtype}`);
    this.events.push(event);
  }

  private count(key: string): void {
    this.stats.byType[key] = (this.stats.byType[key] ?? 0) + 1;
  }
}

/** Parses a whole transcript (JSONL text). */
export function parseTranscript(jsonl: string): ParsedTranscript {
  if (typeof jsonl !== "string") throw new TypeError("parseTranscript() expects the transcript as a string");
  const parser = new TranscriptParser();
  parser.push(jsonl);
  return parser.end();
}
