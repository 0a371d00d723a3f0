import { randomUUID } from "node:crypto";
import { Metadata } from "@grpc/grpc-js";
import type { IssuedToken, Principal, PrincipalKind, Role } from "@msp/auth";
import { createTokenSigner } from "@msp/auth";

export interface TestTokenOptions {
  role: Role;
  /** An API key's scopes; empty (the default) means whatever the role allows. */
  scopes?: string[];
  kind?: PrincipalKind;
  /** Seconds until expiry, 3600 by default; zero or less mints a token that has already expired. */
  ttlSeconds?: number;
  username?: string;
  userId?: string;
}

/** A minted access token, whom it names, and metadata to send it with. */
export interface TestToken extends IssuedToken {
  principal: Principal;
  metadata(): Metadata;
}

/** Mints an access token signed with a test service's secret (or any `{ secret }`), as the gateway would. */
export async function testToken(service: { secret: string }, options: TestTokenOptions): Promise<TestToken> {
  const ttlSeconds = options.ttlSeconds ?? 3600;
  const kind = options.kind ?? "user";
  const userId = options.userId ?? randomUUID();
  const claims: Omit<Principal, "tokenId" | "expiresAt"> = {
    subject: kind === "api_key" ? randomUUID() : userId,
    userId,
    username: options.username ?? `test-${options.role}`,
    role: options.role,
    scopes: options.scopes ?? [],
    kind,
  };
  // An expired token is issued in the past: a minute-long token that ended ttlSeconds from now.
  const shiftMs = ttlSeconds > 0 ? 0 : (ttlSeconds - 60) * 1000;
  const signer = createTokenSigner(service.secret, { now: () => Date.now() + shiftMs });
  const issued = await signer.issueAccessToken(claims, ttlSeconds > 0 ? ttlSeconds : 60);
  return {
    ...issued,
    principal: { ...claims, tokenId: issued.tokenId, expiresAt: issued.expiresAt },
    metadata: () => bearerMetadata(issued.token),
  };
}

/** Metadata carrying `authorization: Bearer <token>`. */
export function bearerMetadata(token: string): Metadata {
  const metadata = new Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  return metadata;
}
