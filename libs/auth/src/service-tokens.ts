import type { Principal } from "./principal";
import { createTokenSigner } from "./tokens";

/** How long a service token lives: long enough for one call and its retries, short enough not to matter if it leaks. */
export const serviceTokenTtlSeconds = 60;

/** A service token is reused while it has more than this left. */
const reuseMarginMs = 30_000;

/**
 * Mints the tokens a service sends when it calls another service on behalf of the user it is
 * serving. Such a token names the calling service and the user (their id, name and role), and
 * carries only the scopes the calling service declared for its calls (`work:read`), so the
 * answering service applies both: the user's role and the calling service's narrow scopes. It
 * is not the caller's own token on purpose: a machine key scoped to `context:write` must still let
 * the recall service check a project with the work service, and a token about to expire must
 * not fail the second hop. Tokens are cached per user and role and live 60 s.
 */
export interface ServiceTokens {
  /** A bearer token for calls made while serving `caller`. */
  tokenFor(caller: Principal): Promise<string>;
}

export interface ServiceTokensOptions {
  /** MSP_JWT_SECRET, the same in every process. */
  secret: string;
  /** The calling service, such as recall-service. */
  service: string;
  /** The scopes its calls need, such as ["work:read"]; nothing else is allowed with its tokens. */
  scopes: readonly string[];
  now?: () => number;
}

export function createServiceTokens(options: ServiceTokensOptions): ServiceTokens {
  const now = options.now ?? Date.now;
  const signer = createTokenSigner(options.secret, { now });
  const cache = new Map<string, { token: string; reuseUntil: number }>();
  return {
    async tokenFor(caller) {
      const key = `${caller.userId}\u0000${caller.username}\u0000${caller.role}`;
      const cached = cache.get(key);
      if (cached && cached.reuseUntil > now()) return cached.token;
      const issued = await signer.issueAccessToken(
        {
          subject: caller.userId,
          userId: caller.userId,
          username: caller.username,
          role: caller.role,
          scopes: [...options.scopes],
          kind: "service",
          service: options.service,
        },
        serviceTokenTtlSeconds,
      );
      if (cache.size >= 10_000) cache.clear();
      cache.set(key, { token: issued.token, reuseUntil: issued.expiresAt.getTime() - reuseMarginMs });
      return issued.token;
    },
  };
}
