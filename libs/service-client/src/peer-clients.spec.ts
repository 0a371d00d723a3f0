// The service-to-service client against real gRPC servers on port 0 (grpc-kit, with the platform's
// authenticator): the service token it sends, deadlines, retries of reads only, and errors mapped
// back into the one vocabulary.
import { randomBytes } from "node:crypto";
import type { Principal } from "@msp/auth";
import { createAuthenticator } from "@msp/auth";
import { DomainError, invalidArgument } from "@msp/errors";
import type { CallContext, Handlers, RunningGrpcServer } from "@msp/grpc-kit";
import { serviceOf, startGrpcServer } from "@msp/grpc-kit";
import { createLogger } from "@msp/logging";
import { ClientService } from "@msp/proto/src/gen/es/msp/work/v1/client_pb";
import { ClientServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { freePort } from "@msp/testing";
import type { PeerClients } from "./peer-clients";
import { createPeerClients } from "./peer-clients";

const secret = randomBytes(32).toString("hex");
const logger = createLogger({ service: "test", level: "silent" });
const caller: Principal = {
  subject: "u-1",
  userId: "u-1",
  username: "mike",
  role: "technician",
  scopes: ["context:write"],
  kind: "api_key",
  tokenId: "t-1",
  expiresAt: new Date(Date.now() + 60_000),
};
const ctx = { auth: caller, requestId: "req-42" };

/** What the answering service saw, per call. */
const seen: CallContext[] = [];
const acme = (id: string) => Promise.resolve(Client.fromPartial({ id, name: "Acme", etag: "e" }));
let answer: (id: string) => Promise<Client> = acme;
const never = () => new Promise<never>(() => undefined);
const handlers: Handlers<typeof ClientServiceService> = {
  getClient: (request, c) => {
    seen.push(c);
    return answer(request.id);
  },
  listClients: never,
  createClient: (_request, c) => {
    seen.push(c);
    return Promise.reject(new DomainError("unavailable", "not now"));
  },
  updateClient: never,
  deleteClient: (_request, c) => {
    seen.push(c);
    return Promise.reject(invalidArgument("etag", "is required"));
  },
};

let server: RunningGrpcServer;
let deadPort: number;
const clients: PeerClients[] = [];
const peersAt = (addresses: string[], deadlineMs = 2000) => {
  const peers = createPeerClients({
    service: "recall-service",
    secret,
    scopes: ["work:read"],
    addresses: { "work-service": addresses },
    deadlineMs,
    retryable: (path) => path.endsWith("/GetClient"),
  });
  clients.push(peers);
  return peers;
};

beforeAll(async () => {
  server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [serviceOf(ClientServiceService, handlers, "work-service", logger)],
    authenticator: createAuthenticator({ secret, revocation: { isRevoked: () => Promise.resolve(false) } }),
    logger,
    shutdownGraceMs: 100,
  });
  deadPort = await freePort();
});
afterAll(async () => {
  for (const peers of clients) peers.close();
  await server.shutdown();
});
beforeEach(() => {
  seen.length = 0;
});

describe("calls to another service", () => {
  it("act for the caller with a service token naming the calling service and only its scopes", async () => {
    const client = await peersAt([`127.0.0.1:${server.port}`]).call(ctx, ClientService.method.getClient, { id: "c-1" });
    expect(client.name).toBe("Acme");
    expect(seen[0]?.auth).toMatchObject({
      kind: "service",
      service: "recall-service",
      userId: "u-1",
      username: "mike",
      role: "technician",
      scopes: ["work:read"],
    });
    expect(seen[0]?.principal).toBe("mike (via recall-service)");
    expect(seen[0]?.requestId).toBe("req-42");
  });

  it("are refused by the answering service beyond the scopes the calling service declared", async () => {
    const error = await peersAt([`127.0.0.1:${server.port}`])
      .call(ctx, ClientService.method.createClient, {})
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "permission_denied", message: "recall-service's token lacks scope work:write" });
    expect(seen).toHaveLength(0);
  });

  it("bring refusals back as DomainErrors with their field violations", async () => {
    const peers = createPeerClients({
      service: "recall-service",
      secret,
      scopes: ["work:write"],
      addresses: { "work-service": [`127.0.0.1:${server.port}`] },
      deadlineMs: 2000,
      retryable: () => false,
    });
    clients.push(peers);
    const error = await peers.call(ctx, ClientService.method.deleteClient, { id: "c-1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: "invalid_argument",
      message: "etag: is required",
      violations: [{ field: "etag", description: "is required" }],
    });
  });

  it("give up at the deadline, saying which service did not answer", async () => {
    answer = never;
    try {
      const started = Date.now();
      const error = await peersAt([`127.0.0.1:${server.port}`], 300)
        .call(ctx, ClientService.method.getClient, { id: "c-2" })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "deadline_exceeded", message: "msp.work.v1.ClientService did not answer in time" });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      answer = acme;
    }
  });

  it("retry a read on the next address when a service is unavailable", async () => {
    const peers = peersAt([`127.0.0.1:${deadPort}`, `127.0.0.1:${server.port}`]);
    for (let i = 0; i < 4; i++)
      await expect(peers.call(ctx, ClientService.method.getClient, { id: `c-${i}` })).resolves.toMatchObject({ name: "Acme" });
    expect(seen).toHaveLength(4);
  });

  it("never send a write twice: an unavailable service is the caller's answer", async () => {
    const error = await peersAt([`127.0.0.1:${deadPort}`])
      .call(ctx, ClientService.method.createClient, {})
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "unavailable", message: "msp.work.v1.ClientService is unavailable; try again shortly" });
  });

  it("refuse to call without a caller to act for", async () => {
    await expect(
      peersAt([`127.0.0.1:${server.port}`]).call({ requestId: "r" }, ClientService.method.getClient, { id: "c" }),
    ).rejects.toThrow(/without a caller to act for/);
  });
});
