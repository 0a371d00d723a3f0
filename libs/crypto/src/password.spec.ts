import { CryptoError } from "./crypto-error";
import { entropyBits } from "./entropy";
import type { PasswordCharacterClass, PasswordOptions } from "./password";
import { AMBIGUOUS_CHARACTERS, PASSWORD_CHARACTER_CLASSES, generatePassword, passwordEntropyBits } from "./password";

const CLASSES = Object.keys(PASSWORD_CHARACTER_CLASSES) as PasswordCharacterClass[];

function caught(action: () => unknown): CryptoError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return error as CryptoError;
  }
  throw new Error("expected a CryptoError");
}

const has = (password: string, chars: string) => [...password].some((char) => chars.includes(char));

describe("generatePassword", () => {
  it("makes 24 characters from every class by default", () => {
    const password = generatePassword();
    expect(password).toHaveLength(24);
    for (const name of CLASSES) expect(has(password, PASSWORD_CHARACTER_CLASSES[name])).toBe(true);
  });

  it.each([8, 9, 64, 256])("honours a length of %i", (length) => {
    expect(generatePassword({ length })).toHaveLength(length);
  });

  const choices: [string, PasswordOptions][] = [
    ["every class", {}],
    ["lower only", { upper: false, digits: false, symbols: false }],
    ["digits only", { lower: false, upper: false, symbols: false }],
    ["letters and digits", { symbols: false }],
    ["upper and symbols", { lower: false, digits: false }],
    ["every class without ambiguous characters", { excludeAmbiguous: true }],
  ];

  it.each(choices)("with %s, uses only allowed characters and always includes each chosen class (1000 runs)", (_label, options) => {
    const chosen = CLASSES.filter((name) => options[name] ?? true);
    const allowed = new Set(
      chosen
        .flatMap((name) => [...PASSWORD_CHARACTER_CLASSES[name]])
        .filter((char) => !(options.excludeAmbiguous && AMBIGUOUS_CHARACTERS.includes(char))),
    );
    const seen = new Set<string>();
    for (let run = 0; run < 1000; run++) {
      // The shortest length, where the guarantee matters most.
      const password = generatePassword({ ...options, length: 8 });
      expect(password).toHaveLength(8);
      for (const char of password) {
        expect(allowed.has(char)).toBe(true);
        seen.add(char);
      }
      for (const name of chosen) expect(has(password, PASSWORD_CHARACTER_CLASSES[name])).toBe(true);
    }
    // 8000 draws cover every allowed character (the chance of missing one is negligible).
    expect(seen).toEqual(allowed);
  });

  it("leaves out 0 O 1 l I | when asked", () => {
    for (let run = 0; run < 200; run++) {
      expect(has(generatePassword({ length: 64, excludeAmbiguous: true }), AMBIGUOUS_CHARACTERS)).toBe(false);
    }
  });

  it("spreads characters roughly evenly (no gross bias)", () => {
    const counts = new Map<string, number>();
    for (let run = 0; run < 1000; run++) {
      for (const char of generatePassword({ length: 64, upper: false, symbols: false })) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    // 64,000 draws over 36 characters: about 1,778 each; the bounds are many deviations wide.
    expect(counts.size).toBe(36);
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(1300);
      expect(count).toBeLessThan(2300);
    }
  });

  it.each([
    ["a length below 8", { length: 7 }, "from 8 to 256"],
    ["a length above 256", { length: 257 }, "from 8 to 256"],
    ["a fractional length", { length: 12.5 }, "from 8 to 256"],
    ["no class", { lower: false, upper: false, digits: false, symbols: false }, "at least one character class"],
  ])("refuses %s", (_label, options: PasswordOptions, reason) => {
    const error = caught(() => generatePassword(options));
    expect(error.code).toBe("bad_input");
    expect(error.message).toContain(reason);
  });
});

describe("password entropy", () => {
  it("counts each guaranteed character in its class and the rest in all chosen characters", () => {
    // 26 + 26 + 10 + 28 = 90 characters by default.
    const expected = Math.log2(26) * 2 + Math.log2(10) + Math.log2(28) + 20 * Math.log2(90);
    expect(passwordEntropyBits()).toBeCloseTo(expected, 10);
    expect(entropyBits({ kind: "password" })).toBeCloseTo(expected, 10);
    expect(entropyBits({ kind: "password", length: 16, upper: false, symbols: false, lower: false })).toBeCloseTo(16 * Math.log2(10), 10);
  });

  it("is lower without ambiguous characters, and refuses what the generator refuses", () => {
    expect(passwordEntropyBits({ excludeAmbiguous: true })).toBeLessThan(passwordEntropyBits());
    expect(caught(() => entropyBits({ kind: "password", length: 4 })).code).toBe("bad_input");
  });
});
