// Regular-expression fragments shared by the rules. They read both plain text and the raw
// JSONL of a transcript, where quotes are `\"` and newlines `\n`: a secret never ends inside an
// escape sequence and never takes a closing quote with it, so a redacted JSON line still parses.

let groupCount = 0;

/** A fresh capture-group name, so one pattern can hold several alternative secret groups. */
function groupName(prefix: "s" | "q"): string {
  groupCount += 1;
  return `${prefix}_${groupCount}`;
}

/**
 * The longest value a rule reads. Every repetition in a pattern is bounded, so text built to
 * make a pattern backtrack (a long line with many `password: '` and no closing quote) costs
 * time in proportion to its length, not to its square.
 */
const maxValueLength = 4096;

/** Characters of an unquoted value: anything up to whitespace, a quote, a separator or an escape. */
export const bareChar = String.raw`(?:[^\s"'${"`"}\\,;)\]}<>|&]|\\\\)`;

/** An unquoted value as a secret group; it does not start like an object, array or call. */
export function bareSecret(): string {
  return String.raw`(?<${groupName("s")}>(?![{[(])${bareChar}{1,${maxValueLength}})`;
}

function quotedWith(open: string, close: string, quote: string): string {
  return String.raw`${open}(?<${groupName("q")}>(?:[^${quote}\\\r\n]|\\\\){1,${maxValueLength}})${close}`;
}

/** A quoted value: JSON-escaped `\"...\"`, then "...", '...' and `...`; the quotes stay. */
export function quotedSecret(): string {
  return `(?:${[
    quotedWith(String.raw`\\"`, String.raw`\\"`, '"'),
    quotedWith('"', '"', '"'),
    quotedWith("'", "'", "'"),
    quotedWith("`", "`", "`"),
  ].join("|")})`;
}

/** A quoted or unquoted value. */
export function secretValue(): string {
  return `(?:${quotedSecret()}|${bareSecret()})`;
}

/** An optional quote before a value, plain or JSON-escaped. */
export const optionalQuote = String.raw`(?:\\?["'])?`;

/** `=`, `:`, `=>`, `:=` between a key and its value, with markdown bold around it (`**Password:**`). */
export const assignmentSeparator = String.raw`${optionalQuote}(?:\*\*)?[ \t]*(?:=>|:=|={1,3}|:)[ \t]*(?:\*\*)?[ \t]*`;

/** Between a command-line flag and its value: `=`, spaces, or `", "` inside a JSON array of arguments. */
export const flagSeparator = String.raw`(?:[ \t]*=[ \t]*|[ \t]+|${optionalQuote}[ \t]*,[ \t]*)`;

/**
 * A character that continues a token, for look-behinds: in raw JSONL the `n` of an escaped
 * newline (`\n`) is a line break, not a letter, so a token may start right after it.
 */
export const tokenCharBefore = String.raw`(?:[A-MO-QSU-Za-mo-qsu-z0-9_-]|(?<!\\)[NRTnrt])`; // no n/r/t in the class: patterns with the i flag fold case

/** Where a token ends: not inside a longer word of token characters (its start is checked by startsToken). */
export const tokenEnd = String.raw`(?![A-Za-z0-9_-])`;
