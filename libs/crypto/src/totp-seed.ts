import { base32Decode } from "./base32";
import { CryptoError } from "./crypto-error";
import type { TotpAlgorithm, TotpDigits } from "./totp";
import { TOTP_DEFAULTS, resolveTotpOptions } from "./totp";

/** A TOTP seed ready for {@link totpCode}: the secret bytes and every parameter filled in. */
export interface TotpSeed {
  secret: Buffer;
  digits: TotpDigits;
  periodSeconds: number;
  algorithm: TotpAlgorithm;
}

/**
 * Reads a TOTP seed as people paste it: a bare base32 secret (spaces and case ignored), or an
 * `otpauth://totp/<label>?secret=…&digits=…&period=…&algorithm=…` URI from a QR code. Missing
 * parameters take the RFC 6238 defaults. Throws `bad_input` with a message that never repeats
 * the secret.
 */
export function parseTotpSeed(text: string): TotpSeed {
  const trimmed = text.trim();
  if (/^otpauth:/i.test(trimmed)) return parseOtpauthUri(trimmed);
  return { secret: decodeSecret(trimmed, "the TOTP seed"), ...TOTP_DEFAULTS };
}

function parseOtpauthUri(uri: string): TotpSeed {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new CryptoError("bad_input", "the otpauth URI is malformed");
  }
  if (url.host.toLowerCase() !== "totp") {
    const kind = url.host === "" ? "no type" : `type "${url.host}"`;
    throw new CryptoError("bad_input", `the otpauth URI has ${kind}; only otpauth://totp/ seeds are supported`);
  }
  const params = url.searchParams;
  const secretText = params.get("secret");
  if (secretText === null || secretText.trim() === "") {
    throw new CryptoError("bad_input", "the otpauth URI has no secret parameter");
  }
  const options = resolveTotpOptions({
    digits: parseDigits(params.get("digits")),
    periodSeconds: parsePeriod(params.get("period")),
    algorithm: parseAlgorithm(params.get("algorithm")),
  });
  return { secret: decodeSecret(secretText, "the otpauth URI's secret"), ...options };
}

function decodeSecret(text: string, what: string): Buffer {
  if (text === "") throw new CryptoError("bad_input", `${what} is empty`);
  let secret: Buffer;
  try {
    secret = base32Decode(text);
  } catch (error) {
    const reason = error instanceof CryptoError ? error.message : "invalid base32";
    throw new CryptoError("bad_input", `${what} is not valid base32 (${reason})`, { cause: error });
  }
  if (secret.length === 0) throw new CryptoError("bad_input", `${what} decodes to no bytes`);
  return secret;
}

function parseDigits(value: string | null): TotpDigits {
  if (value === null) return TOTP_DEFAULTS.digits;
  if (value === "6" || value === "7" || value === "8") return Number(value) as TotpDigits;
  throw new CryptoError("bad_input", `the otpauth URI's digits must be 6, 7 or 8; got "${value}"`);
}

function parsePeriod(value: string | null): number {
  if (value === null) return TOTP_DEFAULTS.periodSeconds;
  if (/^[1-9][0-9]{0,5}$/.test(value)) return Number(value);
  throw new CryptoError("bad_input", `the otpauth URI's period must be a whole number of seconds from 1 to 999999; got "${value}"`);
}

function parseAlgorithm(value: string | null): TotpAlgorithm {
  if (value === null) return TOTP_DEFAULTS.algorithm;
  const algorithm = value.toLowerCase();
  if (algorithm === "sha1" || algorithm === "sha256" || algorithm === "sha512") return algorithm;
  throw new CryptoError("bad_input", `the otpauth URI's algorithm must be SHA1, SHA256 or SHA512; got "${value}"`);
}
