import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { SpoolEvent } from "./spool-event";

/** The file hooks append to; the sender renames it to a batch file before reading it. */
export const activeSpoolFile = "events.jsonl";

/**
 * Appends one event as one JSON line and fsyncs it, so it survives a crash or a power cut once
 * the hook has returned. A torn line left by an earlier crash (no final newline) is closed
 * first, so it spoils only itself, never the event written after it.
 */
export function appendSpoolEvent(spoolDir: string, event: SpoolEvent): void {
  mkdirSync(spoolDir, { recursive: true, mode: 0o700 });
  const fd = openSync(join(spoolDir, activeSpoolFile), "a+", 0o600);
  try {
    const line = `${JSON.stringify(event)}\n`;
    writeSync(fd, endsTorn(fd) ? `\n${line}` : line);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function endsTorn(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

/** What reading a spool file found. */
export interface SpoolRead {
  events: SpoolEvent[];
  /** Lines that are not a whole event: a torn last line after a crash, or damage. Skipped, never fatal. */
  skipped: number;
}

/** Reads every whole event of a spool file; a missing file reads as empty. */
export function readSpoolFile(path: string): SpoolRead {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { events: [], skipped: 0 };
    throw error;
  }
  const events: SpoolEvent[] = [];
  let skipped = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const event = parseEvent(line);
    if (event) events.push(event);
    else skipped++;
  }
  return { events, skipped };
}

const kinds = new Set(["session-open", "command", "file-change", "transcript", "session-summary"]);

function parseEvent(line: string): SpoolEvent | undefined {
  try {
    const value = JSON.parse(line) as Partial<SpoolEvent> | null;
    if (!value || typeof value !== "object") return undefined;
    if (typeof value.id !== "string" || typeof value.claudeSessionId !== "string" || !kinds.has(value.kind ?? "")) return undefined;
    if (typeof value.data !== "object" || value.data === null) return undefined;
    return value as SpoolEvent;
  } catch {
    return undefined;
  }
}
