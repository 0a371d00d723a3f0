import type { PassphraseOptions } from "./passphrase";
import { passphraseEntropyBits } from "./passphrase";
import type { PasswordOptions } from "./password";
import { passwordEntropyBits } from "./password";

/** The options of either generator, told apart by `kind`. */
export type GeneratorOptions = ({ kind: "password" } & PasswordOptions) | ({ kind: "passphrase" } & PassphraseOptions);

/**
 * The estimated entropy, in bits, of what {@link generatePassword} or {@link generatePassphrase}
 * makes with these options (a lower bound for passwords). Throws `bad_input` like the generator.
 */
export function entropyBits(options: GeneratorOptions): number {
  switch (options.kind) {
    case "password":
      return passwordEntropyBits(options);
    case "passphrase":
      return passphraseEntropyBits(options);
  }
}
