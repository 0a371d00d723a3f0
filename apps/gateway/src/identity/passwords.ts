import argon2 from "argon2";
import { invalidArgument } from "@msp/errors";

/**
 * Argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane): strong against offline guessing and
 * still well under 100 ms per login on these machines.
 */
const options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const minPasswordLength = 12;
const maxPasswordLength = 256;

export function checkPasswordRules(field: string, password: string): void {
  if (password.length < minPasswordLength) throw invalidArgument(field, `must be at least ${minPasswordLength} characters`);
  if (password.length > maxPasswordLength) throw invalidArgument(field, `must be at most ${maxPasswordLength} characters`);
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options);
}

/** Constant-time comparison inside argon2; a malformed stored hash counts as a mismatch. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;

/** Spends the time of a real check, so an unknown username takes as long as a wrong password. */
export async function verifyDecoy(password: string): Promise<void> {
  decoy ??= hashPassword("decoy password that matches nothing");
  await verifyPassword(await decoy, password);
}
