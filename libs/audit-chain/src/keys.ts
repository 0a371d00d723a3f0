import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { AuditKeyError } from "./audit-key-error";
import { HMAC_KEY_BYTES } from "./chain";
import { createPrivateFileIfMissing, readPrivateKeyFile, sourcePrefix } from "./key-file";

const HMAC_KEY_RULE = "must hold the audit HMAC key: 32 random bytes in base64 (create one with `openssl rand -base64 32`)";
const SIGNING_KEY_RULE =
  "must hold the audit signing key: an unencrypted Ed25519 private key in PEM (PKCS#8, `-----BEGIN PRIVATE KEY-----`), " +
  "as `openssl genpkey -algorithm ed25519` writes";
const PUBLIC_KEY_RULE =
  "must hold the audit service's Ed25519 public key in PEM (`-----BEGIN PUBLIC KEY-----`), " +
  "as `openssl pkey -pubout` writes from the signing key";
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The audit service's signing key pair. */
export interface SigningKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A new HMAC key as its file holds it: 32 random bytes in base64, then a newline. */
export function newHmacKeyText(): string {
  return `${randomBytes(HMAC_KEY_BYTES).toString("base64")}\n`;
}

/**
 * Decodes the audit HMAC key from its text (standard base64, surrounding whitespace ignored).
 * `source` names where it came from (a variable, a file) so the error says what to fix.
 */
export function parseHmacKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  if (trimmed === "") throw new AuditKeyError("bad_key", `${source} ${HMAC_KEY_RULE}; it is empty`);
  if (!STANDARD_BASE64.test(trimmed)) throw new AuditKeyError("bad_key", `${source} ${HMAC_KEY_RULE}; it is not valid base64`);
  const key = Buffer.from(trimmed, "base64");
  if (key.length !== HMAC_KEY_BYTES) {
    throw new AuditKeyError("bad_key", `${source} ${HMAC_KEY_RULE}; it decodes to ${key.length} bytes`);
  }
  return key;
}

/** Reads the HMAC key file; on POSIX refuses one the group or others may access. */
export function readHmacKeyFile(path: string, source: string): Buffer {
  const text = readPrivateKeyFile(path, "audit HMAC key", source);
  return parseHmacKey(text, `${sourcePrefix(source, path)}the audit HMAC key file ${path}`);
}

/**
 * Reads the HMAC key file, first creating it (mode 0600, a new random key) when it is missing.
 * Creation is atomic: of two processes starting together, both end up with the same key.
 */
export function loadOrCreateHmacKeyFile(path: string, source: string = path): Buffer {
  createPrivateFileIfMissing(path, newHmacKeyText, "audit HMAC key");
  return readHmacKeyFile(path, source);
}

/**
 * Parses the audit signing key: an Ed25519 private key in PEM. Refuses anything else (a public
 * key, an encrypted key, an RSA or EC key) with a message saying what was found instead.
 */
export function parseSigningKey(pem: string, source: string): SigningKeyPair {
  if (!pem.includes("-----BEGIN ")) throw new AuditKeyError("bad_key", `${source} ${SIGNING_KEY_RULE}; it is not PEM text`);
  if (pem.includes("-----BEGIN PUBLIC KEY-----")) {
    throw new AuditKeyError("bad_key", `${source} ${SIGNING_KEY_RULE}; it holds a public key, not the private key`);
  }
  if (pem.includes("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
    throw new AuditKeyError("bad_key", `${source} ${SIGNING_KEY_RULE}; it is encrypted (protect the file with \`chmod 600\` instead)`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: "pem" });
  } catch (error) {
    throw new AuditKeyError("bad_key", `${source} ${SIGNING_KEY_RULE}; it could not be parsed as a private key`, { cause: error });
  }
  requireEd25519(privateKey, source, SIGNING_KEY_RULE);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** Reads the signing key file; on POSIX refuses one the group or others may access. */
export function readSigningKeyFile(path: string, source: string): SigningKeyPair {
  const pem = readPrivateKeyFile(path, "audit signing key", source);
  return parseSigningKey(pem, `${sourcePrefix(source, path)}the audit signing key file ${path}`);
}

/** Reads the signing key file, first creating it (mode 0600, a new Ed25519 key) when it is missing. */
export function loadOrCreateSigningKeyFile(path: string, source: string = path): SigningKeyPair {
  createPrivateFileIfMissing(path, newSigningKeyPem, "audit signing key");
  return readSigningKeyFile(path, source);
}

/** A new Ed25519 private key in PEM (PKCS#8). */
export function newSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync("ed25519");
  return privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

/** The public half of the signing key in PEM (SPKI), to hand to whoever verifies exports. */
export function publicKeyPem(publicKey: KeyObject): string {
  return asPublicKey(publicKey).export({ type: "spki", format: "pem" }).toString();
}

/**
 * Parses the audit service's public key (PEM). Refuses a private key: a verifier needs, and
 * should only ever be handed, the public half.
 */
export function parsePublicKey(pem: string, source: string): KeyObject {
  if (!pem.includes("-----BEGIN ")) throw new AuditKeyError("bad_key", `${source} ${PUBLIC_KEY_RULE}; it is not PEM text`);
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw new AuditKeyError("bad_key", `${source} ${PUBLIC_KEY_RULE}; it holds a private key, which must not leave the audit service`);
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: pem, format: "pem" });
  } catch (error) {
    throw new AuditKeyError("bad_key", `${source} ${PUBLIC_KEY_RULE}; it could not be parsed as a public key`, { cause: error });
  }
  requireEd25519(publicKey, source, PUBLIC_KEY_RULE);
  return publicKey;
}

/** A short public id of key material: the first 16 hex digits of its SHA-256. Safe to show and log. */
export function keyId(material: Buffer): string {
  return createHash("sha256").update(material).digest("hex").slice(0, 16);
}

/** The id of an HMAC key: names the key without revealing it. */
export function hmacKeyId(key: Buffer): string {
  return keyId(key);
}

/** The id of a public key (of a private key: of its public half): SHA-256 over its SPKI DER encoding. */
export function publicKeyId(publicKey: KeyObject): string {
  return keyId(asPublicKey(publicKey).export({ type: "spki", format: "der" }));
}

/** Throws `bad_key` unless `key` is an Ed25519 key (public or private as given). */
export function requireEd25519(key: KeyObject, source: string, rule: string): void {
  if (key.asymmetricKeyType !== "ed25519") {
    const kind = key.asymmetricKeyType ?? key.type;
    throw new AuditKeyError("bad_key", `${source} ${rule}; it holds a key of type ${kind}, not ed25519`);
  }
}

function asPublicKey(key: KeyObject): KeyObject {
  return key.type === "private" ? createPublicKey(key) : key;
}
