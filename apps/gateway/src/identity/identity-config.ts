/** Token lifetimes and lockout rules of the identity part of the gateway. */
export interface IdentityConfig {
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Failed logins in a row that lock an account... */
  lockoutThreshold: number;
  /** ...for this long. */
  lockoutSeconds: number;
}
