import { base32Decode, base32Encode } from "./base32";
import { CryptoError } from "./crypto-error";
import type { TotpAlgorithm } from "./totp";
import { totpCode, totpWindow } from "./totp";
import { parseTotpSeed } from "./totp-seed";

function caught(action: () => unknown): CryptoError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return error as CryptoError;
  }
  throw new Error("expected a CryptoError");
}

// RFC 6238 Appendix B: the seed for each HMAC is the ASCII digits repeated to the hash size.
const RFC6238_SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from("12345678901234567890", "ascii"),
  sha256: Buffer.from("12345678901234567890123456789012", "ascii"),
  sha512: Buffer.from("1234567890123456789012345678901234567890123456789012345678901234", "ascii"),
};

const RFC6238_VECTORS: [seconds: number, algorithm: TotpAlgorithm, code: string][] = [
  [59, "sha1", "94287082"],
  [59, "sha256", "46119246"],
  [59, "sha512", "90693936"],
  [1111111109, "sha1", "07081804"],
  [1111111109, "sha256", "68084774"],
  [1111111109, "sha512", "25091201"],
  [1111111111, "sha1", "14050471"],
  [1111111111, "sha256", "67062674"],
  [1111111111, "sha512", "99943326"],
  [1234567890, "sha1", "89005924"],
  [1234567890, "sha256", "91819424"],
  [1234567890, "sha512", "93441116"],
  [2000000000, "sha1", "69279037"],
  [2000000000, "sha256", "90698825"],
  [2000000000, "sha512", "38618901"],
  [20000000000, "sha1", "65353130"],
  [20000000000, "sha256", "77737706"],
  [20000000000, "sha512", "47863826"],
];

// RFC 4226 Appendix D: HOTP values for counters 0 to 9 with the SHA-1 seed and 6 digits.
const RFC4226_HOTP = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];

describe("totpCode", () => {
  it.each(RFC6238_VECTORS)("matches RFC 6238 at T=%i with %s", (seconds, algorithm, code) => {
    expect(totpCode(RFC6238_SEEDS[algorithm], seconds * 1000, { digits: 8, algorithm })).toBe(code);
  });

  it.each(RFC4226_HOTP.map((code, counter) => [counter, code] as const))("matches RFC 4226 HOTP at counter %i", (counter, code) => {
    // A 30-second period puts any moment of the counter-th step on that counter.
    expect(totpCode(RFC6238_SEEDS.sha1, counter * 30_000 + 29_999)).toBe(code);
    expect(totpCode(RFC6238_SEEDS.sha1, counter * 1000, { periodSeconds: 1 })).toBe(code);
  });

  it("defaults to 6 digits, 30 seconds and SHA-1", () => {
    expect(totpCode(RFC6238_SEEDS.sha1, 59_000)).toBe("287082");
    expect(totpCode(RFC6238_SEEDS.sha1, 59_000, { digits: 6, periodSeconds: 30, algorithm: "sha1" })).toBe("287082");
  });

  it("zero-pads codes to 7 digits as well", () => {
    expect(totpCode(RFC6238_SEEDS.sha1, 1111111109_000, { digits: 7 })).toBe("7081804");
    expect(totpCode(RFC6238_SEEDS.sha1, 1111111109_000, { digits: 6 })).toBe("081804");
  });

  it("refuses unsupported options, an empty secret and a bad time", () => {
    const seed = RFC6238_SEEDS.sha1;
    expect(caught(() => totpCode(seed, 0, { digits: 9 as 8 })).code).toBe("bad_input");
    expect(caught(() => totpCode(seed, 0, { periodSeconds: 0 })).code).toBe("bad_input");
    expect(caught(() => totpCode(seed, 0, { periodSeconds: 1.5 })).code).toBe("bad_input");
    expect(caught(() => totpCode(seed, 0, { algorithm: "md5" as "sha1" })).code).toBe("bad_input");
    expect(caught(() => totpCode(Buffer.alloc(0), 0)).code).toBe("bad_input");
    expect(caught(() => totpCode(seed, -1)).code).toBe("bad_input");
    expect(caught(() => totpCode(seed, Number.NaN)).code).toBe("bad_input");
  });
});

describe("totpWindow", () => {
  it("gives the code with the start and end of its time step", () => {
    expect(totpWindow(RFC6238_SEEDS.sha1, 59_000, { digits: 8 })).toEqual({ code: "94287082", validFromMs: 30_000, validUntilMs: 60_000 });
    expect(totpWindow(RFC6238_SEEDS.sha1, 60_000)).toEqual({ code: "359152", validFromMs: 60_000, validUntilMs: 90_000 });
  });
});

describe("base32", () => {
  it("decodes the RFC 4648 test vectors, with or without padding, in any case", () => {
    const vectors: [string, string][] = [
      ["", ""],
      ["f", "MY======"],
      ["fo", "MZXQ===="],
      ["foo", "MZXW6==="],
      ["foob", "MZXW6YQ="],
      ["fooba", "MZXW6YTB"],
      ["foobar", "MZXW6YTBOI======"],
    ];
    for (const [plain, encoded] of vectors) {
      expect(base32Decode(encoded).toString("ascii")).toBe(plain);
      expect(base32Decode(encoded.toLowerCase().replace(/=/g, "")).toString("ascii")).toBe(plain);
      expect(base32Encode(Buffer.from(plain, "ascii"))).toBe(encoded.replace(/=/g, ""));
    }
  });

  it("ignores spaces, as seeds are often shown in groups", () => {
    expect(base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").equals(RFC6238_SEEDS.sha1)).toBe(true);
  });

  it("refuses characters outside the alphabet, without echoing the text", () => {
    const error = caught(() => base32Decode("GEZDGNBV1Y3TQOJQ"));
    expect(error.code).toBe("bad_input");
    expect(error.message).toContain("character 9");
    expect(error.message).not.toContain("GEZDGNBV");
  });
});

describe("parseTotpSeed", () => {
  const SEED_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // "12345678901234567890"

  it("accepts a bare base32 seed with the defaults", () => {
    expect(parseTotpSeed(` ${SEED_BASE32.toLowerCase()} `)).toEqual({
      secret: RFC6238_SEEDS.sha1,
      digits: 6,
      periodSeconds: 30,
      algorithm: "sha1",
    });
  });

  it("accepts an otpauth URI with every parameter", () => {
    const uri = `otpauth://totp/ACME%20Co:alice@example.com?secret=${SEED_BASE32}&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60`;
    expect(parseTotpSeed(uri)).toEqual({ secret: RFC6238_SEEDS.sha1, digits: 8, periodSeconds: 60, algorithm: "sha256" });
  });

  it("fills in defaults for the parameters an otpauth URI leaves out", () => {
    const seed = parseTotpSeed(`otpauth://totp/alice?secret=${SEED_BASE32}`);
    expect(seed).toEqual({ secret: RFC6238_SEEDS.sha1, digits: 6, periodSeconds: 30, algorithm: "sha1" });
    expect(totpCode(seed.secret, 59_000, seed)).toBe("287082");
  });

  it("accepts an upper-case scheme and type and a padded secret", () => {
    const seed = parseTotpSeed(`OTPAUTH://TOTP/alice?secret=MZXW6YQ%3D&algorithm=sha512`);
    expect(seed.secret.toString("ascii")).toBe("foob");
    expect(seed.algorithm).toBe("sha512");
  });

  it.each([
    ["an HOTP URI", `otpauth://hotp/alice?secret=${SEED_BASE32}&counter=1`, "only otpauth://totp/"],
    ["a URI without a secret", "otpauth://totp/alice?digits=6", "no secret parameter"],
    ["a URI with an empty secret", "otpauth://totp/alice?secret=", "no secret parameter"],
    ["unsupported digits", `otpauth://totp/alice?secret=${SEED_BASE32}&digits=10`, "digits must be 6, 7 or 8"],
    ["a zero period", `otpauth://totp/alice?secret=${SEED_BASE32}&period=0`, "period must be a whole number"],
    ["a fractional period", `otpauth://totp/alice?secret=${SEED_BASE32}&period=1.5`, "period must be a whole number"],
    ["an unsupported algorithm", `otpauth://totp/alice?secret=${SEED_BASE32}&algorithm=MD5`, "algorithm must be SHA1, SHA256 or SHA512"],
    ["a secret that is not base32", "otpauth://totp/alice?secret=GEZD0NBV", "is not valid base32"],
    ["a bare seed that is not base32", "GEZD-GNBV-189", "is not valid base32"],
    ["an empty seed", "   ", "is empty"],
    ["a seed of padding only", "====", "decodes to no bytes"],
  ])("refuses %s with a clear message", (_label, text, reason) => {
    const error = caught(() => parseTotpSeed(text));
    expect(error.code).toBe("bad_input");
    expect(error.message).toContain(reason);
    expect(error.message).not.toContain("GEZD");
  });
});
