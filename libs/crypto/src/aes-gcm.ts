import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { CryptoError } from "./crypto-error";

/** AES-256-GCM parameters shared by data-key wrapping and secret sealing. */
export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

/** The output of one AES-256-GCM encryption. */
export interface GcmSealed {
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** Encrypts `plaintext` under `key` with a fresh random nonce, authenticating `aad` too. */
export function gcmEncrypt(key: Buffer, plaintext: Buffer, aad: Buffer): GcmSealed {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, ciphertext, tag: cipher.getAuthTag() };
}

/**
 * Decrypts and authenticates; returns undefined when anything does not match (key, nonce,
 * tag, ciphertext or `aad`), so callers raise an error that fits their domain.
 */
export function gcmDecrypt(key: Buffer, sealed: GcmSealed, aad: Buffer): Buffer | undefined {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** Throws `bad_key` unless `key` is a 32-byte buffer; `what` names it in the message. */
export function requireKey(key: Buffer, what: string): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    const got = Buffer.isBuffer(key) ? `${key.length} bytes` : typeof key;
    throw new CryptoError("bad_key", `${what} must be ${KEY_BYTES} bytes; got ${got}`);
  }
}
