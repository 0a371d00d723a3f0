import { DomainError } from "@msp/errors";
import { bearerToken } from "./bearer-token";
import { authorize, isPublicMethod, methodAccess, scopeFamily } from "./policy";
import type { Principal, PrincipalKind, Role } from "./principal";
import { principalName } from "./principal";

const principal = (role: Role, kind: PrincipalKind = "user", scopes: string[] = []): Principal => ({
  subject: kind === "api_key" ? "key-1" : "user-1",
  userId: "user-1",
  username: "alice",
  role,
  scopes,
  kind,
  tokenId: "jti-1",
  expiresAt: new Date(Date.now() + 60_000),
});

/** "ok", or the permission_denied message authorize throws. */
function verdict(who: Principal, path: string): string {
  try {
    authorize(who, methodAccess(path));
    return "ok";
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== "permission_denied") throw error;
    return error.message;
  }
}

describe("methodAccess", () => {
  it("splits the path and tells reads from mutations by the verb", () => {
    expect(methodAccess("/msp.work.v1.ClientService/CreateClient")).toEqual({
      service: "msp.work.v1.ClientService",
      method: "CreateClient",
      mutates: true,
    });
    expect(methodAccess("msp.work.v1.ClientService/GetClient")).toEqual({
      service: "msp.work.v1.ClientService",
      method: "GetClient",
      mutates: false,
    });
    for (const read of [
      "GetClient",
      "ListClients",
      "CheckRevocation",
      "SearchNotes",
      "RecallContext",
      "ExplainFix",
      "ExportSessions",
      "List",
    ])
      expect(methodAccess(`/msp.x.v1.S/${read}`).mutates).toBe(false);
    for (const write of ["CreateClient", "UpdateClient", "DeleteClient", "AddSessionTag", "RevokeToken", "Getaway", "Listen", "Checkout"])
      expect(methodAccess(`/msp.x.v1.S/${write}`).mutates).toBe(true);
  });

  it("refuses something that is not a method path", () => {
    for (const bad of ["", "/", "CreateClient", "/msp.work.v1.ClientService/", "/a/b/c"])
      expect(() => methodAccess(bad)).toThrow(/not a gRPC method path/);
  });

  it("names the scope family of each package", () => {
    expect(scopeFamily("msp.work.v1.ClientService")).toBe("work");
    expect(scopeFamily("msp.recall.v1.RecallService")).toBe("context");
    expect(scopeFamily("msp.infra.v1.HostService")).toBe("infra");
    expect(scopeFamily("msp.vault.v1.CredentialService")).toBe("vault");
    expect(scopeFamily("msp.audit.v1.AuditService")).toBe("audit");
    expect(scopeFamily("msp.identity.v1.ApiKeyService")).toBe("identity");
    expect(scopeFamily("msp.workshop.v1.X")).toBeUndefined();
    expect(scopeFamily("grpc.health.v1.Health")).toBeUndefined();
  });

  it("leaves only logging in and refreshing open", () => {
    const open = (path: string) => isPublicMethod(methodAccess(path));
    expect(open("/msp.identity.v1.AuthService/CreateToken")).toBe(true);
    expect(open("/msp.identity.v1.AuthService/RefreshToken")).toBe(true);
    expect(open("/msp.identity.v1.AuthService/RevokeToken")).toBe(false);
    expect(open("/msp.identity.v1.AuthService/CheckRevocation")).toBe(false);
    expect(open("/msp.work.v1.ClientService/CreateToken")).toBe(false);
  });
});

describe("authorize", () => {
  const admin = principal("admin");
  const technician = principal("technician");
  const readonly = principal("readonly");
  const key = (scopes: string[], role: Role = "technician") => principal(role, "api_key", scopes);

  it.each<[string, Principal, string, string]>([
    ["admin creates", admin, "/msp.work.v1.ClientService/CreateClient", "ok"],
    ["technician creates", technician, "/msp.work.v1.ClientService/CreateClient", "ok"],
    ["technician deletes", technician, "/msp.work.v1.SessionService/DeleteSession", "ok"],
    ["readonly reads", readonly, "/msp.work.v1.ClientService/GetClient", "ok"],
    ["readonly lists", readonly, "/msp.work.v1.ClientService/ListClients", "ok"],
    [
      "readonly creates",
      readonly,
      "/msp.work.v1.ClientService/CreateClient",
      "readonly users cannot call msp.work.v1.ClientService/CreateClient",
    ],
    [
      "readonly tags",
      readonly,
      "/msp.work.v1.SessionService/AddSessionTag",
      "readonly users cannot call msp.work.v1.SessionService/AddSessionTag",
    ],
    ["readonly revokes its token", readonly, "/msp.identity.v1.AuthService/RevokeToken", "ok"],
    ["readonly checks revocation", readonly, "/msp.identity.v1.AuthService/CheckRevocation", "ok"],
    [
      "readonly creates an API key",
      readonly,
      "/msp.identity.v1.ApiKeyService/CreateApiKey",
      "readonly users cannot call msp.identity.v1.ApiKeyService/CreateApiKey",
    ],
    ["technician creates an API key", technician, "/msp.identity.v1.ApiKeyService/CreateApiKey", "ok"],
    ["admin lists users", admin, "/msp.identity.v1.UserService/ListUsers", "ok"],
    ["admin creates a user", admin, "/msp.identity.v1.UserService/CreateUser", "ok"],
    [
      "technician lists users",
      technician,
      "/msp.identity.v1.UserService/ListUsers",
      "only admins can call msp.identity.v1.UserService/ListUsers",
    ],
    ["readonly gets a user", readonly, "/msp.identity.v1.UserService/GetUser", "only admins can call msp.identity.v1.UserService/GetUser"],
    ["key without scopes acts as its role", key([]), "/msp.vault.v1.CredentialService/CreateCredential", "ok"],
    [
      "key without scopes of a readonly user",
      key([], "readonly"),
      "/msp.work.v1.ClientService/CreateClient",
      "readonly users cannot call msp.work.v1.ClientService/CreateClient",
    ],
    ["work:read reads", key(["work:read"]), "/msp.work.v1.ClientService/ListClients", "ok"],
    ["work:read creates", key(["work:read"]), "/msp.work.v1.ClientService/CreateClient", "API key lacks scope work:write"],
    ["work:write creates", key(["work:write"]), "/msp.work.v1.ClientService/CreateClient", "ok"],
    ["work:write implies work:read", key(["work:write"]), "/msp.work.v1.SessionService/GetSession", "ok"],
    ["context:write reads work", key(["context:write"]), "/msp.work.v1.ClientService/GetClient", "API key lacks scope work:read"],
    ["context:write recalls", key(["context:write"]), "/msp.recall.v1.RecallService/RecallContext", "ok"],
    [
      "context:read writes context",
      key(["context:read"]),
      "/msp.recall.v1.MemoryService/CreateMemory",
      "API key lacks scope context:write",
    ],
    ["infra scope", key(["infra:read"]), "/msp.infra.v1.HostService/GetHost", "ok"],
    [
      "vault:reveal is not vault:read",
      key(["vault:reveal"]),
      "/msp.vault.v1.CredentialService/GetCredential",
      "API key lacks scope vault:read",
    ],
    ["vault:write", key(["vault:reveal", "vault:write"]), "/msp.vault.v1.CredentialService/UpdateCredential", "ok"],
    ["audit:read", key(["audit:read"]), "/msp.audit.v1.AuditService/ListEvents", "ok"],
    ["identity:write", key(["identity:write"]), "/msp.identity.v1.ApiKeyService/CreateApiKey", "ok"],
    ["scoped key asks about its token", key(["work:write"]), "/msp.identity.v1.AuthService/CheckRevocation", "ok"],
    ["scoped key revokes its token", key(["work:read"]), "/msp.identity.v1.AuthService/RevokeToken", "ok"],
    [
      "scoped key of a readonly user writes",
      key(["work:write"], "readonly"),
      "/msp.work.v1.ClientService/CreateClient",
      "readonly users cannot call msp.work.v1.ClientService/CreateClient",
    ],
    [
      "scoped key of a technician on users",
      key(["identity:write"]),
      "/msp.identity.v1.UserService/CreateUser",
      "only admins can call msp.identity.v1.UserService/CreateUser",
    ],
    ["scoped key of an admin on users", key(["identity:read"], "admin"), "/msp.identity.v1.UserService/ListUsers", "ok"],
    [
      "scoped admin key writes users",
      key(["identity:read"], "admin"),
      "/msp.identity.v1.UserService/CreateUser",
      "API key lacks scope identity:write",
    ],
    [
      "scoped key outside the platform packages",
      key(["work:write"]),
      "/other.v1.Thing/GetThing",
      "API key scopes do not cover other.v1.Thing",
    ],
    ["user token ignores scopes", principal("technician", "user", ["work:read"]), "/msp.work.v1.ClientService/CreateClient", "ok"],
  ])("%s", (_case, who, path, expected) => {
    expect(verdict(who, path)).toBe(expected);
  });
});

describe("bearerToken", () => {
  it.each<[string | undefined, string | undefined]>([
    ["Bearer abc.def.ghi", "abc.def.ghi"],
    ["bearer abc.def-_ghi", "abc.def-_ghi"],
    ["BEARER  abc ", "abc"],
    [undefined, undefined],
    ["", undefined],
    ["Bearer", undefined],
    ["Bearer ", undefined],
    ["Basic dXNlcjpwYXNz", undefined],
    ["Bearer a b", undefined],
    ["abc.def.ghi", undefined],
  ])("reads %j", (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe("principalName", () => {
  it("is the username, with the key id for an API key", () => {
    expect(principalName(principal("technician"))).toBe("alice");
    expect(principalName(principal("technician", "api_key", ["work:write"]))).toBe("alice (api key key-1)");
  });
});
