import { CryptoError } from "./crypto-error";
import { pickRandom, shuffleInPlace } from "./random";

/** The characters each class draws from, before ambiguous ones are excluded. */
export const PASSWORD_CHARACTER_CLASSES = {
  lower: "abcdefghijklmnopqrstuvwxyz",
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  digits: "0123456789",
  // No quotes, backslash, backtick or space: the password survives a shell or a config file.
  symbols: "!#$%&()*+,-./:;<=>?@[]^_{|}~",
} as const;

/** Characters easily misread for one another, left out when `excludeAmbiguous` is set. */
export const AMBIGUOUS_CHARACTERS = "0O1lI|";

/** The name of a character class: lower, upper, digits or symbols. */
export type PasswordCharacterClass = keyof typeof PASSWORD_CHARACTER_CLASSES;

/** The allowed and default password lengths, in characters. */
export const PASSWORD_LENGTH = { min: 8, max: 256, default: 24 } as const;

/** What a generated password is made of; every class is on unless turned off. */
export interface PasswordOptions {
  /** Characters, from 8 to 256 (default 24). */
  length?: number;
  lower?: boolean;
  upper?: boolean;
  digits?: boolean;
  symbols?: boolean;
  /** Leaves out 0 O 1 l I | (default false). */
  excludeAmbiguous?: boolean;
}

const CLASS_NAMES = Object.keys(PASSWORD_CHARACTER_CLASSES) as PasswordCharacterClass[];

/**
 * A random password with at least one character of every chosen class, the rest drawn from
 * all chosen classes, then shuffled. Throws `bad_input` when no class is chosen, or the length
 * is out of range or shorter than the number of classes.
 */
export function generatePassword(options: PasswordOptions = {}): string {
  const { length, classes } = resolvePasswordOptions(options);
  const all = classes.flat();
  const characters = classes.map((chars) => pickRandom(chars));
  while (characters.length < length) characters.push(pickRandom(all));
  shuffleInPlace(characters);
  return characters.join("");
}

/**
 * A lower bound on a generated password's entropy, in bits: log2 of each class for its
 * guaranteed character plus log2 of all chosen characters for each other one. (The shuffle
 * only adds to it.)
 */
export function passwordEntropyBits(options: PasswordOptions = {}): number {
  const { length, classes } = resolvePasswordOptions(options);
  const alphabet = classes.reduce((total, chars) => total + chars.length, 0);
  const guaranteed = classes.reduce((total, chars) => total + Math.log2(chars.length), 0);
  return guaranteed + (length - classes.length) * Math.log2(alphabet);
}

/** The length and the characters of each chosen class, after the options are checked. */
function resolvePasswordOptions(options: PasswordOptions): { length: number; classes: string[][] } {
  const length = options.length ?? PASSWORD_LENGTH.default;
  if (!Number.isSafeInteger(length) || length < PASSWORD_LENGTH.min || length > PASSWORD_LENGTH.max) {
    throw new CryptoError(
      "bad_input",
      `the password length must be a whole number from ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max}; got ${length}`,
    );
  }
  const chosen = CLASS_NAMES.filter((name) => options[name] ?? true);
  if (chosen.length === 0) {
    throw new CryptoError("bad_input", "choose at least one character class (lower, upper, digits or symbols)");
  }
  if (length < chosen.length) {
    throw new CryptoError("bad_input", `a password of ${length} characters cannot hold one of each of the ${chosen.length} chosen classes`);
  }
  const classes = chosen.map((name) =>
    [...PASSWORD_CHARACTER_CLASSES[name]].filter((char) => !(options.excludeAmbiguous === true && AMBIGUOUS_CHARACTERS.includes(char))),
  );
  return { length, classes };
}
