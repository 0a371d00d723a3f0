import { looksRandom } from "../secret-shape";
import { charBefore, isKeyWordAt, keyStart, secretRule, startsToken, type Candidate, type SecretRule } from "../secret-rule";
import { assignmentSeparator, flagSeparator, secretValue, tokenCharBefore } from "../pattern-parts";
import { isTokenLike, isTypedSecret } from "./value-checks";
import type { RedactionKind } from "../redaction-kinds";

// Values in assignment position: `GITHUB_TOKEN=...` in an env file, `clientSecret: "..."` in
// code, `--api-key ...` on a command line, and, under weaker names (`key`, `salt`, `session`),
// values random enough that they can only be generated secrets.

/** Word parts of an env name that make its value a secret. */
const secretParts = new Set(["TOKEN", "SECRET", "SECRETS", "CREDENTIAL", "CREDENTIALS", "PASSPHRASE", "APIKEY", "AUTHTOKEN", "SECRETKEY"]);
/** Parts before `_KEY` that make it a secret key rather than a sort key or a cache key. */
const keyOwners = new Set([
  "API",
  "ACCESS",
  "SECRET",
  "PRIVATE",
  "AUTH",
  "ENCRYPTION",
  "ENC",
  "SIGNING",
  "MASTER",
  "LICENSE",
  "SERVICE",
  "ACCOUNT",
  "SUBSCRIPTION",
  "APP",
  "CLIENT",
  "WEBHOOK",
  "SESSION",
  "JWT",
  "HMAC",
  "CRYPTO",
  "CIPHER",
  "DEPLOY",
  "ADMIN",
  "STORAGE",
  "SHARED",
  "INGEST",
  "WRITE",
  "READ",
  "MANAGEMENT",
]);
/** Parts that make the value about a secret (its file, its lifetime, its name), not the secret. */
const metadataParts = new Set(
  "PUBLIC PUB FILE PATH DIR URL URI HOST PORT ENDPOINT NAME TYPE ID MAX MIN LIMIT LIMITS COUNT TTL EXPIRY EXPIRES EXPIRATION LENGTH LEN SIZE HEADER PREFIX FORMAT REF ARN REGION ALGORITHM ALG VERSION MODE ENABLED DISABLED LOCATION NAMESPACE FIELD COLUMN ISSUER AUDIENCE SCOPE SCOPES BUDGET USAGE RATE TIMEOUT STORE KIND LABEL".split(
    " ",
  ),
);

/** Whether an upper-case env name holds a secret (passwords have their own rule). */
export function isSecretEnvName(name: string): boolean {
  const parts = name.split("_").filter((part) => part.length > 0);
  if (parts.some((part) => metadataParts.has(part))) return false;
  if (parts.some((part) => secretParts.has(part))) return true;
  const last = parts.length - 1;
  return last >= 1 && parts[last] === "KEY" && keyOwners.has(parts[last - 1] ?? "");
}

/** Parts of a key that show its value is an identifier or a digest, however random it looks. */
const identifierKey =
  /public|pubkey|(?:^|[_.-])pub(?:[_.-]|$)|(?:^|[_.-])id$|[a-z]Id$|ID$|ids$|uuid|guid|hash|sha\d*|md5|digest|checksum|signature|integrity|etag|commit|revision|nonce|version|fingerprint|thumbprint|path|file|url|uri|name$|count|tokens$/i;

/** The whole key that ends with the matched key word (patterns start at the word, the key may start earlier). */
function keyAround(candidate: Candidate): string {
  const { text, match } = candidate;
  const wordEnd = match.index + (match.groups?.["word"]?.length ?? 0) + (match.groups?.["tail"]?.length ?? 0);
  return text.slice(keyStart(text, match.index), wordEnd);
}

/** Key endings, in words, whose values are secrets: `apiKey`, `client_secret`, `GITHUB_TOKEN`, `x-auth-token`. */
const strongKeyEnding =
  /(?:api|access|secret|private|auth|signing|encryption|master|client|app|license|subscription|webhook) ?(?:key|secret|token)$|(?:^| )(?:token|secret|credentials?)$/;

/** Whether a key names a secret strongly enough that any non-trivial value under it is one. */
function isStrongSecretKey(candidate: Candidate): boolean {
  const { text, match } = candidate;
  const word = match.groups?.["word"] ?? "";
  if (/^(?:token|secret|credentials?)$/i.test(word) && !isKeyWordAt(text, match.index, word)) return false;
  const key = keyAround(candidate);
  if (identifierKey.test(key)) return false;
  // In words: separators and camelCase boundaries become spaces, so apiKey and api_key read alike.
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/[_.-]/g, " ");
  return strongKeyEnding.test(words);
}

/**
 * Words that make a key's value possibly secret: key, secret, token, pass, pwd, auth, cred,
 * private, salt, seed, cookie, session, signing, hmac, otp, license, access. Grouped by first
 * letter, which V8 scans much faster than a flat list of alternatives.
 */
const weakKeyWords = "key|s(?:ecret|alt|eed|ession|igning)|token|p(?:ass|wd|rivate)|a(?:uth|ccess)|c(?:red|ookie)|hmac|otp|license";

const strongFlag = /(?:token|secret|api-?key|access-?key|secret-?key|private-?key|client-?secret|credentials?)$/i;

/** An upper-case env name around the key word, or "" when the word sits in a mixed-case name. */
function envName(candidate: Candidate): string {
  const { text, match } = candidate;
  const start = keyStart(text, match.index, /[A-Z0-9_]/);
  if (/[A-Za-z0-9_.-]/.test(charBefore(text, start))) return "";
  return text.slice(start, match.index + (match.groups?.["word"]?.length ?? 0) + (match.groups?.["tail"]?.length ?? 0));
}

function flagKind(candidate: Candidate): RedactionKind | undefined {
  const { text, match } = candidate;
  const flag = match.groups?.["flag"] ?? "";
  if (!startsToken(text, match.index) || identifierKey.test(flag)) return undefined;
  // A user:password pair after a flag is the credential rule's (it keeps the user name).
  if (/^[\w.-]+:/.test(candidate.secret)) return undefined;
  if (strongFlag.test(flag) && isTokenLike(candidate)) return "secret_assignment";
  return looksRandom(candidate.secret) ? "high_entropy" : undefined;
}

/** `master_key: PrivateKey,` in code: an unquoted word of letters is a type or a variable, not a key. */
function isTypeOrIdentifier(candidate: Candidate): boolean {
  return !candidate.quoted && /^[A-Za-z_]+$/.test(candidate.secret) && !looksRandom(candidate.secret, 16);
}

/** The random-looking value the weak-key rule wants, quoted or not (numbers and words fail here, cheaply). */
const randomValue = String.raw`(?:\\?["'${"`"}])?(?<s_1>[A-Za-z0-9+/=_.~-]{20,})(?![A-Za-z0-9+/=_.~-])`;

export const assignmentRules: readonly SecretRule[] = [
  secretRule({
    name: "env-secret",
    kind: (candidate) => (isSecretEnvName(envName(candidate)) ? "env_secret" : undefined),
    pattern: new RegExp(
      String.raw`(?<word>TOKEN|SECRET|KEY|CREDENTIALS?|PASSPHRASE)(?<tail>[A-Z0-9_]{0,60})${assignmentSeparator}${secretValue()}`,
      "gd",
    ),
    // An env file sets values, it does not pass variables: JWT_SECRET=jwt_secret_value is the secret.
    accept: (candidate) => isTypedSecret(candidate, 3) && !/^\d+$/.test(candidate.secret),
  }),
  secretRule({
    name: "secret-assignment",
    kind: "secret_assignment",
    pattern: new RegExp(String.raw`(?<word>key|token|secret|credentials?)${assignmentSeparator}${secretValue()}`, "gdi"),
    accept: (candidate) => isTokenLike(candidate) && !isTypeOrIdentifier(candidate) && isStrongSecretKey(candidate),
  }),
  secretRule({
    name: "secret-flag",
    kind: flagKind,
    // Anchored on the dash that starts a flag: flags are rare in text, the key words inside them are not.
    pattern: new RegExp(
      String.raw`(?<!${tokenCharBefore})-{1,2}(?!-)(?<flag>[A-Za-z-]{0,30}?(?:${weakKeyWords})[A-Za-z-]{0,30}?)${flagSeparator}${secretValue()}`,
      "gdi",
    ),
  }),
  secretRule({
    name: "high-entropy-assignment",
    kind: "high_entropy",
    pattern: new RegExp(String.raw`(?<word>${weakKeyWords})(?<tail>[A-Za-z0-9_.-]{0,40}?)${assignmentSeparator}${randomValue}`, "gdi"),
    accept: (candidate) => looksRandom(candidate.secret) && !identifierKey.test(keyAround(candidate)),
  }),
];
