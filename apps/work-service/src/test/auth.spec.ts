import { randomBytes } from "node:crypto";
import { Metadata, credentials, status } from "@grpc/grpc-js";
import { QueryTypes } from "sequelize";
import { call, connect, expectStatus, testToken } from "@msp/testing";
import { HealthCheckResponse_ServingStatus, HealthClient } from "@msp/proto/src/gen/ts/grpc/health/v1/health";
import type { ServerReflectionResponse } from "@msp/proto/src/gen/ts/grpc/reflection/v1/reflection";
import { ServerReflectionClient } from "@msp/proto/src/gen/ts/grpc/reflection/v1/reflection";
import { Client, ClientServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import type { WorkStack } from "./work-test-stack";
import { startWorkStack } from "./work-test-stack";

let stack: WorkStack;
let existingId: string;
beforeAll(async () => {
  stack = await startWorkStack();
  existingId = (await call(stack.clients, "createClient", { client: Client.fromPartial({ name: "Auth Existing" }) })).id;
});
afterAll(async () => {
  await stack.stop();
});

const list = (metadata: Metadata) => call(stack.clients, "listClients", { pageSize: 1, pageToken: "", filter: "", orderBy: "" }, metadata);
const create = (name: string, metadata: Metadata) =>
  call(stack.clients, "createClient", { client: Client.fromPartial({ name }) }, metadata);
const token = (options: Parameters<typeof testToken>[1]) => testToken(stack.service, options);

describe("authentication on every RPC", () => {
  it("refuses a call with no token", async () => {
    await expectStatus(list(new Metadata()), status.UNAUTHENTICATED, /authorization missing/);
    const basic = new Metadata();
    basic.set("authorization", "Basic dXNlcjpwYXNz");
    await expectStatus(list(basic), status.UNAUTHENTICATED, /not a bearer token/);
  });

  it("refuses a token signed with another secret", async () => {
    const forged = await testToken({ secret: randomBytes(32).toString("hex") }, { role: "admin" });
    await expectStatus(list(forged.metadata()), status.UNAUTHENTICATED, /signature does not verify/);
  });

  it("refuses an expired token", async () => {
    const expired = await token({ role: "admin", ttlSeconds: -5 });
    await expectStatus(list(expired.metadata()), status.UNAUTHENTICATED, /expired/);
  });

  it("refuses a revoked token from the moment it is revoked", async () => {
    const admin = await token({ role: "admin" });
    await list(admin.metadata());
    stack.service.revoke(admin.tokenId);
    await expectStatus(list(admin.metadata()), status.UNAUTHENTICATED, /revoked/);
  });

  it("refuses a malformed token", async () => {
    const metadata = new Metadata();
    metadata.set("authorization", "Bearer not.a.jwt");
    await expectStatus(list(metadata), status.UNAUTHENTICATED, /invalid token/);
  });
});

describe("roles and scopes", () => {
  it("lets a readonly user read but not change", async () => {
    const readonly = await token({ role: "readonly" });
    await expectStatus(
      create("Readonly Attempt", readonly.metadata()),
      status.PERMISSION_DENIED,
      "readonly users cannot call msp.work.v1.ClientService/CreateClient",
    );
    const got = await call(stack.clients, "getClient", { id: existingId }, readonly.metadata());
    expect(got.name).toBe("Auth Existing");
    const listed = await list(readonly.metadata());
    expect(listed.clients.length).toBe(1);
    await expectStatus(call(stack.clients, "deleteClient", { id: existingId, etag: "" }, readonly.metadata()), status.PERMISSION_DENIED);
  });

  it("lets a technician change things", async () => {
    const technician = await token({ role: "technician" });
    await expect(create("Technician Created", technician.metadata())).resolves.toMatchObject({ name: "Technician Created" });
  });

  it("holds an API key to its scopes", async () => {
    const reader = await token({ role: "technician", kind: "api_key", scopes: ["work:read"] });
    await expectStatus(create("Key Read Only", reader.metadata()), status.PERMISSION_DENIED, "API key lacks scope work:write");
    await list(reader.metadata());

    const writer = await token({ role: "technician", kind: "api_key", scopes: ["work:write"] });
    await expect(create("Key Writer", writer.metadata())).resolves.toMatchObject({ name: "Key Writer" });
    await list(writer.metadata());

    const elsewhere = await token({ role: "technician", kind: "api_key", scopes: ["context:write"] });
    await expectStatus(list(elsewhere.metadata()), status.PERMISSION_DENIED, "API key lacks scope work:read");
  });
});

describe("open services", () => {
  it("answers health checks with no token", async () => {
    const health = new HealthClient(stack.service.address, credentials.createInsecure());
    try {
      const response = await call(health, "check", { service: "msp.work.v1.ClientService" });
      expect(response.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    } finally {
      health.close();
    }
  });

  it("answers reflection with no token", async () => {
    const reflection = new ServerReflectionClient(stack.service.address, credentials.createInsecure());
    try {
      const stream = reflection.serverReflectionInfo();
      const response = await new Promise<ServerReflectionResponse>((resolve, reject) => {
        stream.once("data", resolve);
        stream.once("error", reject);
        stream.write({ host: "", listServices: "" });
      });
      stream.end();
      expect(response.listServicesResponse?.service.map((s) => s.name)).toContain("msp.work.v1.ClientService");
    } finally {
      reflection.close();
    }
  });

  it("sends the admin token by default only for clients connected to the test service", async () => {
    const bare = connect(ClientServiceClient, stack.service.address);
    try {
      await expectStatus(call(bare, "getClient", { id: existingId }), status.UNAUTHENTICATED);
    } finally {
      bare.close();
    }
  });
});

describe("audit", () => {
  const principalOf = async (resourceId: string) => {
    const rows = await stack.service.service.db.sequelize.query<{ principal: string }>(
      "SELECT principal FROM audit_outbox WHERE resource_id = :resourceId",
      { type: QueryTypes.SELECT, replacements: { resourceId } },
    );
    return rows.map((r) => r.principal);
  };

  it("records the token's user as the principal", async () => {
    const alice = await token({ role: "technician", username: "alice" });
    const byAlice = await create("Audited By Alice", alice.metadata());
    expect(await principalOf(byAlice.id)).toEqual(["alice"]);

    const key = await token({ role: "technician", username: "bob", kind: "api_key", scopes: ["work:write"] });
    const byKey = await create("Audited By Key", key.metadata());
    expect(await principalOf(byKey.id)).toEqual([`bob (api key ${key.principal.subject})`]);
  });
});
