import { DomainError } from "@msp/errors";
import type { Principal } from "./principal";

/** What authorization needs to know about an RPC, derived from its path alone. */
export interface MethodAccess {
  /** The fully-qualified service, such as msp.work.v1.ClientService. */
  service: string;
  /** The method name, such as CreateClient. */
  method: string;
  /** False for reads (Get, List, Check, Search, Recall, Explain, Export); true for everything else. */
  mutates: boolean;
}

// A verb counts only as a whole word of the method name: GetClient reads, Getaway would not.
const readVerbs = /^(?:Get|List|Check|Search|Recall|Explain|Export)(?:[A-Z0-9_]|$)/;

/** Reads "/msp.work.v1.ClientService/CreateClient" (the leading slash is optional). */
export function methodAccess(fullMethodPath: string): MethodAccess {
  const path = fullMethodPath.startsWith("/") ? fullMethodPath.slice(1) : fullMethodPath;
  const slash = path.lastIndexOf("/");
  const service = path.slice(0, slash);
  const method = path.slice(slash + 1);
  if (slash <= 0 || method === "" || service.includes("/")) throw new Error(`not a gRPC method path: ${fullMethodPath}`);
  return { service, method, mutates: !readVerbs.test(method) };
}

// The scope family of each service package; machine keys name these (`work:write`).
const families: readonly (readonly [prefix: string, family: string])[] = [
  ["msp.work.", "work"],
  ["msp.recall.", "context"],
  ["msp.infra.", "infra"],
  ["msp.vault.", "vault"],
  ["msp.audit.", "audit"],
  ["msp.identity.", "identity"],
];
const scopesOf = new Map(families.map(([, family]) => [family, { read: `${family}:read`, write: `${family}:write` }]));

/** The scope family of a service (msp.recall.v1.X is "context"), or undefined outside the platform's packages. */
export function scopeFamily(service: string): string | undefined {
  for (const [prefix, family] of families) if (service.startsWith(prefix)) return family;
  return undefined;
}

const userService = "msp.identity.v1.UserService";
const authService = "msp.identity.v1.AuthService";

/**
 * Methods anyone may call without a token: logging in (or exchanging an API key) and
 * refreshing, whose request carries its own credential. Health and reflection are not
 * listed: they are not platform services and are served outside the authenticated handlers.
 */
export function isPublicMethod(access: MethodAccess): boolean {
  return access.service === authService && (access.method === "CreateToken" || access.method === "RefreshToken");
}

/**
 * Lets `principal` call the method or throws permission_denied naming what is missing:
 * UserService is for admins; readonly users only read (and may revoke a token); an API key
 * with scopes needs `<family>:read` or `<family>:write` (write implies read). RevokeToken
 * and CheckRevocation need no scope: they are about the caller's own token, which the
 * identity service checks.
 */
export function authorize(principal: Principal, access: MethodAccess): void {
  const { service, method, mutates } = access;
  if (service === userService && principal.role !== "admin") {
    throw new DomainError("permission_denied", `only admins can call ${service}/${method}`);
  }
  const aboutOwnToken = service === authService && (method === "RevokeToken" || method === "CheckRevocation");
  if (mutates && principal.role === "readonly" && !aboutOwnToken) {
    throw new DomainError("permission_denied", `readonly users cannot call ${service}/${method}`);
  }
  if (principal.kind === "api_key" && principal.scopes.length > 0 && !aboutOwnToken) {
    const family = scopeFamily(service);
    const scopes = family === undefined ? undefined : scopesOf.get(family);
    if (scopes === undefined) throw new DomainError("permission_denied", `API key scopes do not cover ${service}`);
    const granted = principal.scopes.includes(scopes.write) || (!mutates && principal.scopes.includes(scopes.read));
    if (!granted) throw new DomainError("permission_denied", `API key lacks scope ${mutates ? scopes.write : scopes.read}`);
  }
}
