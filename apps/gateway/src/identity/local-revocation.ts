import type { ApiKeyExchanger, RevocationChecker, TokenSigner } from "@msp/auth";
import { createApiKeyExchanger } from "@msp/auth";
import { DomainError } from "@msp/errors";
import type { AuthLogic } from "./auth-service";

/**
 * The revocation check of the process that hosts the identity services: it reads the database
 * itself rather than asking itself over gRPC, with no cache, so that its own services (users,
 * keys, CheckRevocation) refuse a token the moment its user is disabled, demoted or logged out.
 * Before the identity services are ready every token counts as revoked.
 */
export function localRevocationChecker(auth: () => AuthLogic | undefined): RevocationChecker {
  return {
    async isRevoked(tokenId, _expiresAt, _bearer, principal) {
      const logic = auth();
      if (!logic) return true;
      if (!principal) return logic.isRevoked(tokenId);
      const refusal = await logic.tokenRefusal(principal);
      if (refusal !== undefined) throw new DomainError("unauthenticated", `invalid token: ${refusal}`);
      return false;
    },
  };
}

/**
 * API keys sent as bearer tokens straight to this process's identity services (gRPC on
 * IDENTITY_PORT): exchanged by the identity logic itself for a token of the key, as the gateway's
 * gate exchanges them, and not over gRPC.
 */
export function localApiKeyExchanger(
  auth: () => AuthLogic | undefined,
  signer: TokenSigner,
  accessTokenTtlSeconds: number,
): ApiKeyExchanger {
  return createApiKeyExchanger({
    async exchange(key) {
      const logic = auth();
      if (!logic) throw new DomainError("unavailable", "the identity services are starting; try again shortly");
      const issued = await signer.issueAccessToken(await logic.principalOfApiKey(key), accessTokenTtlSeconds);
      return { token: issued.token, expiresAt: issued.expiresAt };
    },
  });
}
