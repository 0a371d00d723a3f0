import { decodeBase64, isEncodedSecret, isSecretManifestValue, keyNamesSecret, printableText } from "../base64-values";
import { charBefore, keyStart, secretRule, startsToken, type Candidate, type SecretPart, type SecretRule } from "../secret-rule";
import { assignmentSeparator, optionalQuote } from "../pattern-parts";
import { indentOf, lineFrom, linesBefore, linesFrom, type TextLine } from "../text-lines";

// Base64-encoded secrets. A Kubernetes Secret keeps every value of its `data:` base64-encoded,
// so the password rules, which read `password: hunter2`, see only letters and digits there; a
// `url:` under it may hold a whole connection string with its password. Each value is decoded
// and judged by what it holds (see isEncodedSecret); the key stays, only the value goes.

/** Lines read after `data:`, at most. */
const maxBlockLines = 400;

/** One `key: value` of a YAML mapping, with the value's bounds and the lines that continue it. */
interface YamlEntry {
  key: string;
  /** The value's parts (one, or the lines of a block scalar), without quotes. */
  parts: Array<{ start: number; end: number }>;
}

const yamlEntryPattern =
  /^(?<key>\\?"[^"\\]{1,253}\\?"|'[^']{1,253}'|[^\s:#"'][^:#]{0,252}?)[ \t]*:(?:[ \t]+(?<value>[^#]*?))?[ \t]*(?:[ \t]#.*)?$/d;

/** The line's text without its indentation and a list dash (`- `). */
function contentOf(text: string, line: TextLine): { offset: number; body: string; dash: boolean } {
  const indent = indentOf(text, line);
  const body = text.slice(line.start + indent, line.end);
  const dash = body.startsWith("- ");
  return { offset: line.start + indent + (dash ? 2 : 0), body: dash ? body.slice(2) : body, dash };
}

/** Indentation counting a list dash as indentation (`- kind: Secret` sits where `kind` starts). */
function effectiveIndent(text: string, line: TextLine): number {
  const { offset } = contentOf(text, line);
  return offset - line.start;
}

function isBlank(text: string, line: TextLine): boolean {
  const body = text.slice(line.start, line.end).trim();
  return body === "" || body.startsWith("#");
}

function isDocumentBreak(text: string, line: TextLine): boolean {
  return /^(?:---|\.\.\.)(?:\s|$)/.test(text.slice(line.start, line.end));
}

/** Bounds of a scalar without its quotes (`"..."`, `'...'`, `\"...\"`). */
function unquoted(text: string, start: number, end: number): { start: number; end: number } {
  const value = text.slice(start, end);
  for (const quote of ['\\"', '"', "'"]) {
    if (value.length >= quote.length * 2 && value.startsWith(quote) && value.endsWith(quote))
      return { start: start + quote.length, end: end - quote.length };
  }
  return { start, end };
}

/** The entries of the mapping that starts on the line after `data:` (the lines indented deeper than `data:`). */
function yamlEntries(text: string, from: number, parentIndent: number): { entries: YamlEntry[]; lines: TextLine[] } {
  const entries: YamlEntry[] = [];
  const lines = linesFrom(text, from, maxBlockLines);
  const read: TextLine[] = [];
  let entryIndent = -1;
  for (const line of lines) {
    if (isBlank(text, line)) {
      read.push(line);
      continue;
    }
    if (isDocumentBreak(text, line)) break;
    const indent = indentOf(text, line);
    if (indent <= parentIndent) break;
    if (entryIndent === -1) entryIndent = indent;
    if (indent < entryIndent) break;
    read.push(line);
    const current = entries.at(-1);
    if (indent > entryIndent) {
      // A block scalar or a folded value: its lines belong to the entry above.
      if (current) current.parts.push({ start: line.start + indent, end: line.end });
      continue;
    }
    const body = text.slice(line.start + indent, line.end);
    const match = yamlEntryPattern.exec(body);
    if (!match?.groups) {
      entries.push({ key: "", parts: [] });
      continue;
    }
    const key = (match.groups["key"] ?? "").replace(/^\\?["']|\\?["']$/g, "");
    // In raw JSONL the last line of a string runs into its closing quote (`cGFz"}]`): base64 holds no quote.
    let value = match.groups["value"] ?? "";
    if (!/^\\?["']/.test(value)) value = value.replace(/[ \t]*\\?".*$/, "");
    const parts: YamlEntry["parts"] = [];
    if (value !== "" && !/^[|>][+-]?\d*$/.test(value)) {
      const start = line.start + indent + (match.indices?.groups?.["value"]?.[0] ?? body.length);
      parts.push(unquoted(text, start, start + value.length));
    }
    entries.push({ key, parts });
  }
  return { entries, lines: read };
}

// A line that starts a JSON string (`"content":"kind: Secret\n...`) has the string's opening before it.
const yamlSecretKind = /(?:^|")kind:[ \t]*(?:\\?["'])?Secret(?:\\?["'])?[ \t]*(?:#.*)?$/;

/**
 * Whether the mapping holding the `data:` line at `dataLine` is a Kubernetes Secret: a sibling
 * `kind: Secret` line (same indentation) in the same document or list item, before or after.
 */
function isSecretManifest(text: string, dataLine: TextLine, blockEnd: number): boolean {
  const indent = effectiveIndent(text, dataLine);
  const sibling = (line: TextLine): "secret" | "stop" | "go" => {
    if (isBlank(text, line)) return "go";
    if (isDocumentBreak(text, line)) return "stop";
    const lineIndent = effectiveIndent(text, line);
    const { body, dash } = contentOf(text, line);
    if (lineIndent === indent && yamlSecretKind.test(body)) return "secret";
    if (lineIndent < indent || (dash && lineIndent === indent)) return "stop";
    return "go";
  };
  const before = linesBefore(text, dataLine.start, 6000);
  for (let index = before.length - 1; index >= 0; index--) {
    const line = before[index]!;
    const verdict = sibling(line);
    if (verdict === "secret") return true;
    // The line that opens a list item (`- apiVersion: v1`) is the item's first sibling: read it, then stop.
    if (verdict === "stop" || (contentOf(text, line).dash && effectiveIndent(text, line) === indent)) break;
  }
  if (blockEnd === -1) return false;
  for (const line of linesFrom(text, blockEnd, 200)) {
    const verdict = sibling(line);
    if (verdict === "secret") return true;
    if (verdict === "stop") return false;
  }
  return false;
}

/**
 * The line that `data:` at `index` starts, when only indentation (and a list dash) comes before it
 * on its line; undefined when it sits inside a line. Reads back over the indentation only.
 */
function lineStartingAt(text: string, index: number): TextLine | undefined {
  let start = index;
  while (start > 0 && start > index - 200 && /[ \t-]/.test(text.charAt(start - 1))) start--;
  const before = charBefore(text, start);
  // A line start: the text's, a line break's (plain or escaped), or a JSON string's opening quote.
  if (start !== 0 && before !== "\n" && before !== "\r" && !(before === '"' && text.charAt(start - 2) !== "\\")) return undefined;
  if (!/^[ \t]*(?:- )?$/.test(text.slice(start, index))) return undefined;
  return lineFrom(text, start);
}

/** A decoded value for learning: short single-line text only (a password, not a file). */
function learnable(bytes: Buffer): string | undefined {
  const text = printableText(bytes)?.trim();
  return text !== undefined && text.length <= 256 && !/[\r\n]/.test(text) ? text : undefined;
}

/** The parts of one entry that are secrets: all of its value, or nothing. */
function judgeEntry(text: string, entry: YamlEntry, encoded: boolean): SecretPart[] {
  if (entry.parts.length === 0) return [];
  const value = entry.parts.map((part) => text.slice(part.start, part.end).trim()).join(encoded ? "" : "\n");
  if (!isSecretManifestValue(entry.key, value, encoded)) return [];
  const bytes = encoded ? decodeBase64(value) : undefined;
  const decoded = bytes === undefined ? undefined : learnable(bytes);
  return entry.parts.map((part) => ({ ...part, ...(decoded !== undefined ? { decoded } : {}) }));
}

/** `data:` (base64) or `stringData:` (plain) of a Secret in YAML: each value that is a secret. */
function yamlSecretValues(candidate: Candidate): SecretPart[] {
  const { text, match } = candidate;
  const dataLine = lineStartingAt(text, match.index);
  if (dataLine === undefined) return [];
  const { entries, lines } = yamlEntries(text, candidate.end, effectiveIndent(text, dataLine));
  if (entries.length === 0) return [];
  const blockEnd = lines.at(-1)?.next ?? -1;
  if (!isSecretManifest(text, dataLine, blockEnd)) return [];
  const encoded = !match[0].startsWith("stringData");
  return entries.flatMap((entry) => judgeEntry(text, entry, encoded));
}

/** `"key": "value"` items of a JSON object, plain or JSON-escaped, up to its closing brace. */
const jsonItemPattern = /(?:[\s,]|\\[nrt])*(\\?)"([^"\\]{1,253})\1"[ \t]*:[ \t]*(\\?)"([^"\\]{0,16384})\3"/y;
const jsonSecretKind = /\\?"kind\\?"[ \t]*:[ \t]*\\?"Secret\\?"/;

/** `"data": {...}` of a Secret in JSON (`kubectl get secret -o json`): each value that is a secret. */
function jsonSecretValues(candidate: Candidate): SecretPart[] {
  const { text, match } = candidate;
  const window = text.slice(Math.max(0, match.index - 4000), Math.min(text.length, match.index + 8000));
  if (!jsonSecretKind.test(window)) return [];
  const encoded = !match[0].startsWith("stringData");
  const parts: SecretPart[] = [];
  // A fresh pattern per call: judging a value may scan its decoded text, and with it this rule, again.
  const items = new RegExp(jsonItemPattern.source, "y");
  items.lastIndex = match.index + match[0].length;
  let count = 0;
  for (let item = items.exec(text); item && count < maxBlockLines; item = items.exec(text), count++) {
    const valueStart = (item.index ?? 0) + item[0].length - (item[3] ?? "").length - 1 - (item[4] ?? "").length;
    const entry: YamlEntry = { key: item[2] ?? "", parts: [{ start: valueStart, end: valueStart + (item[4] ?? "").length }] };
    parts.push(...judgeEntry(text, entry, encoded));
  }
  return parts;
}

/** An encoded value on its own (`echo ... | base64 -d`, `KEY_B64=...`). */
const encodedValue = String.raw`(?<s_1>[A-Za-z0-9+/_-]{4,16384}={0,2})(?![A-Za-z0-9+/=_-])`;

/** The whole key before the separator of an assignment found at its key word. */
function assignedKey(candidate: Candidate): string {
  const { text, match } = candidate;
  const wordEnd = match.index + (match.groups?.["word"]?.length ?? 0) + (match.groups?.["tail"]?.length ?? 0);
  return text.slice(keyStart(text, match.index), wordEnd).replace(/^[-.]+/, "");
}

export const base64Rules: readonly SecretRule[] = [
  secretRule({
    // data:\n  password: cGFzc3dvcmQxMjM=\n  url: cG9zdGdyZXNxbDovL...  under kind: Secret
    name: "kubernetes-secret-data-yaml",
    kind: "encoded_secret",
    pattern: /(?:stringD|d)ata:[ \t]*(?:#[^\r\n\\]*)?(?<s_1>\r?\n|(?:\\r)?\\n|\r)/dg,
    accept: (candidate) => lineStartingAt(candidate.text, candidate.match.index) !== undefined,
    split: yamlSecretValues,
  }),
  secretRule({
    name: "kubernetes-secret-data-json",
    kind: "encoded_secret",
    pattern: /(?:stringD|d)ata\\?"[ \t]*:[ \t]*(?<s_1>\{)/dg,
    accept: (candidate) => candidate.text.charAt(candidate.match.index - 1) === '"',
    split: jsonSecretValues,
  }),
  secretRule({
    // echo cGFzc3dvcmQxMjM= | base64 -d, base64 --decode <<< "..."
    name: "base64-decoded-command",
    kind: "encoded_secret",
    pattern: new RegExp(
      String.raw`(?:(?:echo|printf)[ \t]+(?:-[neE]{1,3}[ \t]+)?${optionalQuote}${encodedValue}${optionalQuote}[ \t]*\|[ \t]*(?:base64[ \t]+(?:-d|--decode|-D)|openssl[ \t]+(?:base64|enc[ \t]+-base64)[ \t]+-d)|base64[ \t]+(?:-d|--decode|-D)[ \t]+<<<[ \t]*${optionalQuote}${encodedValue.replace("s_1", "s_2")})`,
      "gd",
    ),
    accept: (candidate) => startsToken(candidate.text, candidate.match.index),
    split: (candidate) => {
      const bytes = decodeBase64(candidate.secret);
      if (bytes === undefined || !isEncodedSecret(bytes, "decoded-command")) return [];
      const decoded = learnable(bytes);
      return [{ start: candidate.start, end: candidate.end, ...(decoded !== undefined ? { decoded } : {}) }];
    },
  }),
];

/**
 * Base64 under a key that names a secret, which the other rules left (too short for a token, or
 * under a name they do not read): `API_KEY_B64=YWJjMTIz`, `secret: c2VjcmV0` in YAML or JSON.
 * Runs last; only values that really decode (to text, or to 16 bytes or more) are taken.
 */
export const base64KeyRules: readonly SecretRule[] = [
  secretRule({
    name: "base64-under-secret-key",
    kind: "encoded_secret",
    pattern: new RegExp(
      String.raw`(?<word>pass(?:word|wd|phrase)?|pwd|secret|token|key|credentials?|auth)(?<tail>[A-Za-z0-9_.-]{0,40}?)${assignmentSeparator}${optionalQuote}${encodedValue}`,
      "gdi",
    ),
    accept: (candidate) => {
      const key = assignedKey(candidate);
      if (!keyNamesSecret(key, true) || candidate.secret.startsWith("[REDACTED")) return false;
      // "token: expired soon": a word followed by more words is prose.
      if (/^[A-Za-z]+$/.test(candidate.secret) && /^[ \t]+[A-Za-z]/.test(candidate.text.slice(candidate.end, candidate.end + 2)))
        return false;
      const bytes = decodeBase64(candidate.secret);
      return bytes !== undefined && isEncodedSecret(bytes, "secret-key") && (printableText(bytes) !== undefined || bytes.length >= 16);
    },
    split: (candidate) => {
      const bytes = decodeBase64(candidate.secret);
      const decoded = bytes === undefined ? undefined : learnable(bytes);
      return [{ start: candidate.start, end: candidate.end, ...(decoded !== undefined ? { decoded } : {}) }];
    },
  }),
];
