import { CryptoError } from "./crypto-error";
import { entropyBits } from "./entropy";
import { PASSPHRASE_WORDS, generatePassphrase, passphraseEntropyBits } from "./passphrase";

const WORDS = new Set(PASSPHRASE_WORDS);

function caught(action: () => unknown): CryptoError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return error as CryptoError;
  }
  throw new Error("expected a CryptoError");
}

describe("generatePassphrase", () => {
  it("draws from 2048 distinct lower-case words", () => {
    expect(PASSPHRASE_WORDS).toHaveLength(2048);
    expect(WORDS.size).toBe(2048);
    for (const word of PASSPHRASE_WORDS) expect(word).toMatch(/^[a-z]+$/);
  });

  it("makes five words joined by hyphens by default", () => {
    const words = generatePassphrase().split("-");
    expect(words).toHaveLength(5);
    for (const word of words) expect(WORDS.has(word)).toBe(true);
  });

  it.each([
    [3, " "],
    [7, "."],
    [20, "_"],
    [4, "::"],
  ])("makes %i words joined by %j", (count, separator) => {
    for (let run = 0; run < 50; run++) {
      const words = generatePassphrase({ words: count, separator }).split(separator);
      expect(words).toHaveLength(count);
      for (const word of words) expect(WORDS.has(word)).toBe(true);
    }
  });

  it("capitalizes every word when asked", () => {
    const words = generatePassphrase({ words: 6, capitalize: true }).split("-");
    expect(words).toHaveLength(6);
    for (const word of words) {
      expect(word).toMatch(/^[A-Z][a-z]+$/);
      expect(WORDS.has(word.toLowerCase())).toBe(true);
    }
  });

  it("appends one digit to the end when asked", () => {
    for (let run = 0; run < 50; run++) {
      const passphrase = generatePassphrase({ words: 3, separator: " ", appendDigit: true });
      expect(passphrase).toMatch(/^[a-z]+ [a-z]+ [a-z]+[0-9]$/);
      for (const word of passphrase.slice(0, -1).split(" ")) expect(WORDS.has(word)).toBe(true);
    }
  });

  it("varies from one call to the next", () => {
    const seen = new Set(Array.from({ length: 100 }, () => generatePassphrase()));
    expect(seen.size).toBe(100);
  });

  it.each([
    ["too few words", { words: 2 }, "from 3 to 20"],
    ["too many words", { words: 21 }, "from 3 to 20"],
    ["a fractional word count", { words: 4.5 }, "from 3 to 20"],
    ["a long separator", { separator: "---------" }, "at most 8 characters"],
  ])("refuses %s", (_label, options, reason) => {
    const error = caught(() => generatePassphrase(options));
    expect(error.code).toBe("bad_input");
    expect(error.message).toContain(reason);
  });
});

describe("passphrase entropy", () => {
  it("counts 11 bits a word plus log2(10) for a digit; capitals add nothing", () => {
    expect(passphraseEntropyBits()).toBe(55);
    expect(entropyBits({ kind: "passphrase", words: 8 })).toBe(88);
    expect(entropyBits({ kind: "passphrase", words: 3, capitalize: true })).toBe(33);
    expect(entropyBits({ kind: "passphrase", words: 4, appendDigit: true })).toBeCloseTo(44 + Math.log2(10), 10);
    expect(caught(() => entropyBits({ kind: "passphrase", words: 1 })).code).toBe("bad_input");
  });
});
