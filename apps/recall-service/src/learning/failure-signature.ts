import { createHash } from "node:crypto";

/** Longest normalized error text kept (the pattern's error_pattern). */
const maxErrorChars = 500;

/** At most this many commands of a command line (`a | b && c`) count towards its shape. */
const maxSegments = 5;

/**
 * Rewrites the variable parts of an error text as placeholders, so the same failure met with
 * other paths, numbers or times reads the same: lower-case; URLs, quoted strings, paths,
 * timestamps, dates, times, UUIDs, IP addresses, e-mail addresses, hex hashes and numbers
 * replaced; whitespace collapsed; at most 500 characters.
 */
export function normalizeErrorText(text: string): string {
  return text
    .toLowerCase()
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/g, "<url>")
    .replace(/"[^"\n]*"|'[^'\n]*'|`[^`\n]*`|‘[^’\n]*’|“[^”\n]*”/g, "<str>")
    .replace(/(?:\b[a-z]:\\|\\\\)[^\s'"<>:,;()]*|(?<![\w<>])~?(?:\.{1,2})?\/[^\s'"<>:,;()]*/g, "<path>")
    .replace(/\b\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:z|[+-]\d{2}:?\d{2})?/g, "<time>")
    .replace(/\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* +\d{1,2}(?:,? \d{4})? +\d{1,2}:\d{2}(?::\d{2})?\b/g, "<time>")
    .replace(/\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g, "<date>")
    .replace(/\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\b/g, "<time>")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, "<uuid>")
    .replace(/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, "<ip>")
    .replace(/\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}\b/g, "<ip>")
    .replace(/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, "<email>")
    .replace(/\b(?:0x)?(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/g, "<hex>")
    .replace(/\b0x[0-9a-f]+\b/g, "<hex>")
    .replace(/\b\d+(?:\.\d+)*\b/g, "<n>")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, maxErrorChars);
}

/** Programs that only prefix the real command. */
const wrappers = new Set(["sudo", "doas", "env", "time", "nohup", "nice", "exec", "command", "builtin"]);

/**
 * A command line reduced to its shape: for each command of a pipeline or list, the program
 * (base name, lower-case, no .exe), its subcommand (a first plain word such as `restart`) and
 * the names of its flags (sorted, values dropped); arguments, paths, hosts and numbers dropped.
 * `sudo systemctl restart nginx` and `systemctl restart apache2` share the shape
 * "systemctl restart".
 */
export function commandShape(command: string): string {
  return splitSegments(command)
    .slice(0, maxSegments)
    .map(segmentShape)
    .filter((shape) => shape !== "")
    .join(" | ");
}

/** The pieces of a command line between |, ||, &&, ; and newlines, outside quotes. */
function splitSegments(command: string): string[][] {
  const segments: string[][] = [];
  let words: string[] = [];
  let word = "";
  let quote: string | undefined;
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endSegment = () => {
    endWord();
    if (words.length > 0) segments.push(words);
    words = [];
  };
  for (let i = 0; i < command.length; i++) {
    const c = command.charAt(i);
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "|" || c === ";" || c === "\n" || (c === "&" && command.charAt(i + 1) === "&")) {
      endSegment();
      if ((c === "|" || c === "&") && command.charAt(i + 1) === c) i++;
    } else if (/\s/.test(c)) {
      endWord();
    } else {
      word += c;
      inWord = true;
    }
  }
  endSegment();
  return segments;
}

function segmentShape(words: readonly string[]): string {
  let i = 0;
  // Leading variable assignments and wrappers (with their own flags) are not the command.
  for (;;) {
    const word = words[i];
    if (word === undefined) return "";
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) i++;
    else if (wrappers.has(word.toLowerCase())) {
      i++;
      while (words[i]?.startsWith("-")) i++;
    } else break;
  }
  const program = (words[i] ?? "")
    .replace(/^.*[\\/]/, "")
    .replace(/\.exe$/i, "")
    .toLowerCase();
  const rest = words.slice(i + 1);
  const first = rest[0];
  const subcommand = first !== undefined && /^[a-z][a-z-]*$/i.test(first) ? first.toLowerCase() : undefined;
  const flags = new Set(
    rest
      .filter((w) => /^--?[A-Za-z]/.test(w))
      .map((w) => w.replace(/=.*$/, ""))
      .map((w) => (w.startsWith("--") ? w.toLowerCase() : w)),
  );
  return [program, ...(subcommand ? [subcommand] : []), ...[...flags].sort()].join(" ");
}

/** The signature of a failure: SHA-256 (hex) of its normalized error text and command shape. */
export function failureSignature(errorText: string, command: string | null): string {
  return createHash("sha256")
    .update(`${normalizeErrorText(errorText)}\n${command === null ? "" : commandShape(command)}`)
    .digest("hex");
}
