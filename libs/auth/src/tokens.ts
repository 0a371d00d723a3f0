import type { KeyObject } from "node:crypto";
import { createSecretKey, randomUUID } from "node:crypto";
import { SignJWT, errors, jwtVerify } from "jose";
import type { JWTPayload } from "jose";
import { DomainError } from "@msp/errors";
import type { Principal, PrincipalKind, Role } from "./principal";
import { principalKinds, roles } from "./principal";

/** The `iss` of every token the platform issues and accepts. */
export const tokenIssuer = "msp-platform";

/** The shortest MSP_JWT_SECRET accepted: 32 characters (`openssl rand -hex 32` gives 64). */
export const minSecretLength = 32;

/** A signed token, its jti (what revocation is keyed by) and when it stops working. */
export interface IssuedToken {
  token: string;
  tokenId: string;
  expiresAt: Date;
}

/** What a refresh token proves: who it was issued to. It carries no role: refreshing re-reads the user. */
export interface RefreshTokenClaims {
  subject: string;
  userId: string;
  username: string;
  tokenId: string;
  expiresAt: Date;
  /** The sign-in the token belongs to (claim `fam`); absent on refresh tokens issued before families existed. */
  familyId?: string;
}

/** Who a refresh token is issued to, and the sign-in (refresh token family) it continues. */
export interface RefreshTokenSubject {
  subject: string;
  userId: string;
  username: string;
  familyId: string;
}

/** Issues the platform's HS256 JWTs; the gateway holds one, services only verify. */
export interface TokenSigner {
  issueAccessToken(p: Omit<Principal, "tokenId" | "expiresAt">, ttlSeconds: number): Promise<IssuedToken>;
  issueRefreshToken(p: RefreshTokenSubject, ttlSeconds: number): Promise<IssuedToken>;
}

export interface TokenSignerOptions {
  /** The clock, in milliseconds since the epoch; tests move it to mint expired tokens. */
  now?: () => number;
}

type TokenType = "access" | "refresh";

// One KeyObject per secret, made once: a process only ever sees one or two secrets.
const keys = new Map<string, KeyObject>();

function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (key === undefined) {
    if (secret.length < minSecretLength) throw new Error(`the JWT secret must be at least ${minSecretLength} characters`);
    if (keys.size >= 16) keys.clear();
    key = createSecretKey(Buffer.from(secret, "utf8"));
    keys.set(secret, key);
  }
  return key;
}

/** Makes the signer of access and refresh tokens; `secret` is MSP_JWT_SECRET, at least 32 characters. */
export function createTokenSigner(secret: string, options: TokenSignerOptions = {}): TokenSigner {
  const key = keyOf(secret);
  const now = options.now ?? Date.now;

  async function sign(typ: TokenType, subject: string, claims: JWTPayload, ttlSeconds: number): Promise<IssuedToken> {
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0)
      throw new RangeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
    if (subject === "") throw new Error("a token needs a subject");
    const issuedAt = Math.floor(now() / 1000);
    const expiresAt = issuedAt + ttlSeconds;
    const tokenId = randomUUID();
    const token = await new SignJWT({ ...claims, typ })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(subject)
      .setIssuer(tokenIssuer)
      .setJti(tokenId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(key);
    return { token, tokenId, expiresAt: new Date(expiresAt * 1000) };
  }

  return {
    async issueAccessToken(p, ttlSeconds) {
      if (!roles.includes(p.role)) throw new Error(`unknown role ${String(p.role)}`);
      if (!principalKinds.includes(p.kind)) throw new Error(`unknown principal kind ${String(p.kind)}`);
      if (!p.scopes.every((s) => typeof s === "string")) throw new Error("scopes must be strings");
      if (p.kind === "service" && !p.service) throw new Error("a service token names its service");
      if (p.securityVersion !== undefined && !isVersion(p.securityVersion)) throw new Error("securityVersion must be a whole number");
      const claims = {
        uid: p.userId,
        name: p.username,
        role: p.role,
        scopes: [...p.scopes],
        kind: p.kind,
        ...(p.kind === "service" ? { svc: p.service } : {}),
        ...(p.securityVersion !== undefined ? { sv: p.securityVersion } : {}),
        ...(p.familyId ? { fam: p.familyId } : {}),
      };
      return await sign("access", p.subject, claims, ttlSeconds);
    },
    async issueRefreshToken(p, ttlSeconds) {
      if (!p.familyId) throw new Error("a refresh token names its family");
      return await sign("refresh", p.subject, { uid: p.userId, name: p.username, fam: p.familyId }, ttlSeconds);
    },
  };
}

/** Checks an access token (signature, expiry, issuer, typ) and says who it names; no revocation check. */
export async function verifyAccessToken(token: string, secret: string): Promise<Principal> {
  const payload = await verifiedPayload(token, secret, "access");
  const role = payload["role"];
  const kind = payload["kind"];
  const scopes = payload["scopes"];
  const service = payload["svc"];
  const version = payload["sv"];
  const common = commonClaims(payload);
  if (
    common === undefined ||
    (kind === "service" && (typeof service !== "string" || service === "")) ||
    (version !== undefined && !isVersion(version)) ||
    !roles.includes(role as Role) ||
    !principalKinds.includes(kind as PrincipalKind) ||
    !Array.isArray(scopes) ||
    !scopes.every((s): s is string => typeof s === "string")
  ) {
    throw malformed();
  }
  return {
    subject: common.subject,
    username: common.username,
    role: role as Role,
    scopes,
    kind: kind as PrincipalKind,
    tokenId: common.tokenId,
    expiresAt: common.expiresAt,
    userId: common.userId,
    ...(kind === "service" ? { service: service as string } : {}),
    ...(version !== undefined ? { securityVersion: version } : {}),
    ...(common.familyId !== undefined ? { familyId: common.familyId } : {}),
  };
}

function isVersion(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** Checks a refresh token (signature, expiry, issuer, typ) and says whom it was issued to. */
export async function verifyRefreshToken(token: string, secret: string): Promise<RefreshTokenClaims> {
  const common = commonClaims(await verifiedPayload(token, secret, "refresh"));
  if (common === undefined) throw malformed();
  return common;
}

// Far above any token the platform issues; refuses garbage before any work is done on it.
const maxTokenLength = 8192;

async function verifiedPayload(token: string, secret: string, typ: TokenType): Promise<JWTPayload> {
  const key = keyOf(secret);
  if (token.length > maxTokenLength) throw malformed();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ["HS256"],
      issuer: tokenIssuer,
      requiredClaims: ["sub", "jti", "iat", "exp"],
    }));
  } catch (error) {
    throw refusalOf(error);
  }
  if (payload["typ"] !== typ)
    throw new DomainError("unauthenticated", `invalid token: not ${typ === "access" ? "an access" : "a refresh"} token`);
  return payload;
}

function commonClaims(payload: JWTPayload): RefreshTokenClaims | undefined {
  const { sub, jti, exp } = payload;
  const uid = payload["uid"];
  const name = payload["name"];
  const fam = payload["fam"];
  if (typeof sub !== "string" || sub === "" || typeof jti !== "string" || jti === "" || typeof exp !== "number") return undefined;
  if (typeof uid !== "string" || uid === "" || typeof name !== "string") return undefined;
  if (fam !== undefined && (typeof fam !== "string" || fam === "")) return undefined;
  return {
    subject: sub,
    userId: uid,
    username: name,
    tokenId: jti,
    expiresAt: new Date(exp * 1000),
    ...(fam !== undefined ? { familyId: fam } : {}),
  };
}

function malformed(): DomainError {
  return new DomainError("unauthenticated", "invalid token: malformed");
}

/** Says why jose refused a token in words safe for the caller; keeps jose's error as the cause. */
function refusalOf(error: unknown): DomainError {
  let reason = "malformed";
  if (error instanceof errors.JWTExpired) reason = "expired";
  else if (error instanceof errors.JWSSignatureVerificationFailed) reason = "signature does not verify";
  else if (error instanceof errors.JOSEAlgNotAllowed) reason = "algorithm not allowed (HS256 only)";
  else if (error instanceof errors.JWTClaimValidationFailed)
    reason = `${error.claim} claim ${error.reason === "missing" ? "missing" : "rejected"}`;
  return new DomainError("unauthenticated", `invalid token: ${reason}`, [], { cause: error });
}
