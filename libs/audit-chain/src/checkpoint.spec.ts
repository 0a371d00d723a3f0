import { createSecretKey, generateKeyPairSync } from "node:crypto";
import { checkpointSignatureValid, signCheckpoint } from "./checkpoint";
import { otherSigningKeys, signingKeys } from "./spec-fixtures";

describe("checkpoint signatures", () => {
  const checkpoint = signCheckpoint(signingKeys.privateKey, {
    seq: 2000,
    hash: "ab".repeat(32),
    signedAt: new Date(Date.UTC(2025, 0, 1)),
    prevSeq: 1000,
  });

  it("signs with Ed25519 and verifies with the public key", () => {
    expect(Buffer.from(checkpoint.signature, "base64")).toHaveLength(64);
    expect(checkpointSignatureValid(signingKeys.publicKey, checkpoint)).toBe(true);
  });

  it("fails for another key", () => {
    expect(checkpointSignatureValid(otherSigningKeys.publicKey, checkpoint)).toBe(false);
  });

  it("fails when any signed field changes", () => {
    const changes = [{ seq: 2001 }, { hash: "cd".repeat(32) }, { signedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, 0, 1)) }, { prevSeq: 999 }];
    for (const change of changes) expect(checkpointSignatureValid(signingKeys.publicKey, { ...checkpoint, ...change })).toBe(false);
  });

  it("returns false, never throws, for a garbage or wrong-length signature or an invalid date", () => {
    const bad = ["", "%%%", "not base64!", Buffer.alloc(63).toString("base64"), Buffer.alloc(65).toString("base64"), "QUJD"];
    for (const signature of bad) expect(checkpointSignatureValid(signingKeys.publicKey, { ...checkpoint, signature })).toBe(false);
    expect(checkpointSignatureValid(signingKeys.publicKey, { ...checkpoint, signedAt: new Date(NaN) })).toBe(false);
    expect(checkpointSignatureValid(signingKeys.publicKey, { ...checkpoint, signature: 42 as unknown as string })).toBe(false);
  });

  it("returns false for a key of another type", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect(checkpointSignatureValid(ec.publicKey, checkpoint)).toBe(false);
    expect(checkpointSignatureValid(createSecretKey(Buffer.alloc(32)), checkpoint)).toBe(false);
  });
});
