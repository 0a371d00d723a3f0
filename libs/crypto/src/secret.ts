import { NONCE_BYTES, TAG_BYTES, gcmDecrypt, gcmEncrypt, requireKey } from "./aes-gcm";
import { CryptoError } from "./crypto-error";

/**
 * Where a sealed secret belongs: the table, row and field it is stored in and the data key
 * that sealed it. It is authenticated with the ciphertext, so a secret copied to another row
 * or field, or relabelled with another key id, no longer opens.
 */
export interface SecretBinding {
  table: string;
  rowId: string;
  field: string;
  keyId: string;
}

/** A sealed secret as stored: the ciphertext with its 16-byte GCM tag appended, and its nonce. */
export interface SealedSecret {
  ciphertext: Buffer;
  nonce: Buffer;
}

/** The canonical, unambiguous encoding of a binding used as the AAD (a JSON array). */
function bindingAad(binding: SecretBinding): Buffer {
  const { table, rowId, field, keyId } = binding;
  return Buffer.from(JSON.stringify(["msp-vault/secret/v1", table, rowId, field, keyId]), "utf8");
}

/** Encrypts a secret under a data key with AES-256-GCM and a fresh random 96-bit nonce. */
export function sealSecret(dataKey: Buffer, plaintext: string | Buffer, binding: SecretBinding): SealedSecret {
  requireKey(dataKey, `data key ${binding.keyId}`);
  const bytes = typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext;
  const { nonce, ciphertext, tag } = gcmEncrypt(dataKey, bytes, bindingAad(binding));
  return { ciphertext: Buffer.concat([ciphertext, tag]), nonce };
}

/**
 * Decrypts a secret sealed by {@link sealSecret} with the same data key and binding. Throws
 * `bad_input` for a malformed nonce or ciphertext and `decrypt_failed` when it does not
 * authenticate.
 */
export function openSecret(dataKey: Buffer, sealed: SealedSecret, binding: SecretBinding): Buffer {
  requireKey(dataKey, `data key ${binding.keyId}`);
  const { table, rowId, field, keyId } = binding;
  const where = `${table}.${field} of ${rowId}`;
  if (sealed.nonce.length !== NONCE_BYTES) {
    throw new CryptoError("bad_input", `cannot decrypt ${where}: the nonce must be ${NONCE_BYTES} bytes; got ${sealed.nonce.length}`);
  }
  if (sealed.ciphertext.length < TAG_BYTES) {
    throw new CryptoError(
      "bad_input",
      `cannot decrypt ${where}: the ciphertext must be at least ${TAG_BYTES} bytes (its tag); got ${sealed.ciphertext.length}`,
    );
  }
  const tagStart = sealed.ciphertext.length - TAG_BYTES;
  const parts = { nonce: sealed.nonce, ciphertext: sealed.ciphertext.subarray(0, tagStart), tag: sealed.ciphertext.subarray(tagStart) };
  const plaintext = gcmDecrypt(dataKey, parts, bindingAad(binding));
  if (plaintext === undefined) {
    throw new CryptoError(
      "decrypt_failed",
      `cannot decrypt ${where} under key ${keyId}: the ciphertext, its nonce or its binding do not match (tampered, moved, or the wrong key)`,
    );
  }
  return plaintext;
}
