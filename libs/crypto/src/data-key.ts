import { KEY_BYTES, NONCE_BYTES, TAG_BYTES, gcmDecrypt, gcmEncrypt, requireKey } from "./aes-gcm";
import { CryptoError } from "./crypto-error";

/** The wrapping format version, the first byte of every wrapped data key. */
const WRAP_VERSION = 1;
/** version(1) || nonce(12) || tag(16) || ciphertext(32). */
export const WRAPPED_DATA_KEY_BYTES = 1 + NONCE_BYTES + TAG_BYTES + KEY_BYTES;

/** Binds a wrapped data key to its id, so a wrapped key cannot be swapped under another id. */
function dataKeyAad(keyId: string): Buffer {
  return Buffer.from(`msp-vault/data-key/v1/${keyId}`, "utf8");
}

/**
 * Encrypts a 32-byte data key under the master key for storage in the key ring:
 * AES-256-GCM with a fresh nonce, authenticated with the key's id.
 */
export function wrapDataKey(masterKey: Buffer, dataKey: Buffer, keyId: string): Buffer {
  requireKey(masterKey, "the master key");
  requireKey(dataKey, `data key ${keyId}`);
  const { nonce, ciphertext, tag } = gcmEncrypt(masterKey, dataKey, dataKeyAad(keyId));
  return Buffer.concat([Buffer.of(WRAP_VERSION), nonce, tag, ciphertext]);
}

/**
 * Decrypts a data key wrapped by {@link wrapDataKey}. Throws `bad_key` when the master key,
 * the key id or the wrapped bytes do not match.
 */
export function unwrapDataKey(masterKey: Buffer, wrapped: Buffer, keyId: string): Buffer {
  requireKey(masterKey, "the master key");
  if (wrapped.length !== WRAPPED_DATA_KEY_BYTES || wrapped[0] !== WRAP_VERSION) {
    throw new CryptoError(
      "bad_key",
      `wrapped data key ${keyId} is malformed: expected ${WRAPPED_DATA_KEY_BYTES} bytes starting with version ${WRAP_VERSION}`,
    );
  }
  const nonceEnd = 1 + NONCE_BYTES;
  const tagEnd = nonceEnd + TAG_BYTES;
  const sealed = {
    nonce: wrapped.subarray(1, nonceEnd),
    tag: wrapped.subarray(nonceEnd, tagEnd),
    ciphertext: wrapped.subarray(tagEnd),
  };
  const dataKey = gcmDecrypt(masterKey, sealed, dataKeyAad(keyId));
  if (dataKey === undefined) {
    throw new CryptoError("bad_key", `the master key does not open data key ${keyId} (wrong master key, or the key ring was altered)`);
  }
  return dataKey;
}
