import { CryptoError, parseTotpSeed } from "@msp/crypto";
import { invalidArgument } from "@msp/errors";

/** The largest secret the vault keeps: an SSH or certificate private key fits many times over. */
export const maxSecretBytes = 65_536;

/** A secret as given: 1-65536 bytes of UTF-8; a TOTP seed must parse. Named `field` in errors. */
export function checkSecret(field: string, secret: string | undefined, credentialType?: string): string {
  if (secret === undefined || secret === "") throw invalidArgument(field, "is required");
  if (Buffer.byteLength(secret, "utf8") > maxSecretBytes) throw invalidArgument(field, `must be at most ${maxSecretBytes} bytes`);
  if (credentialType === "totp_seed") {
    try {
      parseTotpSeed(secret);
    } catch (error) {
      if (error instanceof CryptoError) throw invalidArgument(field, `is not a TOTP seed: ${error.message}`);
      throw error;
    }
  }
  return secret;
}

/** Why a secret is being revealed: 3-500 characters after trimming. */
export function checkReason(reason: string | undefined, field = "reason"): string {
  const text = (reason ?? "").trim();
  if (text === "") throw invalidArgument(field, "is required: say why the secret is needed (it is kept in the access log)");
  if (text.length < 3) throw invalidArgument(field, "must be at least 3 characters");
  if (text.length > 500) throw invalidArgument(field, "must be at most 500 characters");
  return text;
}
