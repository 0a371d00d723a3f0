// Small text helpers shared by the extractors: cleaning terminal output, shortening at word
// boundaries, splitting prose into sentences (English and CJK punctuation).

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007|\u001b[()][A-Z0-9]|\u001b[=>]/g;

export function stripAnsi(text: string): string {
  return text.includes("\u001b") ? text.replace(ANSI, "") : text;
}

/** One line: ANSI codes removed, whitespace runs collapsed. */
export function oneLine(text: string): string {
  return stripAnsi(text).replace(/\s+/g, " ").trim();
}

/** Shortens to at most `max` characters, cutting at a word boundary when one is near. */
export function shorten(text: string, max: number): string {
  const line = oneLine(text);
  if (line.length <= max) return line;
  const cut = line.slice(0, Math.max(1, max - 1));
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** Markdown decoration that carries no meaning in a one-line summary. */
export function plainText(text: string): string {
  return text
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/\*\*|__|`/g, "")
    .replace(/^#+\s*/gm, "")
    .replace(/^\s*[-*•]\s+/gm, "")
    .replace(/[✅✓❌✗🎯🔒🔥🚀💻🎉⚠️🔐🔗🛡️🌐📋]/gu, "")
    .trim();
}

/** Splits prose into sentences; keeps list items and lines as separate sentences. */
export function sentences(text: string): string[] {
  const result: string[] = [];
  for (const rawLine of plainText(text).split(/\n+/)) {
    const line = rawLine.trim();
    if (line === "") continue;
    for (const part of line.split(/(?<=[.!?])\s+(?=[A-Z(`"'])|(?<=[。！？；])/u)) {
      const sentence = part.trim();
      if (sentence.length > 1) result.push(sentence);
    }
  }
  return result;
}

/** A key for deduplication: lower case, digits and punctuation folded. */
export function dedupeKey(text: string): string {
  return oneLine(text)
    .toLowerCase()
    .replace(/\d+/g, "#")
    .replace(/[^\p{L}\p{N}#]+/gu, " ")
    .trim();
}

/** Keeps the first occurrence of each item by `key`. */
export function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  const result: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    result.push(item);
  }
  return result;
}

/** Text counts as CJK-heavy when a fifth of its letters are CJK ideographs or kana. */
export function isCjkHeavy(text: string): boolean {
  const cjk = text.match(/[\u3040-\u30ff\u3400-\u9fff]/g)?.length ?? 0;
  return cjk > 0 && cjk * 5 >= text.replace(/\s/g, "").length;
}
