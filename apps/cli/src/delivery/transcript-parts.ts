/**
 * The gateway takes request bodies up to 1 MiB, so a transcript goes to Ingest in parts whose
 * JSON-encoded form is at most 512 KiB (quotes and control characters grow when escaped; the
 * rest of the request is small). Parts end at line ends where a line fits; a longer line is cut
 * between characters (Ingest joins the parts in order before it parses them).
 */
export const maxPartBytes = 512 * 1024;

export function splitTranscriptParts(text: string, maxBytes = maxPartBytes): string[] {
  if (text === "") return [""];
  const parts: string[] = [];
  let current: string[] = [];
  let currentBytes = 0;
  const flush = () => {
    if (current.length > 0) parts.push(current.join(""));
    current = [];
    currentBytes = 0;
  };
  for (const line of linesWithEnds(text)) {
    const bytes = encodedBytes(line);
    if (bytes > maxBytes) {
      flush();
      parts.push(...splitLongLine(line, maxBytes));
      continue;
    }
    if (currentBytes + bytes > maxBytes) flush();
    current.push(line);
    currentBytes += bytes;
  }
  flush();
  return parts;
}

/** Bytes of `text` inside a JSON string, without the quotes. */
export function encodedBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), "utf8") - 2;
}

function* linesWithEnds(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf("\n", start);
    const stop = end === -1 ? text.length : end + 1;
    yield text.slice(start, stop);
    start = stop;
  }
}

/** Cuts one oversized line into pieces that fit, never between the halves of a surrogate pair. */
function splitLongLine(line: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  // A UTF-16 unit costs at most 6 bytes escaped (\uXXXX), so this many always fit.
  const step = Math.floor(maxBytes / 6);
  let start = 0;
  while (start < line.length) {
    let end = Math.min(start + step, line.length);
    // Grow the piece while it still fits: ordinary text costs 1-3 bytes per unit.
    while (end < line.length) {
      const next = Math.min(end + step, line.length);
      if (encodedBytes(line.slice(start, next)) > maxBytes) break;
      end = next;
    }
    const code = line.charCodeAt(end - 1);
    if (end < line.length && code >= 0xd800 && code <= 0xdbff) end--;
    pieces.push(line.slice(start, end));
    start = end;
  }
  return pieces;
}
