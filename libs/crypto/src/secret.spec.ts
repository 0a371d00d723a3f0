import { CryptoError } from "./crypto-error";
import { generateKey } from "./master-key";
import type { SealedSecret, SecretBinding } from "./secret";
import { openSecret, sealSecret } from "./secret";

const dataKey = generateKey();
const PLAINTEXT = "correct-horse-battery-staple";
const binding: SecretBinding = { table: "vault_credentials", rowId: "cred-42", field: "password", keyId: "dk-1" };

function caught(action: () => unknown): CryptoError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return error as CryptoError;
  }
  throw new Error("expected a CryptoError");
}

function expectSafeMessage(message: string): void {
  expect(message).not.toContain(PLAINTEXT);
  expect(message).not.toContain(dataKey.toString("base64"));
  expect(message).not.toContain(dataKey.toString("hex"));
}

function expectDecryptFailed(action: () => unknown, at: SecretBinding = binding): void {
  const error = caught(action);
  expect(error.code).toBe("decrypt_failed");
  expect(error.message).toBe(
    `cannot decrypt ${at.table}.${at.field} of ${at.rowId} under key ${at.keyId}: ` +
      "the ciphertext, its nonce or its binding do not match (tampered, moved, or the wrong key)",
  );
  expectSafeMessage(error.message);
}

function flipBit(bytes: Buffer, offset: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[offset] = (copy[offset] ?? 0) ^ 0x80;
  return copy;
}

describe("sealSecret / openSecret", () => {
  it("round-trips a string and a buffer", () => {
    const sealed = sealSecret(dataKey, PLAINTEXT, binding);
    expect(openSecret(dataKey, sealed, binding).toString("utf8")).toBe(PLAINTEXT);
    const bytes = Buffer.from([0, 1, 2, 255]);
    expect(openSecret(dataKey, sealSecret(dataKey, bytes, binding), binding).equals(bytes)).toBe(true);
  });

  it("round-trips an empty secret and a long unicode one", () => {
    expect(openSecret(dataKey, sealSecret(dataKey, "", binding), binding)).toHaveLength(0);
    const long = "pässwörd-🔐-".repeat(1000);
    expect(openSecret(dataKey, sealSecret(dataKey, long, binding), binding).toString("utf8")).toBe(long);
  });

  it("appends a 16-byte tag and uses a 12-byte nonce", () => {
    const sealed = sealSecret(dataKey, PLAINTEXT, binding);
    expect(sealed.nonce).toHaveLength(12);
    expect(sealed.ciphertext).toHaveLength(Buffer.byteLength(PLAINTEXT) + 16);
    expect(sealed.ciphertext.includes(Buffer.from(PLAINTEXT))).toBe(false);
  });

  it("never repeats a nonce over 10,000 seals", () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 10_000; i++) nonces.add(sealSecret(dataKey, PLAINTEXT, binding).nonce.toString("hex"));
    expect(nonces.size).toBe(10_000);
  });

  describe("refuses tampering", () => {
    let sealed: SealedSecret;
    beforeEach(() => {
      sealed = sealSecret(dataKey, PLAINTEXT, binding);
    });

    it("a flipped bit in the ciphertext", () => {
      expectDecryptFailed(() => openSecret(dataKey, { ...sealed, ciphertext: flipBit(sealed.ciphertext, 0) }, binding));
    });

    it("a flipped bit in the tag", () => {
      const tagByte = sealed.ciphertext.length - 1;
      expectDecryptFailed(() => openSecret(dataKey, { ...sealed, ciphertext: flipBit(sealed.ciphertext, tagByte) }, binding));
    });

    it("a flipped bit in the nonce", () => {
      expectDecryptFailed(() => openSecret(dataKey, { ...sealed, nonce: flipBit(sealed.nonce, 5) }, binding));
    });

    it.each([
      ["table", { table: "vault_notes" }],
      ["rowId", { rowId: "cred-43" }],
      ["field", { field: "username" }],
      ["keyId", { keyId: "dk-2" }],
    ])("a binding with another %s", (_part, change) => {
      const moved = { ...binding, ...change };
      expectDecryptFailed(() => openSecret(dataKey, sealed, moved), moved);
    });

    it("bindings whose fields would run together if concatenated", () => {
      const a = { table: "t", rowId: "ab", field: "c", keyId: "k" };
      const b = { table: "t", rowId: "a", field: "bc", keyId: "k" };
      expectDecryptFailed(() => openSecret(dataKey, sealSecret(dataKey, PLAINTEXT, a), b), b);
    });

    it("the wrong data key", () => {
      expectDecryptFailed(() => openSecret(generateKey(), sealed, binding));
    });

    it("a truncated ciphertext", () => {
      expectDecryptFailed(() => openSecret(dataKey, { ...sealed, ciphertext: sealed.ciphertext.subarray(1) }, binding));
    });
  });

  describe("refuses malformed input without crashing", () => {
    it.each([0, 11, 13, 16])("a nonce of %i bytes", (length) => {
      const sealed = sealSecret(dataKey, PLAINTEXT, binding);
      const error = caught(() => openSecret(dataKey, { ...sealed, nonce: Buffer.alloc(length) }, binding));
      expect(error.code).toBe("bad_input");
      expect(error.message).toContain("nonce must be 12 bytes");
      expectSafeMessage(error.message);
    });

    it.each([0, 15])("a ciphertext of %i bytes", (length) => {
      const sealed = sealSecret(dataKey, PLAINTEXT, binding);
      const error = caught(() => openSecret(dataKey, { ...sealed, ciphertext: sealed.ciphertext.subarray(0, length) }, binding));
      expect(error.code).toBe("bad_input");
      expect(error.message).toContain("at least 16 bytes");
      expectSafeMessage(error.message);
    });

    it("a data key that is not 32 bytes", () => {
      expect(caught(() => sealSecret(Buffer.alloc(24), PLAINTEXT, binding)).code).toBe("bad_key");
      const sealed = sealSecret(dataKey, PLAINTEXT, binding);
      expect(caught(() => openSecret(Buffer.alloc(0), sealed, binding)).code).toBe("bad_key");
    });
  });
});
