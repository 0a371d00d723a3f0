/** What a user may do across the platform; machine keys narrow it further with scopes. */
export type Role = "admin" | "technician" | "readonly";

/**
 * Whether a token was issued to a person logging in, to a machine's API key, or by a service
 * calling another on a user's behalf (a service token: see service-tokens.ts).
 */
export type PrincipalKind = "user" | "api_key" | "service";

/** Every role, for validating claims and configuration. */
export const roles: readonly Role[] = ["admin", "technician", "readonly"];

/** Every principal kind, for validating claims. */
export const principalKinds: readonly PrincipalKind[] = ["user", "api_key", "service"];

/** Who is calling, as an access token proves it; every RPC handler gets one. */
export interface Principal {
  /** The user id, or the API key id for a key. */
  subject: string;
  username: string;
  role: Role;
  /** Scopes of an API key (`work:write`); empty means whatever the role allows. */
  scopes: string[];
  kind: PrincipalKind;
  /** The token's jti, which revocation is keyed by. */
  tokenId: string;
  expiresAt: Date;
  /** The user the key acts for, or the user. */
  userId: string;
  /** On a service token: the service calling on the user's behalf, such as recall-service. */
  service?: string;
  /**
   * The user's security version when the token was issued (claim `sv`): the identity service
   * bumps it when the user is disabled, changes role or password, or logs out everywhere, and a
   * token with an older one is refused. Absent on service tokens (and on tokens issued before
   * versions existed, which count as version 0).
   */
  securityVersion?: number;
  /** The sign-in (refresh token family, claim `fam`) a user's token comes from: ending it ends the token. */
  familyId?: string;
}

/** A readable name for audit rows: the username, and the key id for an API key. */
export function principalName(principal: Principal): string {
  if (principal.kind === "service") return `${principal.username} (via ${principal.service ?? "a service"})`;
  return principal.kind === "api_key" ? `${principal.username} (api key ${principal.subject})` : principal.username;
}
