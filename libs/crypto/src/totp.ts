import { createHmac } from "node:crypto";
import { CryptoError } from "./crypto-error";

/** The HMAC behind a one-time code (RFC 6238 section 1.2). */
export type TotpAlgorithm = "sha1" | "sha256" | "sha512";

/** How many digits a code has. */
export type TotpDigits = 6 | 7 | 8;

/** The parameters of a TOTP seed; every field has the RFC 6238 default when left out. */
export interface TotpOptions {
  /** Digits in a code (default 6). */
  digits?: TotpDigits;
  /** Seconds each code is valid for, the time step X (default 30). */
  periodSeconds?: number;
  /** The HMAC hash (default "sha1"). */
  algorithm?: TotpAlgorithm;
}

/** A code and the span of time, in epoch milliseconds, in which it is current. */
export interface TotpWindow {
  code: string;
  /** The first millisecond of the time step (inclusive). */
  validFromMs: number;
  /** The first millisecond of the next time step (exclusive). */
  validUntilMs: number;
}

/** The RFC 6238 defaults every authenticator app assumes: 6 digits, 30 seconds, SHA-1. */
export const TOTP_DEFAULTS = { digits: 6, periodSeconds: 30, algorithm: "sha1" } as const satisfies Required<TotpOptions>;

/** The code current at `atMs` (epoch milliseconds), zero-padded to the configured digits. */
export function totpCode(secret: Buffer, atMs: number, options: TotpOptions = {}): string {
  return totpWindow(secret, atMs, options).code;
}

/** The code current at `atMs` and when it starts and stops being current. */
export function totpWindow(secret: Buffer, atMs: number, options: TotpOptions = {}): TotpWindow {
  const { digits, periodSeconds, algorithm } = resolveTotpOptions(options);
  if (!Number.isFinite(atMs) || atMs < 0) {
    throw new CryptoError("bad_input", `the time must be a non-negative number of epoch milliseconds; got ${atMs}`);
  }
  const periodMs = periodSeconds * 1000;
  const counter = Math.floor(atMs / periodMs);
  return {
    code: hotpCode(secret, counter, digits, algorithm),
    validFromMs: counter * periodMs,
    validUntilMs: (counter + 1) * periodMs,
  };
}

/** Fills in defaults and checks the options, throwing `bad_input` on an unsupported value. */
export function resolveTotpOptions(options: TotpOptions): Required<TotpOptions> {
  const digits = options.digits ?? TOTP_DEFAULTS.digits;
  const periodSeconds = options.periodSeconds ?? TOTP_DEFAULTS.periodSeconds;
  const algorithm = options.algorithm ?? TOTP_DEFAULTS.algorithm;
  if (digits !== 6 && digits !== 7 && digits !== 8) {
    throw new CryptoError("bad_input", `TOTP digits must be 6, 7 or 8; got ${String(digits)}`);
  }
  if (!Number.isSafeInteger(periodSeconds) || periodSeconds < 1) {
    throw new CryptoError("bad_input", `the TOTP period must be a whole number of seconds, at least 1; got ${periodSeconds}`);
  }
  if (algorithm !== "sha1" && algorithm !== "sha256" && algorithm !== "sha512") {
    throw new CryptoError("bad_input", `the TOTP algorithm must be sha1, sha256 or sha512; got ${String(algorithm)}`);
  }
  return { digits, periodSeconds, algorithm };
}

/** RFC 4226 HOTP: HMAC of the 8-byte big-endian counter, dynamically truncated to `digits`. */
function hotpCode(secret: Buffer, counter: number, digits: TotpDigits, algorithm: TotpAlgorithm): string {
  if (secret.length === 0) throw new CryptoError("bad_input", "the TOTP secret is empty");
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(message).digest();
  const offset = mac.readUInt8(mac.length - 1) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}
