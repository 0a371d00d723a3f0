/** What a secret is replaced with wherever it is found. */
export const redacted = "[redacted]";

/**
 * Keys whose values are secrets: passwords, tokens, keys, hashes, credentials, HTTP
 * authorization and cookies, signatures. `auth` counts as a whole word only (author does not).
 */
const secretKey = /pass(word|wd)?|secret|token|api[-_]?key|_hash$|private|credential|authorization|(^|[-_])auth($|[-_])|cookie|signature/i;

/**
 * Values that are secrets whatever their key: HTTP credentials ("Bearer ...", "Basic ..."),
 * JWTs, and this platform's own API keys (msp_<prefix>_<secret>).
 */
const secretValue = /^\s*(bearer|basic|digest|token)\s+\S{8,}|^eyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]*$|^msp_[a-z0-9]+_[A-Za-z0-9_-]{16,}$/i;

/** Deeper than this, a value is cut off: JSON from outside should not make the redactor recurse without end. */
const maxDepth = 32;

/** True when a key names a secret, such as password, client_secret, x-api-key or Authorization. */
export function isSecretKey(key: string): boolean {
  return secretKey.test(key);
}

/**
 * A copy of a JSON value with every secret replaced by "[redacted]", at any depth: values under
 * secret-looking keys, and strings that look like credentials wherever they are. For request and
 * response bodies of outside systems and for audit summaries.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > maxDepth) return redacted;
  if (typeof value === "string") return secretValue.test(value) ? redacted : value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // Numbers and flags under such keys (token counts, has_password) give nothing away.
      const secret =
        isSecretKey(key) && item !== null && item !== undefined && item !== "" && typeof item !== "number" && typeof item !== "boolean";
      out[key] = secret ? redacted : redactSecrets(item, depth + 1);
    }
    return out;
  }
  return value;
}
