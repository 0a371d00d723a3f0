import type { RedactionKind } from "./redaction-kinds";

/** One match of a rule, with the secret's place in the text. */
export interface Candidate {
  text: string;
  match: RegExpExecArray;
  /** The secret's bounds in `text`: only this part is replaced. */
  start: number;
  end: number;
  secret: string;
  /** Whether the secret was written between quotes (then it is a literal, never code). */
  quoted: boolean;
}

/**
 * A way secrets are written. `pattern` is global with indices (flags `gd`); the secret is the
 * first named group that matched among those named `s_*` (bare) or `q_*` (quoted). Everything
 * else in the match (the flag, the key, the scheme, the user) stays, so the text keeps its meaning.
 */
export interface SecretRule {
  name: string;
  kind: RedactionKind | ((candidate: Candidate) => RedactionKind | undefined);
  pattern: RegExp;
  /** Vetoes a candidate the pattern alone cannot judge (placeholders, hashes, prose). */
  accept?: (candidate: Candidate) => boolean;
  /**
   * For a match that holds several secrets (the `user:password` lines of a chpasswd here-document,
   * the values of a Kubernetes Secret's `data:`): the parts of the candidate that are secrets,
   * instead of the whole of it. Each part may carry the text it decodes to, which is then redacted
   * wherever else it appears (a base64 password printed decoded by `base64 -d`).
   */
  split?: (candidate: Candidate) => SecretPart[];
  /**
   * Lower-case words every match needs (rules/keywords.ts): the rule runs only on a text holding
   * one of them. Unset or null: it always runs.
   */
  keywords?: readonly string[] | null;
}

/** One secret inside a candidate, by its bounds in the text. */
export interface SecretPart {
  start: number;
  end: number;
  /** What the secret decodes to, when it was encoded (base64). */
  decoded?: string;
}

/** Builds a rule and checks its pattern flags, so a rule without `d` fails at load, not silently. */
export function secretRule(rule: SecretRule): SecretRule {
  if (!rule.pattern.global || !rule.pattern.hasIndices) {
    throw new Error(`secret rule ${rule.name}: pattern needs the g and d flags`);
  }
  return rule;
}

/** The secret of a match, or undefined when no secret group took part in it. */
export function candidateOf(text: string, match: RegExpExecArray): Candidate | undefined {
  const groups = match.indices?.groups;
  if (groups === undefined) return undefined;
  for (const name in groups) {
    const bounds = groups[name];
    if (bounds === undefined || !(name.startsWith("s_") || name.startsWith("q_"))) continue;
    const [start, end] = bounds;
    if (end <= start) return undefined;
    return { text, match, start, end, secret: text.slice(start, end), quoted: name.startsWith("q_") };
  }
  return undefined;
}

const tokenChar = /[A-Za-z0-9_-]/;

/**
 * The character before `index` as the decoded text would have it: in raw JSONL the letter of an
 * escaped newline or tab (`\n`, `\t`, `\r`) is not a letter but a line break, so `\nPASSWORD=x`
 * starts a key just as a real new line does.
 */
export function charBefore(text: string, index: number): string {
  const before = text.charAt(index - 1);
  return (before === "n" || before === "r" || before === "t") && text.charAt(index - 2) === "\\" ? "\n" : before;
}

/**
 * Whether `index` starts a token (the character before is not part of one). Patterns start on
 * a literal and leave this check to code: patterns that began with alternatives and look-behinds
 * made V8 try every position and redaction several times slower.
 */
export function startsToken(text: string, index: number): boolean {
  return index === 0 || !tokenChar.test(charBefore(text, index));
}

/**
 * Whether a key word found at `index` ends a key there rather than sitting inside another word:
 * after a non-letter (`db_pass`), as a camelCase tail (`dbPass`), as an upper-case env tail
 * (`PGPASSWORD`), or anywhere for long, unambiguous words (`mypassword`).
 */
export function isKeyWordAt(text: string, index: number, word: string, anyPrefix = false): boolean {
  if (anyPrefix || index === 0) return true;
  const before = charBefore(text, index);
  if (!/[A-Za-z]/.test(before)) return true;
  if (/^[A-Z][a-z]+$/.test(word)) return /[a-z0-9]/.test(before);
  return /^[A-Z]+$/.test(word) && /[A-Z]/.test(before);
}

/** A run of key characters ending at `end` (`DB_` before `PASSWORD`), so code can see the whole key. */
export function keyStart(text: string, end: number, keyChars = /[A-Za-z0-9_.-]/): number {
  let start = end;
  while (start > 0 && end - start < 80 && keyChars.test(charBefore(text, start))) start--;
  return start;
}

const commandBoundary = /[\r\n|;&]|\\n|\\r/g;

/** The shell command that `index` is part of: back to the last newline (plain or escaped), pipe, `;` or `&`, at most 300 characters. */
export function commandBefore(text: string, index: number): string {
  const window = text.slice(Math.max(0, index - 300), index);
  let start = 0;
  for (const boundary of window.matchAll(commandBoundary)) start = boundary.index + boundary[0].length;
  return window.slice(start);
}
