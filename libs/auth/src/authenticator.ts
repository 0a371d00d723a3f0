import { DomainError } from "@msp/errors";
import type { ApiKeyExchanger } from "./api-keys";
import { looksLikeApiKey } from "./api-keys";
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
  /**
   * Exchanges an API key sent as the bearer token for an access token of the key, checked then
   * as any token. Without it, an API key is refused, saying to exchange it first.
   */
  apiKeys?: ApiKeyExchanger;
}

/** The check every service (and the gateway) runs on every call: token, revocation, role and scope. */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { secret, revocation, apiKeys } = options;
  if (secret.length < minSecretLength) throw new Error(`the JWT secret must be at least ${minSecretLength} characters`);
  const verify = createCachedVerifier(secret);
  const principalOf = async (token: string): Promise<Principal> => {
    const principal = await verify(token);
    if (await revocation.isRevoked(principal.tokenId, principal.expiresAt, token, principal)) {
      throw new DomainError("unauthenticated", "invalid token: revoked");
    }
    return principal;
  };
  /**
   * An API key as the bearer token, as the gateway takes one: its access token, checked as any
   * token. A reused token that is refused (its key revoked, or its user logged out everywhere since)
   * is exchanged once more, which says why the key no longer works, or gives a token that does.
   */
  const principalOfKey = async (key: string): Promise<Principal> => {
    if (!apiKeys) {
      throw new DomainError(
        "unauthenticated",
        "API keys are not taken here: exchange the key at AuthService/CreateToken and send its access token",
      );
    }
    const { token, reused } = await apiKeys.tokenFor(key);
    try {
      return await principalOf(token);
    } catch (error) {
      if (!reused || !(error instanceof DomainError) || error.code !== "unauthenticated") throw error;
      apiKeys.forget(key);
      return principalOf((await apiKeys.tokenFor(key)).token);
    }
  };
  const identify = async (authorizationHeader: string | undefined): Promise<Principal> => {
    const token = bearerToken(authorizationHeader);
    if (token === undefined) {
      const problem = authorizationHeader === undefined ? "missing" : "not a bearer token";
      throw new DomainError(
        "unauthenticated",
        `authorization ${problem}: send "authorization: Bearer <token>" (an access token or an API key)`,
      );
    }
    return looksLikeApiKey(token) ? principalOfKey(token) : principalOf(token);
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
