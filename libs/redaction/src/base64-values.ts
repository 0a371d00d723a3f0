import { isContentHash, isPathLike, isPlaceholder, isUuid } from "./secret-shape";

// Base64-encoded values: Kubernetes Secrets keep every value so (`data:`), and people encode
// passwords and keys for env files and manifests. A value is decoded and judged by what it holds:
// a password or a key is a secret however it is written; a certificate, an image, a user name or
// a host name is not.

/** Where an encoded value was found, which decides how much it takes to call it a secret. */
export type Base64Context =
  /** Under a key that names a secret (`password`, `jwt-secret`, `API_TOKEN_B64`): any real value is one. */
  | "secret-key"
  /** Under `data:` of a Kubernetes Secret, with a key that names no secret (`url`, `config.json`). */
  | "secret-manifest"
  /** Decoded on a command line (`echo ... | base64 -d`). */
  | "decoded-command";

/** The largest value decoded, in characters: anything longer is a file, judged by other rules. */
const maxEncodedChars = 16_384;

/**
 * The bytes `value` encodes when it is canonical base64 (standard or URL-safe, padded or not):
 * re-encoding them gives `value` back, so words and identifiers that merely use base64 letters
 * (`expired`, `abcdefg`) are not taken for base64. Undefined for anything else.
 */
export function decodeBase64(value: string): Buffer | undefined {
  if (value.length < 4 || value.length > maxEncodedChars) return undefined;
  const standard = /^[A-Za-z0-9+/]+={0,2}$/.test(value);
  if (!standard && !/^[A-Za-z0-9_-]+={0,2}$/.test(value)) return undefined;
  const body = value.replace(/=+$/, "");
  if (body.length % 4 === 1 || (body.length !== value.length && value.length % 4 !== 0)) return undefined;
  const encoding = standard ? "base64" : "base64url";
  const bytes = Buffer.from(body, encoding);
  if (bytes.length === 0 || bytes.toString(encoding).replace(/=+$/, "") !== body) return undefined;
  return bytes;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The bytes as text when they are printable UTF-8 (tabs and line breaks allowed), else undefined. */
export function printableText(bytes: Buffer): string | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

/** File signatures of content that is never a secret: images, PDF, archives. */
const contentMagic: readonly number[][] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF8
  [0x52, 0x49, 0x46, 0x46], // RIFF (WebP, WAV)
  [0x42, 0x4d], // BMP
  [0x00, 0x00, 0x01, 0x00], // ICO
  [0x25, 0x50, 0x44, 0x46], // %PDF
  [0x1f, 0x8b], // gzip
  [0x50, 0x4b, 0x03, 0x04], // zip
];

function isContentFile(bytes: Buffer): boolean {
  return contentMagic.some((magic) => magic.every((byte, index) => bytes[index] === byte));
}

/** Public material: certificates, public keys, SSH public keys, certificate requests. */
const publicMaterial =
  /^\s*(?:-----BEGIN (?:CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL|PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|PGP PUBLIC KEY BLOCK)-----|(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com) AAAA)/;

/** Texts that say what something is, not what it unlocks: host names, addresses, mails, numbers, booleans. */
function isDescriptive(text: string): boolean {
  if (/^(?:true|false|yes|no|on|off|null|none)$/i.test(text)) return true;
  if (/^-?\d+(?:\.\d+)?$/.test(text)) return true; // a port, a count, a version number
  if (/^v?\d+(?:\.\d+)+(?:[-+][\w.-]+)?$/.test(text)) return true;
  if (isUuid(text) || isContentHash(text) || isPathLike(text)) return true;
  if (/^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::\d{1,5})?$/.test(text)) return true; // db.acme.internal, postgres-service.default.svc
  if (/^(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?$/.test(text)) return true;
  if (/^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/.test(text)) return true; // a mail address
  if (/^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+(?::\d+)?(?:[/?#]\S*)?$/i.test(text)) return true; // a URL without credentials
  return false;
}

/** Scans decoded text for secrets with the whole redactor; set by find-secrets (no import cycle). */
let containsSecret: (text: string) => boolean = () => false;

export function setNestedScanner(scan: (text: string) => boolean): void {
  containsSecret = scan;
}

/**
 * Whether the bytes a base64 value encodes are a secret, in `context`:
 * - a private key, a docker config with auths, a URL with a password (anything the redactor finds
 *   in the decoded text) always is; a certificate, a public key, an image never is;
 * - under a key that names a secret, any real value is (a word is a password there);
 * - elsewhere, one token that is not descriptive (a host, a path, a number, a mail address, a
 *   lower-case name such as `admin` or `ubuntu_secure`) is, and so is binary key material;
 *   text with spaces or several lines is only when a secret is found in it.
 */
export function isEncodedSecret(bytes: Buffer, context: Base64Context): boolean {
  const text = printableText(bytes);
  if (text === undefined) {
    if (isContentFile(bytes)) return false;
    // Random bytes: key material (a keystore, an encryption key); short binary is rarely base64 at all.
    return bytes.length >= (context === "secret-key" ? 16 : 12) && context !== "decoded-command";
  }
  const trimmed = text.trim();
  if (trimmed.length === 0 || isPlaceholder(trimmed)) return false;
  if (/PRIVATE KEY-----/.test(trimmed)) return true;
  if (publicMaterial.test(trimmed)) return false;
  if (containsSecret(text)) return true;
  if (context === "secret-key") return trimmed.length >= 3;
  if (/\s/.test(trimmed)) return false; // a sentence, a list of words, a config file without secrets
  if (isDescriptive(trimmed)) return false;
  // A lower-case name (admin, ubuntu_secure, postgres): an account or a database, not its password.
  if (/^[a-z][a-z_.-]*$/.test(trimmed)) return false;
  return trimmed.length >= 4;
}

/** Endings of encoded names (`DB_PASSWORD_B64`, `jwtSecretBase64`) that do not change what a key names. */
const encodingSuffix = /(?:b64|base64|encoded|enc)$/;
/** Endings that make a key's value about a secret (its name, file, id, length), not the secret. */
const metadataSuffix = /(?:name|names|id|ids|file|path|url|uri|ref|type|kind|length|count|ttl|expiry|expires|version|hash|public|pub)$/;
/** Normalised endings of keys whose values are secrets. */
const secretSuffix =
  /(?:password|passwd|passphrase|passwort|pwd|secret|secrets|token|apikey|credential|credentials|privatekey|secretkey|accesskey|signingkey|encryptionkey|masterkey|authkey|clientkey|sessionkey|hmackey|webhookkey|licensekey|dockerconfigjson|dockercfg|htpasswd|tlskey|sshprivatekey|keystore|truststorepassword)$/;
/** Short words that name a secret only as a whole key (`pass: ...`, `pin: ...`), never as an ending (`bypass`, `spin`). */
const secretWholeKey = /^(?:pass|pw|pin|auth|salt|key|otp|seed)$/;

/**
 * Whether a key names a secret: `password`, `jwt-secret`, `API_TOKEN_B64`, `tls.key`,
 * `.dockerconfigjson`; not `token_name`, `secret_file` or `public_key`. `strict` leaves out
 * the bare words (`key`, `auth`, `pin`) that outside a Secret manifest name anything.
 */
export function keyNamesSecret(key: string, strict = false): boolean {
  const normalised = key
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .replace(encodingSuffix, "");
  if (normalised === "" || metadataSuffix.test(normalised) || /public|pubkey|^pub/.test(normalised)) return false;
  if (secretSuffix.test(normalised)) return true;
  if (strict) return false;
  return secretWholeKey.test(normalised) || /(?:^|[^a-z])key$/.test(key.toLowerCase());
}

/**
 * Whether a value of a Kubernetes Secret is a secret: under `data:` (`encoded`) it is decoded
 * first, under `stringData:` it is judged as written.
 */
export function isSecretManifestValue(key: string, value: string, encoded: boolean): boolean {
  const trimmed = value.trim();
  if (trimmed === "" || trimmed.startsWith("[REDACTED:")) return false;
  const bytes = encoded ? decodeBase64(trimmed) : Buffer.from(trimmed, "utf8");
  return bytes !== undefined && isEncodedSecret(bytes, keyNamesSecret(key) ? "secret-key" : "secret-manifest");
}
