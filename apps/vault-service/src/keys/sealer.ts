import { CryptoError, openSecret, sealSecret } from "@msp/crypto";
import { failedPrecondition } from "@msp/errors";
import type { KeyRing } from "./key-ring";

/** A secret as one row stores it: base64 ciphertext (tag included) and nonce, and the data key's id. */
export interface StoredSecret {
  ciphertext: string;
  nonce: string;
  keyId: string;
}

/** Where a secret is stored: its table, row and column (the ciphertext is bound to all three). */
export interface SecretPlace {
  table: string;
  rowId: string;
  field: string;
}

/** Encrypts secrets under the ring's active key and decrypts them under the key each names. */
export class Sealer {
  constructor(private readonly ring: KeyRing) {}

  async seal(place: SecretPlace, plaintext: string): Promise<StoredSecret> {
    const { id, key } = await this.ring.activeKey();
    const sealed = sealSecret(key, plaintext, { ...place, keyId: id });
    return { ciphertext: sealed.ciphertext.toString("base64"), nonce: sealed.nonce.toString("base64"), keyId: id };
  }

  /**
   * Seals several fields of one row under one key (a row names one key_id): the columns to store,
   * key_id included. A field given `null` is cleared.
   */
  async sealFields(table: string, rowId: string, fields: Record<string, string | null>): Promise<Record<string, string | null>> {
    const { id, key } = await this.ring.activeKey();
    const columns: Record<string, string | null> = { key_id: id };
    for (const [field, plaintext] of Object.entries(fields)) {
      if (plaintext === null) {
        columns[field] = null;
        columns[`${field}_nonce`] = null;
        continue;
      }
      const sealed = sealSecret(key, plaintext, { table, rowId, field, keyId: id });
      columns[field] = sealed.ciphertext.toString("base64");
      columns[`${field}_nonce`] = sealed.nonce.toString("base64");
    }
    return columns;
  }

  /** The plaintext, or a CryptoError (tampered, moved, or under a key the ring does not have). */
  async open(place: SecretPlace, stored: StoredSecret): Promise<string> {
    const key = await this.ring.keyById(stored.keyId);
    const sealed = { ciphertext: Buffer.from(stored.ciphertext, "base64"), nonce: Buffer.from(stored.nonce, "base64") };
    return openSecret(key, sealed, { ...place, keyId: stored.keyId }).toString("utf8");
  }
}

/** The stored secret of column `field` of a row, or undefined when none is stored. */
export function storedSecretOf(row: Record<string, unknown>, field: string): StoredSecret | undefined {
  const ciphertext = row[field];
  const nonce = row[`${field}_nonce`];
  const keyId = row["key_id"];
  if (typeof ciphertext !== "string" || typeof nonce !== "string" || typeof keyId !== "string") return undefined;
  return { ciphertext, nonce, keyId };
}

/** The columns that store a sealed secret in `field` (the row's key_id included). */
export function secretColumns(field: string, stored: StoredSecret): Record<string, string> {
  return { [field]: stored.ciphertext, [`${field}_nonce`]: stored.nonce, key_id: stored.keyId };
}

/** The caller's error for a secret that does not decrypt: the service refuses rather than guess. */
export function undecryptable(what: string, error: CryptoError): Error {
  return failedPrecondition(
    `the stored ${what} cannot be decrypted (${error.code}): it was altered, moved or its key is missing; ` +
      "nothing was revealed and the failure is audited",
  );
}
