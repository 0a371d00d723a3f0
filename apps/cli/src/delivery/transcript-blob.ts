import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../local/atomic-file";
import type { TranscriptSlice } from "./transcript-slice";

// When the platform is down, the redacted transcript slice is kept in the spool: the spooled
// event then survives Claude Code deleting or rewriting its transcript before the next sync.

function blobPath(spoolDir: string, eventId: string): string {
  return join(spoolDir, "blobs", `${eventId.replace(/[^A-Za-z0-9_-]/g, "_")}.json`);
}

/** Keeps a redacted slice for a spooled transcript event. */
export function saveTranscriptBlob(spoolDir: string, eventId: string, slice: TranscriptSlice): void {
  mkdirSync(join(spoolDir, "blobs"), { recursive: true, mode: 0o700 });
  writeFileAtomic(blobPath(spoolDir, eventId), JSON.stringify(slice));
}

/** The kept slice of an event, if any. */
export function loadTranscriptBlob(spoolDir: string, eventId: string): TranscriptSlice | undefined {
  try {
    const value = JSON.parse(readFileSync(blobPath(spoolDir, eventId), "utf8")) as Partial<TranscriptSlice>;
    return typeof value.text === "string" && typeof value.offset === "number" ? { text: value.text, offset: value.offset } : undefined;
  } catch {
    return undefined;
  }
}

export function deleteTranscriptBlob(spoolDir: string, eventId: string): void {
  rmSync(blobPath(spoolDir, eventId), { force: true });
}
