/** What a user may do across the platform; machine keys narrow it further with scopes. */
export type Role = "admin" | "technician" | "readonly";

/** Whether a token was issued to a person logging in or to a machine's API key. */
export type PrincipalKind = "user" | "api_key";

/** Every role, for validating claims and configuration. */
export const roles: readonly Role[] = ["admin", "technician", "readonly"];

/** Every principal kind, for validating claims. */
export const principalKinds: readonly PrincipalKind[] = ["user", "api_key"];

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
}

/** A readable name for audit rows: the username, and the key id for an API key. */
export function principalName(principal: Principal): string {
  return principal.kind === "api_key" ? `${principal.username} (api key ${principal.subject})` : principal.username;
}
