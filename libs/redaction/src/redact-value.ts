import { countByKind, redactionMarker, type Redaction, type RedactionKind } from "./redaction-kinds";
import { findSecrets, learnSecrets, replaceSpans, withKnownSecrets, type KnownSecrets, type SecretSpan } from "./find-secrets";
import { describeType } from "./redact-text";
import { isSecretManifestValue } from "./base64-values";

// Redaction of parsed JSON (a transcript record, a tool input, a config object). Keys tell more
// than text can: whatever sits under `password` or `authorization` is a secret, whatever sits
// under `signature` is a thinking block's signature and stays as it is.

/** Normalised key names (lower case, no `_`/`-`) whose string values are secrets, and the kind to report. */
const secretKeyKinds: ReadonlyArray<[RegExp, RedactionKind]> = [
  [/(?:password|passwd|passphrase|^pwd|^pass)$/, "password"],
  [/privatekey$/, "private_key"],
  [/(?:^|proxy)authorization$/, "authorization_header"],
  [/^(?:set)?cookies?$/, "cookie"],
  [
    /(?:secret|token|apikey|secretkey|accesskey|clientsecret|credentials?|authkey|sessionkey|signingkey|encryptionkey)$/,
    "secret_assignment",
  ],
];

/** Keys under which base64 is content (signatures, images, files), never a secret. */
const contentKeys = /^(?:signature|data|image|imagedata|bytes|base64|thumbnail)$/;
const base64Only = /^[A-Za-z0-9+/=_-]*$/;

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[_\-\s.]/g, "");
}

function secretKindOfKey(key: string): RedactionKind | undefined {
  const normalised = normaliseKey(key);
  if (/(?:tokens|count|type|name|id|ids|url|uri|file|path|expires?|expiry|ttl|length|hash|ref)$/.test(normalised)) return undefined;
  return secretKeyKinds.find(([pattern]) => pattern.test(normalised))?.[1];
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

interface WalkContext {
  secretKind: RedactionKind | undefined;
  contentKey: boolean;
  /** Inside `data` or `stringData` of an object whose kind is Secret. */
  manifestData?: "data" | "stringData" | undefined;
  path: string;
  seen: Set<object>;
}

/** Walks a JSON-like value once, with what each string is: a secret by its key, content, or text to scan. */
function walk(
  value: unknown,
  visit: (text: string, context: { secretKind: RedactionKind | undefined; contentKey: boolean }) => string,
  context: WalkContext,
): unknown {
  if (typeof value === "string") return visit(value, context);
  if (value === null || value === undefined || typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return value;
  if (value instanceof Date) return value;
  if (typeof value !== "object") throw new TypeError(`redactValue: unsupported ${typeof value} at ${context.path}`);
  if (context.seen.has(value)) throw new TypeError(`redactValue: cyclic value at ${context.path}`);
  context.seen.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((item, index) =>
        walk(item, visit, { ...context, contentKey: false, manifestData: undefined, path: `${context.path}[${index}]` }),
      );
    }
    if (!isPlainObject(value)) throw new TypeError(`redactValue: unsupported ${describeType(value)} at ${context.path}`);
    const result: Record<string, unknown> = {};
    const secretManifest = value["kind"] === "Secret";
    for (const [key, item] of Object.entries(value)) {
      // A Kubernetes Secret's values are judged by what they decode to (a `url` may hold a password).
      const manifestData = context.manifestData;
      const manifestKind =
        manifestData !== undefined && typeof item === "string" && isSecretManifestValue(key, item, manifestData === "data")
          ? "encoded_secret"
          : undefined;
      result[key] = walk(item, visit, {
        ...context,
        secretKind: context.secretKind ?? manifestKind ?? secretKindOfKey(key),
        contentKey: manifestData === undefined && contentKeys.test(normaliseKey(key)),
        manifestData: secretManifest && (key === "data" || key === "stringData") ? key : undefined,
        path: `${context.path}.${key}`,
      });
    }
    return result;
  } finally {
    context.seen.delete(value);
  }
}

/**
 * Redacts every string inside a JSON-like value (objects, arrays), returning a new value. String
 * values under keys that name secrets are replaced whole; base64 under `signature`/`data`/`image`
 * stays; a secret found in one string is also redacted where it repeats in another.
 */
export function redactValue<T>(value: T): { value: T; redactions: Redaction[]; total: number } {
  const kinds: RedactionKind[] = [];
  const spansByText = new Map<string, SecretSpan[]>();
  const known: KnownSecrets = new Map();
  const skipsScan = (text: string, contentKey: boolean): boolean => contentKey && base64Only.test(text);

  // First pass: find what each string holds and learn the secrets, so the second pass can also
  // redact a password that one field sets and another only repeats.
  walk(
    value,
    (text, { secretKind, contentKey }) => {
      if (secretKind !== undefined && text.length > 0) {
        if (!text.startsWith("[REDACTED:")) learnSecrets(text, [{ start: 0, end: text.length, kind: secretKind }], known);
      } else if (!skipsScan(text, contentKey) && !spansByText.has(text)) {
        const spans = findSecrets(text);
        spansByText.set(text, spans);
        learnSecrets(text, spans, known);
      }
      return text;
    },
    { secretKind: undefined, contentKey: false, path: "$", seen: new Set() },
  );

  const redacted = walk(
    value,
    (text, { secretKind, contentKey }) => {
      if (secretKind !== undefined && text.length > 0) {
        if (text === redactionMarker(secretKind) || /^\[REDACTED:[a-z_]+\]$/.test(text)) return text;
        kinds.push(secretKind);
        return redactionMarker(secretKind);
      }
      if (skipsScan(text, contentKey)) return text;
      const spans = withKnownSecrets(text, spansByText.get(text) ?? findSecrets(text), known);
      for (const span of spans) kinds.push(span.kind);
      return replaceSpans(text, spans);
    },
    { secretKind: undefined, contentKey: false, path: "$", seen: new Set() },
  );
  return { value: redacted as T, redactions: countByKind(kinds), total: kinds.length };
}
