/**
 * What went wrong, for callers that map it to a status:
 * - `bad_key`: a key is malformed, badly stored, or does not open what it should;
 * - `decrypt_failed`: a sealed secret does not authenticate under its key and binding;
 * - `bad_input`: an argument breaks a rule (lengths, formats, options).
 */
export type CryptoErrorCode = "bad_key" | "decrypt_failed" | "bad_input";

/**
 * The one error the vault's cryptography throws. Its message names what failed and the rule,
 * and never contains key bytes or plaintext, so it is safe to log and to show.
 */
export class CryptoError extends Error {
  override readonly name = "CryptoError";

  constructor(
    readonly code: CryptoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
