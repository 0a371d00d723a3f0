import { CryptoError } from "./crypto-error";
import { WRAPPED_DATA_KEY_BYTES, unwrapDataKey, wrapDataKey } from "./data-key";
import { generateKey } from "./master-key";

const masterKey = generateKey();
const dataKey = generateKey();
const KEY_ID = "dk-2024-01";

function caught(action: () => unknown): CryptoError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return error as CryptoError;
  }
  throw new Error("expected a CryptoError");
}

/** The error must not carry any key material, in any encoding. */
function expectNoKeyBytes(message: string): void {
  for (const key of [masterKey, dataKey]) {
    expect(message).not.toContain(key.toString("base64"));
    expect(message).not.toContain(key.toString("hex"));
  }
}

function expectBadKey(action: () => unknown): void {
  const error = caught(action);
  expect(error.code).toBe("bad_key");
  expect(error.message).toBe(`the master key does not open data key ${KEY_ID} (wrong master key, or the key ring was altered)`);
  expectNoKeyBytes(error.message);
}

describe("wrapDataKey / unwrapDataKey", () => {
  it("round-trips a data key", () => {
    const wrapped = wrapDataKey(masterKey, dataKey, KEY_ID);
    expect(unwrapDataKey(masterKey, wrapped, KEY_ID).equals(dataKey)).toBe(true);
  });

  it("lays the wrapped key out as version 1, nonce, tag and ciphertext", () => {
    const wrapped = wrapDataKey(masterKey, dataKey, KEY_ID);
    expect(wrapped).toHaveLength(1 + 12 + 16 + 32);
    expect(WRAPPED_DATA_KEY_BYTES).toBe(61);
    expect(wrapped[0]).toBe(1);
    expect(wrapped.subarray(29).equals(dataKey)).toBe(false);
  });

  it("uses a fresh nonce for every wrap", () => {
    const a = wrapDataKey(masterKey, dataKey, KEY_ID);
    const b = wrapDataKey(masterKey, dataKey, KEY_ID);
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it("refuses the wrong master key", () => {
    const wrapped = wrapDataKey(masterKey, dataKey, KEY_ID);
    expectBadKey(() => unwrapDataKey(generateKey(), wrapped, KEY_ID));
  });

  it("refuses a wrapped key presented under another key id", () => {
    const wrapped = wrapDataKey(masterKey, dataKey, "dk-other");
    expectBadKey(() => unwrapDataKey(masterKey, wrapped, KEY_ID));
  });

  it.each([
    ["nonce", 1],
    ["tag", 13],
    ["ciphertext", 29],
    ["last ciphertext byte", 60],
  ])("refuses a flipped bit in the %s", (_part, offset) => {
    const wrapped = wrapDataKey(masterKey, dataKey, KEY_ID);
    wrapped[offset] = (wrapped[offset] ?? 0) ^ 0x01;
    expectBadKey(() => unwrapDataKey(masterKey, wrapped, KEY_ID));
  });

  it("refuses an unknown version or a truncated key as malformed", () => {
    const wrapped = wrapDataKey(masterKey, dataKey, KEY_ID);
    const otherVersion = Buffer.from(wrapped);
    otherVersion[0] = 2;
    for (const bad of [otherVersion, wrapped.subarray(0, 60), Buffer.alloc(0)]) {
      const error = caught(() => unwrapDataKey(masterKey, bad, KEY_ID));
      expect(error.code).toBe("bad_key");
      expect(error.message).toContain(`wrapped data key ${KEY_ID} is malformed`);
    }
  });

  it("refuses keys that are not 32 bytes", () => {
    expect(caught(() => wrapDataKey(Buffer.alloc(16), dataKey, KEY_ID)).code).toBe("bad_key");
    expect(caught(() => wrapDataKey(masterKey, Buffer.alloc(31), KEY_ID)).code).toBe("bad_key");
    const wrapped = wrapDataKey(masterKey, dataKey, KEY_ID);
    expect(caught(() => unwrapDataKey(Buffer.alloc(33), wrapped, KEY_ID)).code).toBe("bad_key");
  });
});
