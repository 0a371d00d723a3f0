import { sign, verify, type KeyObject } from "node:crypto";
import { canonicalCheckpointBytes, type SignedCheckpointFields } from "./canonical";
import type { Checkpoint } from "./event";

/** The length of an Ed25519 signature. */
export const SIGNATURE_BYTES = 64;

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Signs a checkpoint of the chain with the audit service's Ed25519 private key. */
export function signCheckpoint(privateKey: KeyObject, fields: SignedCheckpointFields): Checkpoint {
  const checkpoint = { seq: fields.seq, hash: fields.hash, signedAt: fields.signedAt, prevSeq: fields.prevSeq };
  const signature = sign(null, canonicalCheckpointBytes(checkpoint), privateKey).toString("base64");
  return { ...checkpoint, signature };
}

/**
 * True when `cp.signature` is a valid Ed25519 signature by `publicKey` over the checkpoint's
 * canonical bytes. False, never an exception, for anything else: a signature that is not
 * standard base64 or not 64 bytes, an invalid signedAt, or a key that is not an Ed25519 key.
 */
export function checkpointSignatureValid(publicKey: KeyObject, cp: Checkpoint): boolean {
  if (typeof cp.signature !== "string" || !STANDARD_BASE64.test(cp.signature)) return false;
  const signature = Buffer.from(cp.signature, "base64");
  if (signature.length !== SIGNATURE_BYTES) return false;
  try {
    return verify(null, canonicalCheckpointBytes(cp), publicKey, signature);
  } catch {
    return false;
  }
}
