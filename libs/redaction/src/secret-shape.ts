// Judgements about what a candidate value looks like: random, a hash, a path, a placeholder.
// Rules use them to keep references (`$DB_PASSWORD`, `process.env.TOKEN`) and content
// identifiers (hashes, UUIDs) out of the redaction.

/** Shannon entropy of the characters of `value`, in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const hexPattern = /^(?:0x)?[0-9a-f]+$/i;
const digestPattern = /^(?:sha1|sha224|sha256|sha384|sha512|md5|blake2b?|blake3)[:-][A-Za-z0-9+/=_-]+$/i;
const versionPattern = /^v?\d+(?:\.\d+)+(?:[-+][\w.-]+)?$/;
const pathPattern = /^(?:[A-Za-z]:)?(?:~|\.{1,2})?[/\\][\w.@ +-]*(?:[/\\][\w.@ +-]*)*$|^[\w.-]+(?:\/[\w.-]+){2,}$/;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/** Hex digests (sha1/sha256/sha512, git commit ids) and labelled digests (`sha256:...`, `sha512-...`). */
export function isContentHash(value: string): boolean {
  return digestPattern.test(value) || (hexPattern.test(value) && [7, 8, 12, 16, 32, 40, 56, 64, 96, 128].includes(value.length));
}

export function isPathLike(value: string): boolean {
  return pathPattern.test(value) && !/[+=]/.test(value);
}

const placeholderWords = new Set([
  "",
  "null",
  "none",
  "nil",
  "undefined",
  "true",
  "false",
  "yes",
  "no",
  "required",
  "optional",
  "string",
  "str",
  "number",
  "int",
  "integer",
  "bool",
  "boolean",
  "bytes",
  "any",
  "unknown",
  "object",
  "text",
  "varchar",
  "char",
  "secretstr",
  "redacted",
  "hidden",
  "masked",
  "empty",
  "n/a",
  "tbd",
  "todo",
  "env",
  "prompt",
  "stdin",
]);

/**
 * A value that stands for a secret without being one: empty, a type name, masking stars, an
 * environment or template reference, an earlier redaction marker, or a `<your-password>` hole.
 */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  if (placeholderWords.has(trimmed.toLowerCase())) return true;
  if (trimmed.startsWith("[REDACTED")) return true;
  if (/^[*xX•.#-]+$/.test(trimmed) || /^\*{3,}/.test(trimmed)) return true; // masked: ****, xxxx, ...
  if (/^\$(?:\{|\(|[A-Za-z_])/.test(trimmed)) return true; // $VAR, ${VAR}, $(command)
  if (/^%[A-Za-z_][\w]*%$/.test(trimmed)) return true; // %VAR% (Windows)
  if (/^\{\{.*\}\}$/.test(trimmed) || /^<[^<>]*>$/.test(trimmed) || /^\{[A-Za-z_]\w*\}$/.test(trimmed)) return true;
  if (/^(?:user(?:name)?|login|name):(?:pass(?:word)?|passwd|secret|token)$/i.test(trimmed)) return true; // usage text
  if (/^![A-Za-z]/.test(trimmed)) return true; // YAML tags: !vault (Ansible), !Ref and !Sub (CloudFormation)
  if (/^(?:your|my|enter|insert|replace)[-_]?[A-Za-z_-]*$|[-_](?:here|example|placeholder)$/i.test(trimmed)) return true; // .env.example
  return /^(?:your|my|the|some)[-_]?(?:password|passwd|secret|token|api[-_]?key|key)s?$/i.test(trimmed);
}

/**
 * `process.env.X`, `config.db.password`, `req.headers.authorization?.split(`, `os.getenv("X")`,
 * `getPassword()`, `args[1]`: code that reads a secret.
 */
export function isCodeReference(value: string): boolean {
  if (/^[A-Za-z_$][\w$]*(?:\??\.|!\.)[A-Za-z_$][\w$]*/.test(value) && !/^[A-Za-z_$][\w$]*\.[A-Za-z_$][\w$]*\d+$/.test(value)) return true;
  if (/^[A-Za-z_$][\w$.]*\(/.test(value)) return true;
  if (/^[A-Za-z_$][\w$.]*\[/.test(value)) return true;
  if (/^(?:process\.env|os\.environ|env|ENV|secrets|vars|inputs|import\.meta\.env)\b/.test(value)) return true;
  return false;
}

type CharClass = "upper" | "lower" | "digit" | "other";

function charClass(code: number): CharClass {
  if (code >= 65 && code <= 90) return "upper";
  if (code >= 97 && code <= 122) return "lower";
  if (code >= 48 && code <= 57) return "digit";
  return "other";
}

/** Character classes present, and how often consecutive characters change class (per character). */
export function classProfile(value: string): { classes: number; switchRate: number } {
  const seen = new Set<CharClass>();
  let switches = 0;
  let previous: CharClass | undefined;
  for (let i = 0; i < value.length; i++) {
    const current = charClass(value.charCodeAt(i));
    seen.add(current);
    if (previous !== undefined && previous !== current) switches++;
    previous = current;
  }
  return { classes: seen.size, switchRate: value.length > 1 ? switches / (value.length - 1) : 0 };
}

/**
 * A machine-made random token: long enough, dense in information, and mixing character classes
 * the way generated keys do (identifiers and words switch class rarely). Hashes, UUIDs, paths and
 * version strings are never random in this sense.
 */
export function looksRandom(value: string, minLength = 20): boolean {
  if (value.length < minLength || value.length > 4096) return false;
  if (!/^[A-Za-z0-9+/=_.~-]+$/.test(value)) return false;
  if (isUuid(value) || isContentHash(value) || isPathLike(value) || versionPattern.test(value)) return false;
  if (hexPattern.test(value)) return false;
  const { classes, switchRate } = classProfile(value);
  if (classes < 2 || switchRate < 0.3) return false;
  if (!/\d/.test(value) && classes < 3) return false;
  const entropy = shannonEntropy(value);
  // Random text over a 62-symbol alphabet reaches close to log2(length) bits per character.
  return entropy >= Math.min(4.0, Math.log2(value.length) * 0.82);
}

/**
 * Whether a value found in a secret's place is one, not a stand-in. Unquoted values may also be
 * code (`password: config.password`); quoted ones are literals, so only placeholders are excluded.
 */
export function isLiteralSecret(value: string, quoted: boolean, minLength = 1): boolean {
  if (value.length < minLength || isPlaceholder(value)) return false;
  return quoted || !isCodeReference(value);
}
