// RFC 6750: the scheme is case-insensitive, the token is base64url-ish with no spaces.
const bearerPattern = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The token of an `Authorization: Bearer <token>` header (or gRPC metadata), or undefined. */
export function bearerToken(authorizationHeader: string | undefined): string | undefined {
  if (authorizationHeader === undefined) return undefined;
  return bearerPattern.exec(authorizationHeader)?.[1];
}
