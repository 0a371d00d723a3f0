import { createHash } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Principal, TokenSigner } from "@msp/auth";
import { authorize, bearerToken, createCachedVerifier, looksLikeApiKey, methodPolicies, methodPolicy } from "@msp/auth";
import { DomainError } from "@msp/errors";
import type { AuthLogic } from "./identity/auth-service";
import { loginThrottled } from "./identity/login-throttle";

/** What the gateway forwards for a caller: the principal, and the JWT backends will check again. */
export interface Forwarding {
  principal?: Principal;
  authorization?: string;
}

export interface AuthGate {
  /**
   * Checks the caller of `path` (/pkg.Service/Method) from its Authorization header; `clientIp`
   * is the caller's address, which logins are throttled by.
   */
  check(path: string, authorization: string | undefined, clientIp?: string): Promise<Forwarding>;
  /** Forgets every cached "not revoked" answer and API key: called whenever the identity services change something that can end a token. */
  forgetRevocations(): void;
}

interface Cached<T> {
  value: T;
  until: number;
}

const loginPath = "/msp.identity.v1.AuthService/CreateToken";

/**
 * The gateway's token check: JWT signature, expiry, revocation and the user's current state
 * (deleted, disabled, another role, a newer security version, an API key revoked), role and
 * scope, before any backend is called. API keys sent as bearer tokens are exchanged here for a
 * short-lived JWT, which is what the backends see.
 */
export function createAuthGate(options: {
  secret: string;
  signer: TokenSigner;
  auth: () => AuthLogic;
  revocationCacheMs: number;
  accessTokenTtlSeconds: number;
}): AuthGate {
  // Every platform method must declare its policy: one that does not stops start-up, not a call.
  methodPolicies();
  const verifyToken = createCachedVerifier(options.secret);
  const notRevoked = new Map<string, number>();
  const keyTokens = new Map<string, Cached<{ principal: Principal; token: string }>>();

  async function principalOfJwt(token: string): Promise<Principal> {
    const principal = await verifyToken(token);
    const now = Date.now();
    if ((notRevoked.get(principal.tokenId) ?? 0) < now) {
      const refusal = await options.auth().tokenRefusal(principal);
      if (refusal !== undefined) throw new DomainError("unauthenticated", `invalid token: ${refusal}`);
      if (notRevoked.size > 100_000) notRevoked.clear();
      notRevoked.set(principal.tokenId, now + options.revocationCacheMs);
    }
    return principal;
  }

  async function exchangeKey(key: string): Promise<{ principal: Principal; token: string }> {
    const cacheKey = createHash("sha256").update(key).digest("base64url");
    const cached = keyTokens.get(cacheKey);
    if (cached && cached.until > Date.now()) return cached.value;
    const identity = await options.auth().principalOfApiKey(key);
    const issued = await options.signer.issueAccessToken(identity, options.accessTokenTtlSeconds);
    const value = { principal: { ...identity, tokenId: issued.tokenId, expiresAt: issued.expiresAt }, token: issued.token };
    if (keyTokens.size > 10_000) keyTokens.clear();
    // Revoking a key must take effect as soon as revoking a token does (at once through this
    // gateway, which forgets its caches, and within revocationCacheMs through any other).
    keyTokens.set(cacheKey, { value, until: Math.min(Date.now() + options.revocationCacheMs, issued.expiresAt.getTime() - 60_000) });
    return value;
  }

  /**
   * Refuses a login from an address that failed too often (the identity service counts), with
   * the Retry-After the HTTP answer carries (REST and Connect both send the error's metadata as headers).
   */
  function checkLoginThrottle(clientIp: string | undefined): void {
    const wait = options.auth().loginRetryAfterSeconds(clientIp);
    if (wait > 0) throw new ConnectError(loginThrottled(wait).message, Code.ResourceExhausted, { "retry-after": String(wait) });
  }

  return {
    forgetRevocations() {
      notRevoked.clear();
      keyTokens.clear();
    },
    async check(path, authorization, clientIp) {
      const token = bearerToken(authorization);
      // The proto declares who may call the method (public ones, such as logging in, need no token).
      const policy = methodPolicy(path);
      if (path === loginPath) checkLoginThrottle(clientIp);
      if (policy.access === "public") return token ? { authorization: `Bearer ${token}` } : {};
      if (!token) throw new DomainError("unauthenticated", "missing bearer token: send Authorization: Bearer <token>");
      let principal: Principal;
      let forward = token;
      if (looksLikeApiKey(token)) {
        const exchanged = await exchangeKey(token);
        principal = exchanged.principal;
        forward = exchanged.token;
      } else {
        principal = await principalOfJwt(token);
      }
      // A service that logs refusals (the vault's reveals) must see the refused call to log it; it refuses it the same way.
      if (!policy.serviceLogsRefusals) authorize(principal, policy);
      return { principal, authorization: `Bearer ${forward}` };
    },
  };
}
