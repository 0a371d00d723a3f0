import type { Principal } from "./principal";
import { verifyAccessToken } from "./tokens";

/** Tokens remembered at most; past that the memory starts over (a flood of new tokens costs one HMAC each). */
const maxRemembered = 10_000;

/**
 * verifyAccessToken with a memory: a token verifies the same way every time until it expires,
 * and callers reuse their tokens, so each signature is checked once, not once per call.
 */
export function createCachedVerifier(secret: string): (token: string) => Promise<Principal> {
  const verified = new Map<string, Principal>();
  return async (token) => {
    const known = verified.get(token);
    if (known && known.expiresAt.getTime() > Date.now()) return known;
    const principal = await verifyAccessToken(token, secret);
    if (verified.size >= maxRemembered) verified.clear();
    verified.set(token, principal);
    return principal;
  };
}
