import type { DescMethod, DescService, FileRegistry } from "@bufbuild/protobuf";
import { createFileRegistry, getOption, hasOption } from "@bufbuild/protobuf";
import { DomainError } from "@msp/errors";
import { loadDescriptorSet } from "@msp/proto";
import { Access, method_policy, service_policy } from "@msp/proto/src/gen/es/msp/policy/v1/policy_pb";
import type { Principal } from "./principal";

/** What a method does: anyone may call a public one; readonly users only read. Reads are safe to retry. */
export type PolicyAccess = "public" | "read" | "write";

/**
 * Who may call one RPC, as its proto declares it (option msp.policy.v1.method_policy on the rpc,
 * msp.policy.v1.service_policy on its service): the one answer the services, the gateway and
 * the OpenAPI document share.
 */
export interface MethodPolicy {
  /** The fully-qualified service, such as msp.work.v1.ClientService. */
  service: string;
  /** The method name, such as CreateClient. */
  method: string;
  access: PolicyAccess;
  /**
   * The scope an API key with scopes must hold, such as `work:write` or `vault:reveal`. Unset
   * when none is needed (public, own token), or when the service names no scope family, in
   * which case no scoped key may call it.
   */
  scope?: string;
  /** The scopes any one of which lets a scoped key call it: `work:read` is also granted by `work:write`. */
  grantingScopes: readonly string[];
  /** Only admins may call it. */
  adminOnly: boolean;
  /** About the caller's own token: any authenticated caller may make it, whatever the role or scopes. */
  ownToken: boolean;
  /** The service logs refused calls itself: the gateway only authenticates, the service authorizes. */
  serviceLogsRefusals: boolean;
}

/** The policies of every method of a descriptor set, by path. */
export interface PolicyIndex {
  /**
   * The policy of "/msp.work.v1.ClientService/CreateClient" (the leading slash is optional).
   * Throws for a path that names no method of the set, or a method whose rpc declares no access.
   */
  policyOf(path: string): MethodPolicy;
  /** Every declared policy, in descriptor order; throws naming each msp.* method that declares none. */
  all(): MethodPolicy[];
}

/** Services of the platform's own packages, which must declare a policy on every rpc. */
const platformPackagePrefix = "msp.";

/** Builds the index of `registry` (the platform's descriptors, or a test's). Throws on a contradictory declaration. */
export function createPolicyIndex(registry: FileRegistry): PolicyIndex {
  const declared = new Map<string, MethodPolicy>();
  const undeclared = new Set<string>();
  for (const type of registry) {
    if (type.kind !== "service") continue;
    for (const method of type.methods) {
      const key = `${type.typeName}/${method.name}`;
      const policy = policyOfMethod(type, method);
      if (policy) declared.set(key, Object.freeze({ ...policy, grantingScopes: Object.freeze([...policy.grantingScopes]) }));
      else undeclared.add(key);
    }
  }
  return {
    policyOf(path) {
      const key = methodKey(path);
      const policy = declared.get(key);
      if (policy) return policy;
      if (undeclared.has(key)) {
        throw new Error(`${key} declares no access policy: give its rpc option (msp.policy.v1.method_policy) = {access: ...} in the proto`);
      }
      throw new Error(`unknown method ${path}: no such service or method in the descriptor set`);
    },
    all() {
      const missing = [...undeclared].filter((key) => key.startsWith(platformPackagePrefix));
      if (missing.length > 0) throw new Error(`methods without a declared access policy: ${missing.join(", ")}`);
      return [...declared.values()];
    },
  };
}

/** The policy a method's options declare, or undefined when its access is unspecified. */
function policyOfMethod(service: DescService, method: DescMethod): MethodPolicy | undefined {
  const where = `${service.typeName}/${method.name}`;
  const declared = hasOption(method, method_policy) ? getOption(method, method_policy) : undefined;
  const defaults = hasOption(service, service_policy) ? getOption(service, service_policy) : undefined;
  if (declared === undefined || declared.access === Access.UNSPECIFIED) return undefined;
  const adminOnly = declared.adminOnly || (defaults?.adminOnly ?? false);
  const base = {
    service: service.typeName,
    method: method.name,
    adminOnly,
    ownToken: declared.ownToken,
    serviceLogsRefusals: declared.serviceLogsRefusals,
  };
  switch (declared.access) {
    case Access.PUBLIC:
      if (declared.scope !== "" || adminOnly || declared.ownToken) {
        throw new Error(
          `${where}: a public method needs no token, so it cannot also name a scope, be admin-only or be about its own token`,
        );
      }
      return { ...base, access: "public", grantingScopes: [] };
    case Access.READ:
    case Access.WRITE: {
      const access = declared.access === Access.READ ? "read" : "write";
      if (declared.ownToken) {
        if (declared.scope !== "") throw new Error(`${where}: a method about the caller's own token needs no scope`);
        return { ...base, access, grantingScopes: [] };
      }
      if (declared.scope !== "") return { ...base, access, scope: declared.scope, grantingScopes: [declared.scope] };
      const family = defaults?.scopeFamily ?? "";
      if (family === "") return { ...base, access, grantingScopes: [] };
      const write = `${family}:write`;
      return access === "read"
        ? { ...base, access, scope: `${family}:read`, grantingScopes: [`${family}:read`, write] }
        : { ...base, access, scope: write, grantingScopes: [write] };
    }
    default:
      throw new Error(`${where}: unknown access ${String(declared.access)}`);
  }
}

/** "msp.work.v1.ClientService/CreateClient" from "/msp.work.v1.ClientService/CreateClient" (the leading slash is optional). */
function methodKey(fullMethodPath: string): string {
  const path = fullMethodPath.startsWith("/") ? fullMethodPath.slice(1) : fullMethodPath;
  const slash = path.lastIndexOf("/");
  if (slash <= 0 || slash === path.length - 1 || path.slice(0, slash).includes("/")) {
    throw new Error(`not a gRPC method path: ${fullMethodPath}`);
  }
  return path;
}

let platformIndex: PolicyIndex | undefined;

/** The index of the platform's compiled descriptor set, built on first use. */
function platformPolicies(): PolicyIndex {
  platformIndex ??= createPolicyIndex(createFileRegistry(loadDescriptorSet()));
  return platformIndex;
}

/** The declared policy of a platform RPC by its path; throws for an unknown or undeclared method. */
export function methodPolicy(fullMethodPath: string): MethodPolicy {
  return platformPolicies().policyOf(fullMethodPath);
}

/** Every platform RPC's policy; throws naming any msp.* method that declares none. */
export function methodPolicies(): MethodPolicy[] {
  return platformPolicies().all();
}

/**
 * Lets `principal` call the method or throws permission_denied naming what is missing: an
 * admin-only method is for admins; readonly users only read (and may act on their own token);
 * an API key with scopes needs one of the method's granting scopes (`<family>:write` implies
 * `<family>:read`; an explicit scope such as `vault:reveal` must be held exactly), and so does a
 * service token, which always carries the calling service's scopes. A call
 * about the caller's own token needs no scope: the identity service checks the token is theirs.
 */
export function authorize(principal: Principal, policy: MethodPolicy): void {
  const { service, method } = policy;
  if (policy.access === "public") return;
  if (policy.adminOnly && principal.role !== "admin") {
    throw new DomainError("permission_denied", `only admins can call ${service}/${method}`);
  }
  if (policy.ownToken) return;
  if (policy.access === "write" && principal.role === "readonly") {
    throw new DomainError("permission_denied", `readonly users cannot call ${service}/${method}`);
  }
  // A service token (one service calling another for a user) always carries its scopes: none allows nothing.
  const scoped = principal.kind === "service" || (principal.kind === "api_key" && principal.scopes.length > 0);
  if (scoped) {
    const holder = principal.kind === "service" ? `${principal.service ?? "a service"}'s token` : "API key";
    if (policy.scope === undefined) throw new DomainError("permission_denied", `${holder} scopes do not cover ${service}`);
    if (!policy.grantingScopes.some((scope) => principal.scopes.includes(scope))) {
      throw new DomainError("permission_denied", `${holder} lacks scope ${policy.scope}`);
    }
  }
}
