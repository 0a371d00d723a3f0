import { wordlist } from "@scure/bip39/wordlists/english";
import { randomInt } from "node:crypto";
import { CryptoError } from "./crypto-error";
import { pickRandom } from "./random";

/** The BIP-39 English list: 2048 common, distinct lower-case words (11 bits each). */
export const PASSPHRASE_WORDS: readonly string[] = wordlist;

/** The allowed and default number of words in a passphrase. */
export const PASSPHRASE_WORD_COUNT = { min: 3, max: 20, default: 5 } as const;

/** The longest separator accepted between words. */
const MAX_SEPARATOR_LENGTH = 8;

/** What a generated passphrase looks like. */
export interface PassphraseOptions {
  /** Words, from 3 to 20 (default 5). */
  words?: number;
  /** Put between words (default "-"); at most 8 characters. */
  separator?: string;
  /** Upper-cases the first letter of every word, for policies that want a capital (default false). */
  capitalize?: boolean;
  /** Appends one random digit to the last word, for policies that want a digit (default false). */
  appendDigit?: boolean;
}

/** Words chosen uniformly from {@link PASSPHRASE_WORDS}, for example `maple-orbit-quiz-lunar-brave`. */
export function generatePassphrase(options: PassphraseOptions = {}): string {
  const { words, separator, capitalize, appendDigit } = resolvePassphraseOptions(options);
  const chosen = Array.from({ length: words }, () => {
    const word = pickRandom(PASSPHRASE_WORDS);
    return capitalize ? word.charAt(0).toUpperCase() + word.slice(1) : word;
  });
  const digit = appendDigit ? String(randomInt(10)) : "";
  return chosen.join(separator) + digit;
}

/**
 * A generated passphrase's entropy, in bits: 11 per word, plus log2(10) for the appended digit.
 * Capitalizing every word is predictable and adds nothing.
 */
export function passphraseEntropyBits(options: PassphraseOptions = {}): number {
  const { words, appendDigit } = resolvePassphraseOptions(options);
  return words * Math.log2(PASSPHRASE_WORDS.length) + (appendDigit ? Math.log2(10) : 0);
}

function resolvePassphraseOptions(options: PassphraseOptions): Required<PassphraseOptions> {
  const words = options.words ?? PASSPHRASE_WORD_COUNT.default;
  if (!Number.isSafeInteger(words) || words < PASSPHRASE_WORD_COUNT.min || words > PASSPHRASE_WORD_COUNT.max) {
    throw new CryptoError(
      "bad_input",
      `a passphrase must have a whole number of words from ${PASSPHRASE_WORD_COUNT.min} to ${PASSPHRASE_WORD_COUNT.max}; got ${words}`,
    );
  }
  const separator = options.separator ?? "-";
  if (separator.length > MAX_SEPARATOR_LENGTH) {
    throw new CryptoError(
      "bad_input",
      `the passphrase separator must be at most ${MAX_SEPARATOR_LENGTH} characters; got ${separator.length}`,
    );
  }
  return { words, separator, capitalize: options.capitalize ?? false, appendDigit: options.appendDigit ?? false };
}
