import { setNestedScanner } from "./base64-values";
import { redactionMarker, type RedactionKind } from "./redaction-kinds";
import { candidateOf, charBefore, type SecretRule } from "./secret-rule";
import { isPlaceholder } from "./secret-shape";
import { RangeSet, type TextRange } from "./span-set";
import { secretRules } from "./rules";

/** Where a secret of some kind lies in a text. */
export interface SecretSpan extends TextRange {
  kind: RedactionKind;
  /** The plain text of an encoded secret, to be redacted where it appears too. */
  decoded?: string;
}

/** Secrets already found elsewhere (in the same text or value), by their exact text. */
export type KnownSecrets = Map<string, RedactionKind>;

/**
 * Text never redacted: markers of an earlier pass (so redacting twice changes nothing), the base64
 * `signature` of thinking blocks, and base64 `data` (images), in plain or escaped JSON.
 */
const markerPattern = /\[REDACTED:[a-z_]+\]/g;
const contentValuePattern = /(?:signature|data)\\?"[ \t]*:[ \t]*\\?"[A-Za-z0-9+/=_-]{40,}/g;

/**
 * Calls `visit` with every match of a global pattern in `text`, in order, found with exec:
 * `matchAll` copies the pattern on each call, which over all rules cost about 40 µs per text,
 * however short (a client's name). The next search starts where this one ended whatever `visit`
 * did with the pattern (it may scan decoded text with the same rules).
 */
function forEachMatch(pattern: RegExp, text: string, visit: (match: RegExpExecArray) => void): void {
  for (let from = 0; from <= text.length; ) {
    pattern.lastIndex = from;
    const match = pattern.exec(text);
    if (match === null) break;
    from = match[0] === "" ? pattern.lastIndex + 1 : pattern.lastIndex;
    visit(match);
  }
  pattern.lastIndex = 0;
}

function protectedRanges(text: string): RangeSet<TextRange> {
  const ranges = new RangeSet<TextRange>();
  forEachMatch(markerPattern, text, (match) => ranges.add({ start: match.index, end: match.index + match[0].length }));
  forEachMatch(contentValuePattern, text, (match) => {
    // Only a JSON key (a quote before it): the pattern starts on the word, which is faster to find.
    if (text.charAt(match.index - 1) === '"') ranges.add({ start: match.index, end: match.index + match[0].length });
  });
  return ranges;
}

let patternsWarmed = false;

/**
 * V8 first interprets a regular expression and compiles it to machine code on its next use; a
 * first use on a whole transcript would run interpreted end to end. One use on a short text
 * first makes the first real redaction (a hook's only one) as fast as the later ones.
 */
function warmPatterns(): void {
  for (const rule of secretRules) {
    rule.pattern.lastIndex = 0;
    rule.pattern.exec("warm-up");
    rule.pattern.lastIndex = 0;
  }
  patternsWarmed = true;
}

/** Secrets found by the rules, most specific rule first; overlaps go to the earlier rule. */
function findByRules(text: string, blocked: RangeSet<TextRange>): RangeSet<SecretSpan> {
  if (!patternsWarmed && text.length > 10_000) warmPatterns();
  const found = new RangeSet<SecretSpan>();
  const lower = text.toLowerCase();
  for (const rule of secretRules) {
    if (!mayMatch(rule, lower)) continue;
    forEachMatch(rule.pattern, text, (match) => {
      const candidate = candidateOf(text, match);
      if (candidate === undefined) return;
      // A rule that splits its match checks each part for overlaps instead of the whole.
      if (rule.split === undefined && (blocked.overlaps(candidate.start, candidate.end) || found.overlaps(candidate.start, candidate.end)))
        return;
      if (rule.accept !== undefined && !rule.accept(candidate)) return;
      const kind = typeof rule.kind === "function" ? rule.kind(candidate) : rule.kind;
      if (kind === undefined) return;
      if (rule.split === undefined) {
        found.add({ start: candidate.start, end: candidate.end, kind });
        return;
      }
      for (const part of rule.split(candidate)) {
        if (part.end <= part.start || blocked.overlaps(part.start, part.end) || found.overlaps(part.start, part.end)) continue;
        found.add({ start: part.start, end: part.end, kind, ...(part.decoded !== undefined ? { decoded: part.decoded } : {}) });
      }
    });
  }
  return found;
}

/** Whether `rule` can match a text whose lower-case form is `lower`: it holds one of the rule's keywords. */
export function mayMatch(rule: SecretRule, lower: string): boolean {
  const keywords = rule.keywords;
  if (keywords === undefined || keywords === null) return true;
  for (const keyword of keywords) if (lower.includes(keyword)) return true;
  return false;
}

/**
 * A secret worth looking for elsewhere in the text: long and specific enough that each other
 * occurrence is that secret (`secure2025`), not a word that happens to be someone's password.
 * Letters alone never qualify: a wrongly redacted word must not spread over the whole text.
 */
function isDistinctive(secret: string): boolean {
  if (secret.length < 8 || secret.length > 512 || isPlaceholder(secret)) return false;
  return /[A-Za-z]/.test(secret) && /[^A-Za-z]/.test(secret) && !/\s/.test(secret);
}

/** The distinctive secrets among `spans`, to be redacted wherever else they appear. */
export function learnSecrets(text: string, spans: readonly SecretSpan[], into: KnownSecrets = new Map()): KnownSecrets {
  for (const span of spans) {
    const secret = text.slice(span.start, span.end);
    if (isDistinctive(secret) && !into.has(secret)) into.set(secret, span.kind);
    if (span.decoded !== undefined && isDistinctive(span.decoded) && !into.has(span.decoded)) into.set(span.decoded, span.kind);
  }
  return into;
}

const wordChar = /[A-Za-z0-9]/;

/** Other occurrences of known secrets, as whole tokens (not inside a longer word). */
function findKnown(text: string, known: KnownSecrets, found: RangeSet<SecretSpan>, blocked: RangeSet<TextRange>): void {
  for (const [secret, kind] of known) {
    for (let start = text.indexOf(secret); start !== -1; start = text.indexOf(secret, start + 1)) {
      const end = start + secret.length;
      if (wordChar.test(charBefore(text, start)) || wordChar.test(text.charAt(end))) continue;
      if (blocked.overlaps(start, end) || found.overlaps(start, end)) continue;
      found.add({ start, end, kind });
    }
  }
}

/**
 * Every secret in `text`, sorted by position: what the rules find, then every other occurrence
 * of a distinctive secret they found (a password set by `htpasswd` and repeated in prose).
 */
export function findSecrets(text: string): SecretSpan[] {
  const blocked = protectedRanges(text);
  const found = findByRules(text, blocked);
  const learned = learnSecrets(text, found.toArray());
  if (learned.size > 0) findKnown(text, learned, found, blocked);
  return [...found.toArray()];
}

// Decoded base64 is scanned with the whole redactor (a connection string with its password).
setNestedScanner((text) => findSecrets(text).length > 0);

/** `spans` (from findSecrets) plus the occurrences in `text` of secrets found elsewhere. */
export function withKnownSecrets(text: string, spans: readonly SecretSpan[], known: KnownSecrets): SecretSpan[] {
  if (known.size === 0) return [...spans];
  const found = new RangeSet<SecretSpan>();
  for (const span of spans) found.add(span);
  findKnown(text, known, found, protectedRanges(text));
  return [...found.toArray()];
}

/** `text` with each span replaced by its marker. */
export function replaceSpans(text: string, spans: readonly SecretSpan[]): string {
  let result = "";
  let position = 0;
  for (const span of spans) {
    result += text.slice(position, span.start) + redactionMarker(span.kind);
    position = span.end;
  }
  return result + text.slice(position);
}
