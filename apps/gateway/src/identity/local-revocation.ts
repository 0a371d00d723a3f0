import type { RevocationChecker } from "@msp/auth";
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
