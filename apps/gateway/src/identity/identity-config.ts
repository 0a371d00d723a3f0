/** Token lifetimes, lockout and login throttle rules of the identity part of the gateway. */
export interface IdentityConfig {
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Failed logins in a row that lock an account... */
  lockoutThreshold: number;
  /** ...for this long. */
  lockoutSeconds: number;
  /** Failed logins from one address that make it wait (HTTP 429 with Retry-After)... */
  loginThrottleFailures: number;
  /** ...until this long after its first failure of the window. */
  loginThrottleWindowSeconds: number;
}
