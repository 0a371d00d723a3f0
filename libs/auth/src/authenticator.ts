import { DomainError } from "@msp/errors";
import { bearerToken } from "./bearer-token";
import type { MethodPolicy } from "./policy";
import { authorize } from "./policy";
import type { Principal } from "./principal";
import type { RevocationChecker } from "./revocation-client";
import { createCachedVerifier } from "./cached-verifier";
import { minSecretLength } from "./tokens";

/** Turns a call's Authorization header into the principal allowed to make it, or refuses the call. */
export interface Authenticator {
  /**
   * Throws DomainError unauthenticated (no, bad, expired or revoked token), permission_denied
   * (role or scope) or unavailable (revocation could not be checked).
   */
  authenticate(authorizationHeader: string | undefined, policy: MethodPolicy): Promise<Principal>;
  /** Only the token part of authenticate (no role or scope check): for a service that logs refusals itself. */
  identify(authorizationHeader: string | undefined): Promise<Principal>;
}

export interface AuthenticatorOptions {
  /** MSP_JWT_SECRET, the same in every process. */
  secret: string;
  revocation: RevocationChecker;
}

/** The check every service (and the gateway) runs on every call: token, revocation, role and scope. */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { secret, revocation } = options;
  if (secret.length < minSecretLength) throw new Error(`the JWT secret must be at least ${minSecretLength} characters`);
  const verify = createCachedVerifier(secret);
  const identify = async (authorizationHeader: string | undefined): Promise<Principal> => {
    const token = bearerToken(authorizationHeader);
    if (token === undefined) {
      const problem = authorizationHeader === undefined ? "missing" : "not a bearer token";
      throw new DomainError("unauthenticated", `authorization ${problem}: send "authorization: Bearer <token>"`);
    }
    const principal = await verify(token);
    if (await revocation.isRevoked(principal.tokenId, principal.expiresAt, token, principal)) {
      throw new DomainError("unauthenticated", "invalid token: revoked");
    }
    return principal;
  };
  return {
    identify,
    async authenticate(authorizationHeader, policy) {
      const principal = await identify(authorizationHeader);
      authorize(principal, policy);
      return principal;
    },
  };
}
