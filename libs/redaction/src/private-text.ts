// Text a technician marks `<private>...</private>` in a prompt never leaves the machine: it is
// replaced by `[private]` before a hook sends anything and before a transcript is uploaded or
// kept in the spool. This module loads no redaction rules, so a hook can use it at no cost.

/** What stands where private text was. */
export const privateMarker = "[private]";

const openTag = /<private>/i;
/** A private block; an unclosed tag hides everything after it (fail closed). */
const privateBlock = /<private>[\s\S]*?(?:<\/private>|$)/gi;

/** Whether `text` holds a private block at all (cheap: one search). */
export function hasPrivateText(text: string): boolean {
  return openTag.test(text);
}

/** `text` with every `<private>...</private>` block replaced by `[private]`. */
export function stripPrivate(text: string): string {
  if (!openTag.test(text)) return text;
  return text.replace(privateBlock, privateMarker);
}

/** The private blocks' contents, for finding where the session repeated them. */
export function privateContents(text: string): string[] {
  const contents: string[] = [];
  for (const match of text.matchAll(privateBlock)) contents.push(match[0].replace(/^<private>/i, "").replace(/<\/private>$/i, ""));
  return contents;
}

/**
 * The parts of private text that identify it wherever it is repeated: the whole of it when it is
 * one line, and each word of it that is specific (six characters or more with a digit or a symbol:
 * a password, an address, a key), never a plain word, which would blank out ordinary text.
 */
export function privateTerms(contents: readonly string[]): string[] {
  const terms = new Set<string>();
  for (const content of contents) {
    const whole = content.trim();
    if (whole.length >= 8 && !/[\r\n"\\]/.test(whole)) terms.add(whole);
    for (const word of whole.split(/\s+/)) {
      const term = word.replace(/^[("'`[{<]+|[)"'`\]}>.,;:!?]+$/g, "");
      if (term.length >= 6 && /[A-Za-z0-9]/.test(term) && /[^A-Za-z]/.test(term) && !/["\\]/.test(term)) terms.add(term);
    }
  }
  return [...terms].sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Every occurrence of a term, as a whole token, replaced by the marker. */
function withoutTerms(text: string, terms: readonly string[]): string {
  if (terms.length === 0) return text;
  // A term may follow an escaped line break (`\nhunter2` in raw JSONL): that `n` is no letter.
  const pattern = new RegExp(`(?:(?<=\\\\[nrt])|(?<![A-Za-z0-9]))(?:${terms.map(escapeRegExp).join("|")})(?![A-Za-z0-9])`, "g");
  return text.replace(pattern, privateMarker);
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function stripStrings(value: Json, found: string[]): Json {
  if (typeof value === "string") {
    if (!openTag.test(value)) return value;
    found.push(...privateContents(value));
    return stripPrivate(value);
  }
  if (Array.isArray(value)) return value.map((item) => stripStrings(item, found));
  if (value !== null && typeof value === "object") {
    const result: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value)) result[key] = stripStrings(item, found);
    return result;
  }
  return value;
}

/**
 * A Claude Code transcript (JSON lines) with its private blocks replaced, in every string of every
 * record (the prompt, and wherever Claude Code copied it), each line still valid JSON; a line that
 * is not JSON is stripped as text. What the blocks held is also removed where the session repeated
 * it outside them (Claude using the password it was given). A transcript without `<private>` is
 * returned as it is, unparsed.
 */
export function stripPrivateTranscript(text: string): string {
  if (!openTag.test(text)) return text;
  const found: string[] = [];
  const lines = text.split("\n").map((line) => {
    if (!openTag.test(line)) return line;
    try {
      return JSON.stringify(stripStrings(JSON.parse(line) as Json, found));
    } catch {
      // A torn line: strip what it holds as text; its closing quote may go with an unclosed block, it did not parse anyway.
      found.push(...privateContents(line));
      return stripPrivate(line);
    }
  });
  const terms = privateTerms(found);
  return (terms.length === 0 ? lines : lines.map((line) => withoutTerms(line, terms))).join("\n");
}

/**
 * The specific terms of the private blocks in `text` (see privateTerms), so that a hook can keep
 * them out of later records of the session: Claude runs the command with the password it was given.
 */
export function privateTermsOf(text: string): string[] {
  return openTag.test(text) ? privateTerms(privateContents(text)) : [];
}

/**
 * Private terms remembered between hook processes as keyed digests (HMAC-SHA-256 under a random
 * key of the session), never as text: the config folder holds no private text, even hashed
 * without a key. node:crypto loads only when a session has private text.
 */
export interface PrivateDigests {
  key: string;
  digests: string[];
}

function crypto(): typeof import("node:crypto") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("node:crypto") as typeof import("node:crypto");
}

function digestOf(term: string, key: string): string {
  return crypto().createHmac("sha256", key).update(term).digest("hex").slice(0, 32);
}

/** `known` with the digests of `terms` added (a fresh key when there is none yet). */
export function rememberPrivateTerms(known: PrivateDigests | undefined, terms: readonly string[]): PrivateDigests {
  const key = known?.key ?? crypto().randomBytes(16).toString("hex");
  const digests = new Set(known?.digests ?? []);
  for (const term of terms) digests.add(digestOf(term, key));
  return { key, digests: [...digests] };
}

/** `text` with every token whose digest is remembered replaced by `[private]`. */
export function withoutPrivateTerms(text: string, known: PrivateDigests | undefined): string {
  if (!known || known.digests.length === 0 || text === "") return text;
  const digests = new Set(known.digests);
  return text.replace(/[^\s"'`=,;()<>|&]+/g, (token) => {
    const core = token.replace(/^[[{]+|[.,;:!?)\]}]+$/g, "");
    if (core.length < 6) return token;
    if (digests.has(digestOf(core, known.key))) return token.replace(core, privateMarker);
    // user:password, user@host, http://host/path: each part between separators
    return token.replace(/[^:@/?#]{6,}/g, (part) => (digests.has(digestOf(part, known.key)) ? privateMarker : part));
  });
}
