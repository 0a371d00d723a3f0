import { closeSync, openSync, readSync } from "node:fs";

/** The transcript's whole lines within its first `endOffset` bytes. */
export interface TranscriptSlice {
  text: string;
  /** Bytes covered: `endOffset` cut back to the last newline (a line still being written waits for a later event). */
  offset: number;
}

/** Reads the transcript up to `endOffset` (Claude only appends to it) and drops a trailing partial line. */
export function readTranscriptSlice(path: string, endOffset: number): TranscriptSlice {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(endOffset);
    let read = 0;
    while (read < endOffset) {
      const n = readSync(fd, buffer, read, endOffset - read, read);
      if (n === 0) break;
      read += n;
    }
    const lastNewline = buffer.lastIndexOf(0x0a, read - 1);
    const offset = lastNewline === -1 ? 0 : lastNewline + 1;
    return { text: buffer.toString("utf8", 0, offset), offset };
  } finally {
    closeSync(fd);
  }
}
