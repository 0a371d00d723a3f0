import type { FileRegistry, MessageInitShape } from "@bufbuild/protobuf";
import { create, createFileRegistry, setExtension } from "@bufbuild/protobuf";
import {
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
  MethodOptionsSchema,
  ServiceOptionsSchema,
  file_google_protobuf_descriptor,
  file_google_protobuf_empty,
} from "@bufbuild/protobuf/wkt";
import { DomainError } from "@msp/errors";
import { loadDescriptorSet } from "@msp/proto";
import {
  Access,
  MethodPolicySchema,
  ServicePolicySchema,
  file_msp_policy_v1_policy,
  method_policy,
  service_policy,
} from "@msp/proto/src/gen/es/msp/policy/v1/policy_pb";
import { bearerToken } from "./bearer-token";
import type { MethodPolicy } from "./policy";
import { authorize, createPolicyIndex, methodPolicies, methodPolicy } from "./policy";
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

type SyntheticMethod = [name: string, policy?: MessageInitShape<typeof MethodPolicySchema>];

/** One proto file of `pkg` with one service of empty-message methods, each with the policy given (or none). */
function syntheticFile(
  pkg: string,
  service: string,
  servicePolicy: MessageInitShape<typeof ServicePolicySchema> | undefined,
  methods: SyntheticMethod[],
) {
  const serviceOptions = create(ServiceOptionsSchema);
  if (servicePolicy) setExtension(serviceOptions, service_policy, create(ServicePolicySchema, servicePolicy));
  return create(FileDescriptorProtoSchema, {
    name: `${pkg.replace(/\./g, "/")}/${service.toLowerCase()}.proto`,
    package: pkg,
    syntax: "proto3",
    dependency: ["google/protobuf/empty.proto", "msp/policy/v1/policy.proto"],
    service: [
      {
        name: service,
        options: serviceOptions,
        method: methods.map(([name, policy]) => {
          const options = create(MethodOptionsSchema);
          if (policy) setExtension(options, method_policy, create(MethodPolicySchema, policy));
          return { name, inputType: ".google.protobuf.Empty", outputType: ".google.protobuf.Empty", options };
        }),
      },
    ],
  });
}

function syntheticRegistry(...files: ReturnType<typeof syntheticFile>[]): FileRegistry {
  const deps = [file_google_protobuf_descriptor, file_google_protobuf_empty, file_msp_policy_v1_policy].map((f) => f.proto);
  return createFileRegistry(create(FileDescriptorSetSchema, { file: [...deps, ...files] }));
}

const { READ, WRITE, PUBLIC } = Access;

/** Services the platform's protos do not have yet, and the cases they do not use: an explicit scope, no family, no policy. */
const synthetic = createPolicyIndex(
  syntheticRegistry(
    syntheticFile("msp.vault.v1", "CredentialService", { scopeFamily: "vault" }, [
      ["GetCredential", { access: READ }],
      ["UpdateCredential", { access: WRITE }],
      ["RevealCredential", { access: WRITE, scope: "vault:reveal" }],
      ["ListCredentialTargets", { access: READ, scope: "vault:reveal" }],
    ]),
    syntheticFile("msp.infra.v1", "HostService", { scopeFamily: "infra" }, [["GetHost", { access: READ }]]),
    syntheticFile("msp.audit.v1", "AuditService", { scopeFamily: "audit" }, [["ListEvents", { access: READ }]]),
    syntheticFile("other.v1", "Thing", undefined, [["GetThing", { access: READ }]]),
    syntheticFile("msp.undeclared.v1", "LooseService", { scopeFamily: "loose" }, [
      ["GetLoose"],
      ["ListLoose", { access: Access.UNSPECIFIED }],
      ["CreateLoose", { access: WRITE }],
    ]),
  ),
);

/** The policy of a platform method, or of a synthetic one for packages the platform does not have yet. */
function policyOf(path: string): MethodPolicy {
  return /^\/msp\.(?:work|recall|identity)\./.test(path) ? methodPolicy(path) : synthetic.policyOf(path);
}

/** "ok", or the permission_denied message authorize throws. */
function verdict(who: Principal, path: string): string {
  try {
    authorize(who, policyOf(path));
    return "ok";
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== "permission_denied") throw error;
    return error.message;
  }
}

const platformMethods = [...createFileRegistry(loadDescriptorSet())]
  .filter((type) => type.kind === "service" && type.typeName.startsWith("msp."))
  .flatMap((service) => (service.kind === "service" ? service.methods.map((m) => `${service.typeName}/${m.name}`) : []));

describe("methodPolicy on the platform's descriptors", () => {
  it("has a declared policy for every msp.* method, and lists them all", () => {
    expect(platformMethods.length).toBeGreaterThanOrEqual(139);
    for (const path of platformMethods) expect(["public", "read", "write"]).toContain(methodPolicy(`/${path}`).access);
    expect(
      methodPolicies()
        .map((p) => `${p.service}/${p.method}`)
        .sort(),
    ).toEqual([...platformMethods].sort());
  });

  it("reads the path with or without its leading slash", () => {
    const createClient: MethodPolicy = {
      service: "msp.work.v1.ClientService",
      method: "CreateClient",
      access: "write",
      scope: "work:write",
      grantingScopes: ["work:write"],
      adminOnly: false,
      ownToken: false,
      serviceLogsRefusals: false,
    };
    expect(methodPolicy("/msp.work.v1.ClientService/CreateClient")).toEqual(createClient);
    expect(methodPolicy("msp.work.v1.ClientService/CreateClient")).toEqual(createClient);
    expect(methodPolicy("msp.work.v1.ClientService/GetClient")).toEqual({
      ...createClient,
      method: "GetClient",
      access: "read",
      scope: "work:read",
      grantingScopes: ["work:read", "work:write"],
    });
  });

  it("tells reads from writes as the protos declare them", () => {
    const reads = [
      "msp.work.v1.ClientService/GetClient",
      "msp.work.v1.ClientService/ListClients",
      "msp.work.v1.SessionService/GetSessionTimeline",
      "msp.work.v1.SessionService/FindRecentWork",
      "msp.work.v1.BillableTimeService/GetBillingSummary",
      "msp.work.v1.BillableTimeService/ExportBillableTime",
      "msp.recall.v1.MemoryService/GetMemoryItem",
      "msp.recall.v1.MemoryService/Recall",
      "msp.recall.v1.ContextTagService/ListContextTags",
      "msp.identity.v1.AuthService/CheckRevocation",
      "msp.identity.v1.UserService/ListUsers",
    ];
    const writes = [
      "msp.work.v1.ClientService/CreateClient",
      "msp.work.v1.ClientService/UpdateClient",
      "msp.work.v1.ClientService/DeleteClient",
      "msp.work.v1.SessionService/AddSessionTag",
      "msp.work.v1.WorkItemService/RemoveWorkItemTag",
      "msp.work.v1.BillableTimeService/MarkInvoiced",
      "msp.work.v1.BillableTimeService/UnmarkInvoiced",
      "msp.recall.v1.MemoryService/Ingest",
      "msp.recall.v1.MemoryService/MarkUseful",
      "msp.recall.v1.MemoryService/AttachSessionSummary",
      "msp.identity.v1.AuthService/RevokeToken",
      "msp.identity.v1.ApiKeyService/RevokeApiKey",
      "msp.identity.v1.UserService/SetUserPassword",
    ];
    for (const path of reads) expect([path, methodPolicy(path).access]).toEqual([path, "read"]);
    for (const path of writes) expect([path, methodPolicy(path).access]).toEqual([path, "write"]);
  });

  it("leaves only logging in and refreshing open, and only the token calls about the caller's own token", () => {
    const names = (pick: (p: MethodPolicy) => boolean) =>
      methodPolicies()
        .filter(pick)
        .map((p) => `${p.service}/${p.method}`)
        .sort();
    expect(names((p) => p.access === "public")).toEqual([
      "msp.identity.v1.AuthService/CreateToken",
      "msp.identity.v1.AuthService/RefreshToken",
    ]);
    expect(names((p) => p.ownToken)).toEqual(["msp.identity.v1.AuthService/CheckRevocation", "msp.identity.v1.AuthService/RevokeToken"]);
    const adminServices = [
      "msp.identity.v1.UserService/",
      "msp.audit.v1.AuditService/",
      "msp.audit.v1.BackupService/",
      "msp.vault.v1.KeyService/",
      "msp.vault.v1.IntegrationCredentialService/",
    ];
    const adminMethods = [
      "msp.vault.v1.CredentialService/ListRevealedSinceChange",
      "msp.vault.v1.SecurityIncidentService/DeleteSecurityIncident",
    ];
    expect(names((p) => p.adminOnly)).toEqual(
      platformMethods.filter((m) => adminServices.some((s) => m.startsWith(s)) || adminMethods.includes(m)).sort(),
    );
    // Only the vault's secret-handing methods log their refusals (the gateway leaves their role and scope check to the vault).
    expect(names((p) => p.serviceLogsRefusals)).toEqual([
      "msp.vault.v1.CredentialService/GetTotpCode",
      "msp.vault.v1.CredentialService/RevealCredential",
      "msp.vault.v1.CredentialService/RevealCredentialVersion",
    ]);
    for (const p of methodPolicies().filter((p) => p.access === "public" || p.ownToken)) expect(p.scope).toBeUndefined();
  });

  it("names the scope family of each package", () => {
    const familyOf = (pkg: string) =>
      new Set(
        methodPolicies()
          .filter((p) => p.service.startsWith(pkg) && p.scope)
          .map((p) => p.scope?.split(":")[0]),
      );
    expect(familyOf("msp.work.")).toEqual(new Set(["work"]));
    expect(familyOf("msp.recall.")).toEqual(new Set(["context"]));
    expect(familyOf("msp.identity.")).toEqual(new Set(["identity"]));
  });

  it("refuses a path that is not a method, or names none", () => {
    for (const bad of ["", "/", "CreateClient", "/msp.work.v1.ClientService/", "/a/b/c"])
      expect(() => methodPolicy(bad)).toThrow(/not a gRPC method path/);
    expect(() => methodPolicy("/msp.work.v1.ClientService/Getaway")).toThrow(/unknown method/);
    expect(() => methodPolicy("/other.v1.Thing/GetThing")).toThrow(/unknown method/);
  });
});

describe("createPolicyIndex", () => {
  it("gives an explicit scope to be held exactly", () => {
    expect(synthetic.policyOf("/msp.vault.v1.CredentialService/RevealCredential")).toMatchObject({
      access: "write",
      scope: "vault:reveal",
      grantingScopes: ["vault:reveal"],
    });
    expect(synthetic.policyOf("/msp.vault.v1.CredentialService/ListCredentialTargets")).toMatchObject({
      access: "read",
      scope: "vault:reveal",
      grantingScopes: ["vault:reveal"],
    });
  });

  it("throws for a method whose rpc declares no access, and lists no platform until each has one", () => {
    expect(() => synthetic.policyOf("/msp.undeclared.v1.LooseService/GetLoose")).toThrow(
      "msp.undeclared.v1.LooseService/GetLoose declares no access policy",
    );
    expect(() => synthetic.policyOf("/msp.undeclared.v1.LooseService/ListLoose")).toThrow(/declares no access policy/);
    expect(synthetic.policyOf("/msp.undeclared.v1.LooseService/CreateLoose").access).toBe("write");
    expect(() => synthetic.all()).toThrow(
      "methods without a declared access policy: msp.undeclared.v1.LooseService/GetLoose, msp.undeclared.v1.LooseService/ListLoose",
    );
  });

  it("refuses a contradictory declaration", () => {
    const build = (policy: MessageInitShape<typeof MethodPolicySchema>) => () =>
      createPolicyIndex(syntheticRegistry(syntheticFile("msp.bad.v1", "BadService", { scopeFamily: "bad" }, [["Open", policy]])));
    expect(build({ access: PUBLIC, scope: "bad:read" })).toThrow(/public method needs no token/);
    expect(build({ access: PUBLIC, adminOnly: true })).toThrow(/public method needs no token/);
    expect(build({ access: WRITE, ownToken: true, scope: "bad:write" })).toThrow(/own token needs no scope/);
    expect(build({ access: PUBLIC })).not.toThrow();
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
    ["readonly exports billable time", readonly, "/msp.work.v1.BillableTimeService/ExportBillableTime", "ok"],
    ["readonly recalls", readonly, "/msp.recall.v1.MemoryService/Recall", "ok"],
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
    [
      "readonly marks a memory useful",
      readonly,
      "/msp.recall.v1.MemoryService/MarkUseful",
      "readonly users cannot call msp.recall.v1.MemoryService/MarkUseful",
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
    ["anyone logs in", readonly, "/msp.identity.v1.AuthService/CreateToken", "ok"],
    ["key without scopes acts as its role", key([]), "/msp.vault.v1.CredentialService/UpdateCredential", "ok"],
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
    ["context:write recalls", key(["context:write"]), "/msp.recall.v1.MemoryService/Recall", "ok"],
    ["context:read recalls", key(["context:read"]), "/msp.recall.v1.MemoryService/Recall", "ok"],
    ["context:read ingests", key(["context:read"]), "/msp.recall.v1.MemoryService/Ingest", "API key lacks scope context:write"],
    ["infra scope", key(["infra:read"]), "/msp.infra.v1.HostService/GetHost", "ok"],
    [
      "vault:reveal is not vault:read",
      key(["vault:reveal"]),
      "/msp.vault.v1.CredentialService/GetCredential",
      "API key lacks scope vault:read",
    ],
    ["vault:write", key(["vault:reveal", "vault:write"]), "/msp.vault.v1.CredentialService/UpdateCredential", "ok"],
    ["vault:reveal reveals", key(["vault:reveal"]), "/msp.vault.v1.CredentialService/RevealCredential", "ok"],
    [
      "vault:write does not reveal",
      key(["vault:write", "vault:read"]),
      "/msp.vault.v1.CredentialService/RevealCredential",
      "API key lacks scope vault:reveal",
    ],
    [
      "an explicit read scope is not implied by write",
      key(["vault:write"]),
      "/msp.vault.v1.CredentialService/ListCredentialTargets",
      "API key lacks scope vault:reveal",
    ],
    [
      "readonly key with vault:reveal cannot reveal (a write)",
      key(["vault:reveal"], "readonly"),
      "/msp.vault.v1.CredentialService/RevealCredential",
      "readonly users cannot call msp.vault.v1.CredentialService/RevealCredential",
    ],
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
      "scoped key on a service without a scope family",
      key(["work:write"]),
      "/other.v1.Thing/GetThing",
      "API key scopes do not cover other.v1.Thing",
    ],
    ["user token ignores scopes", principal("technician", "user", ["work:read"]), "/msp.work.v1.ClientService/CreateClient", "ok"],
  ])("%s", (_case, who, path, expected) => {
    expect(verdict(who, path)).toBe(expected);
  });

  it("lets no one call a method that declares no policy", () => {
    expect(() => verdict(admin, "/msp.undeclared.v1.LooseService/GetLoose")).toThrow(/declares no access policy/);
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
