import { randomBytes } from "node:crypto";
import type { ServiceError } from "@grpc/grpc-js";
import { Metadata, credentials, status } from "@grpc/grpc-js";
import { createAuthenticator, createTokenSigner } from "@msp/auth";
import { createLogger } from "@msp/logging";
import { HealthCheckResponse_ServingStatus, HealthClient } from "@msp/proto/src/gen/ts/grpc/health/v1/health";
import type { AuthServiceClient } from "@msp/proto/src/gen/ts/msp/identity/v1/auth";
import { AuthServiceClient as AuthServiceClientCtor, AuthServiceService } from "@msp/proto/src/gen/ts/msp/identity/v1/auth";
import type { CallContext } from "./call-context";
import type { Handlers } from "./handlers";
import { serviceOf } from "./handlers";
import type { RunningGrpcServer } from "./server";
import { startGrpcServer } from "./server";

// The identity AuthService over a real server: logging in is open, everything else needs a token.
const secret = randomBytes(32).toString("hex");
const seen: CallContext[] = [];
const handlers: Handlers<typeof AuthServiceService> = {
  createToken: (_request, ctx) => {
    seen.push(ctx);
    return Promise.resolve({
      accessToken: "t",
      tokenType: "Bearer",
      expiresIn: 60,
      refreshToken: "",
      expiresAt: undefined,
      role: "",
      scopes: [],
    });
  },
  refreshToken: () => Promise.reject(new Error("not in this test")),
  revokeToken: (_request, ctx) => {
    seen.push(ctx);
    return Promise.resolve({});
  },
  checkRevocation: () => Promise.resolve({ revoked: false }),
};

let server: RunningGrpcServer;
let client: AuthServiceClient;
let address: string;
beforeAll(async () => {
  const logger = createLogger({ service: "test", level: "silent" });
  server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [serviceOf(AuthServiceService, handlers, "test", logger)],
    authenticator: createAuthenticator({ secret, revocation: { isRevoked: () => Promise.resolve(false) } }),
    logger,
    shutdownGraceMs: 1000,
  });
  address = `127.0.0.1:${server.port}`;
  client = new AuthServiceClientCtor(address, credentials.createInsecure());
});
afterAll(async () => {
  client.close();
  await server.shutdown();
});
beforeEach(() => {
  seen.length = 0;
});

const unary = <Res>(
  fn: (metadata: Metadata, callback: (error: ServiceError | null, response: Res) => void) => unknown,
  metadata = new Metadata(),
) => new Promise<Res>((resolve, reject) => fn(metadata, (error, response) => (error ? reject(error) : resolve(response))));

describe("serviceOf with an authenticator", () => {
  it("lets anyone log in, with no principal in the context", async () => {
    await unary((m, cb) => client.createToken({ username: "alice", password: "pw", apiKey: "" }, m, cb));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ principal: "anonymous", auth: undefined, method: "msp.identity.v1.AuthService/CreateToken" });
  });

  it("refuses any other method without a token, never reaching the handler", async () => {
    const error = await unary((m, cb) => client.revokeToken({ token: "", all: false, userId: "" }, m, cb)).then(
      () => undefined,
      (e: unknown) => e as ServiceError,
    );
    expect(error?.code).toBe(status.UNAUTHENTICATED);
    expect(error?.details).toMatch(/authorization missing/);
    expect(error?.metadata.get("x-request-id")).toHaveLength(1);
    expect(seen).toHaveLength(0);
  });

  it("hands the verified principal to the handler", async () => {
    const issued = await createTokenSigner(secret).issueAccessToken(
      { subject: "u1", userId: "u1", username: "rita", role: "readonly", scopes: [], kind: "user" },
      60,
    );
    const metadata = new Metadata();
    metadata.set("authorization", `Bearer ${issued.token}`);
    await unary((m, cb) => client.revokeToken({ token: "", all: false, userId: "" }, m, cb), metadata);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.principal).toBe("rita");
    expect(seen[0]?.auth).toEqual({
      subject: "u1",
      userId: "u1",
      username: "rita",
      role: "readonly",
      scopes: [],
      kind: "user",
      tokenId: issued.tokenId,
      expiresAt: issued.expiresAt,
    });
  });

  it("leaves health open", async () => {
    const health = new HealthClient(address, credentials.createInsecure());
    try {
      const response = await unary<{ status: HealthCheckResponse_ServingStatus }>((m, cb) => health.check({ service: "" }, m, cb));
      expect(response.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    } finally {
      health.close();
    }
  });
});
