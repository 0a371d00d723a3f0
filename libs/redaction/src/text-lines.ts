// Lines of a text that may be plain or the raw JSONL of a transcript, where a line break inside a
// string is the two characters `\n`. Rules that read a block (a YAML mapping, a here-document)
// walk it line by line with these, whichever way it was written.

/** One line: [start, end) holds its text, `next` is where the following line starts (-1: none). */
export interface TextLine {
  start: number;
  end: number;
  next: number;
}

/** The line that starts at `start`, read at most `maxChars` far (a longer line ends the walk). */
export function lineFrom(text: string, start: number, maxChars = 8192): TextLine {
  const limit = Math.min(text.length, start + maxChars);
  let index = start;
  while (index < limit) {
    const code = text.charCodeAt(index);
    if (code === 10) return { start, end: index, next: index + 1 };
    if (code === 13) return { start, end: index, next: text.charCodeAt(index + 1) === 10 ? index + 2 : index + 1 };
    if (code === 92) {
      const escaped = text.charAt(index + 1);
      if (escaped === "n") return { start, end: index, next: index + 2 };
      if (escaped === "r") return { start, end: index, next: text.startsWith("\\n", index + 2) ? index + 4 : index + 2 };
      index += 2; // \" \\ \t and the like stay inside the line
      continue;
    }
    index++;
  }
  return { start, end: Math.min(index, text.length), next: -1 };
}

/** Up to `count` lines from `start` on, read one by one as the caller asks for them. */
export function* linesFrom(text: string, start: number, count: number): Generator<TextLine> {
  let position = start;
  for (let read = 0; read < count && position !== -1 && position <= text.length; read++) {
    const line = lineFrom(text, position);
    yield line;
    if (line.next === -1 || line.next >= text.length) return;
    position = line.next;
  }
}

/** The whole lines that end before `end`, at most `maxChars` back, nearest last (the first, cut, line is dropped). */
export function linesBefore(text: string, end: number, maxChars = 4096): TextLine[] {
  const from = Math.max(0, end - maxChars);
  const lines: TextLine[] = [];
  let position = from;
  while (position !== -1 && position < end) {
    const line = lineFrom(text, position);
    if (line.end > end) break;
    lines.push(line);
    if (line.next === -1) break;
    position = line.next;
  }
  // A window that starts mid-line: its first line is a fragment.
  if (from > 0 && lines.length > 0) lines.shift();
  return lines;
}

/** Spaces (and tabs) a line starts with. */
export function indentOf(text: string, line: TextLine): number {
  let index = line.start;
  while (index < line.end && (text.charCodeAt(index) === 32 || text.charCodeAt(index) === 9)) index++;
  return index - line.start;
}
