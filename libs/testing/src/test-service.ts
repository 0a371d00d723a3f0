import { randomBytes } from "node:crypto";
import { credentials } from "@grpc/grpc-js";
import { Metadata } from "@grpc/grpc-js";
import type { ChannelCredentials, Client, ServiceError } from "@grpc/grpc-js";
import { loadConfig } from "@msp/config";
import type { ServiceModule, RunningService } from "@msp/service-runtime";
import { startService } from "@msp/service-runtime";
import { createLogger } from "@msp/logging";
import type { TestDatabase } from "./test-database";
import { createTestDatabase } from "./test-database";
import { bearerMetadata, testToken } from "./test-token";

/** A real service on a free port over its own database, for integration tests. */
export interface TestService {
  address: string;
  service: RunningService;
  database: TestDatabase;
  /** The JWT secret the service verifies with, made for this service alone. */
  secret: string;
  /** An admin token that clients made by `connect(ctor, testService)` send by default. */
  adminToken: string;
  /** Revokes a token (by its jti) from now on, as the identity service would. */
  revoke(tokenId: string): void;
  stop(): Promise<void>;
}

export interface TestServiceOptions {
  /** The service's own variables (module.config reads them); none by default, so its defaults apply. */
  env?: NodeJS.ProcessEnv;
  /** Where other services answer, by registry name, for a module that calls them. */
  peers?: Record<string, string[]>;
  /** Use this database (another test service's) instead of a fresh one; it is not dropped on stop. */
  database?: TestDatabase;
  /** Sign tokens with this secret (another test service's) instead of a fresh one. */
  secret?: string;
}

/**
 * Starts `module` on port 0 over a fresh test database, with a random JWT secret and an
 * in-memory revocation list in place of the identity service.
 */
export async function startTestService<C>(module: ServiceModule<C>, options: TestServiceOptions = {}): Promise<TestService> {
  const database = options.database ?? (await createTestDatabase());
  const ownDatabase = options.database === undefined;
  const secret = options.secret ?? randomBytes(32).toString("hex");
  const revoked = new Set<string>();
  const service = await startService(
    module,
    {
      host: "127.0.0.1",
      port: 0,
      database: database.config,
      logLevel: "silent",
      shutdownGraceMs: 2000,
      jwtSecret: secret,
      identityAddress: "127.0.0.1:1", // never asked: revocation is answered below
      peers: options.peers ?? {},
      peerDeadlineMs: 5000,
    },
    loadConfig(module.config, options.env ?? {}),
    createLogger({ service: module.name, level: "silent" }),
    { revocation: { isRevoked: (tokenId) => Promise.resolve(revoked.has(tokenId)) } },
  );
  const admin = await testToken({ secret }, { role: "admin", username: "test-admin" });
  return {
    address: `127.0.0.1:${service.port}`,
    service,
    database,
    secret,
    adminToken: admin.token,
    revoke: (tokenId) => void revoked.add(tokenId),
    async stop() {
      await service.stop();
      if (ownDatabase) await database.drop();
    },
  };
}

type ClientCtor<C> = new (address: string, creds: ChannelCredentials) => C;

// The token `call` sends for a client when the test passes no Metadata of its own.
const defaultTokens = new WeakMap<Client, string>();

/**
 * A generated grpc-js client connected to a test service. Given the TestService (not just its
 * address), `call` sends the service's admin token unless the test passes its own Metadata.
 */
export function connect<C extends Client>(ctor: ClientCtor<C>, target: string | TestService): C {
  const client = new ctor(typeof target === "string" ? target : target.address, credentials.createInsecure());
  if (typeof target !== "string") defaultTokens.set(client, target.adminToken);
  return client;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- inferring from generated overloads */
type RequestOf<F> = F extends (request: infer R, ...rest: any[]) => any ? R : never;
type ResponseOf<F> = F extends (request: any, metadata: any, options: any, callback: (error: any, response: infer Res) => void) => any
  ? Res
  : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Calls a method of a generated grpc-js client and returns a promise of its response. Without
 * `metadata`, the client's default token (see `connect`) is sent; with it, exactly `metadata`.
 */
export function call<C extends Client, K extends keyof C>(
  client: C,
  method: K,
  request: RequestOf<C[K]>,
  metadata?: Metadata,
): Promise<ResponseOf<C[K]>> {
  const fn = client[method] as unknown as (...args: unknown[]) => unknown;
  const token = metadata === undefined ? defaultTokens.get(client) : undefined;
  const sent = metadata ?? (token === undefined ? new Metadata() : bearerMetadata(token));
  return new Promise((resolve, reject) => {
    fn.call(client, request, sent, {}, (error: ServiceError | null, response: ResponseOf<C[K]>) =>
      error ? reject(error) : resolve(response),
    );
  });
}
