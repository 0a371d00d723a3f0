import { credentials } from "@grpc/grpc-js";
import { Metadata } from "@grpc/grpc-js";
import type { ChannelCredentials, Client, ServiceError } from "@grpc/grpc-js";
import type { ServiceModule, RunningService } from "@msp/service-runtime";
import { startService } from "@msp/service-runtime";
import { createLogger } from "@msp/logging";
import type { TestDatabase } from "./test-database";
import { createTestDatabase } from "./test-database";

/** A real service on a free port over its own database, for integration tests. */
export interface TestService {
  address: string;
  service: RunningService;
  database: TestDatabase;
  stop(): Promise<void>;
}

export async function startTestService(module: ServiceModule): Promise<TestService> {
  const database = await createTestDatabase();
  const service = await startService(
    module,
    { host: "127.0.0.1", port: 0, database: database.config, logLevel: "silent", shutdownGraceMs: 2000 },
    createLogger({ service: module.name, level: "silent" }),
  );
  return {
    address: `127.0.0.1:${service.port}`,
    service,
    database,
    async stop() {
      await service.stop();
      await database.drop();
    },
  };
}

type ClientCtor<C> = new (address: string, creds: ChannelCredentials) => C;

/** A generated grpc-js client connected to a test service. */
export function connect<C extends Client>(ctor: ClientCtor<C>, address: string): C {
  return new ctor(address, credentials.createInsecure());
}

/* eslint-disable @typescript-eslint/no-explicit-any -- inferring from generated overloads */
type RequestOf<F> = F extends (request: infer R, ...rest: any[]) => any ? R : never;
type ResponseOf<F> = F extends (request: any, metadata: any, options: any, callback: (error: any, response: infer Res) => void) => any
  ? Res
  : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Calls a method of a generated grpc-js client and returns a promise of its response. */
export function call<C extends Client, K extends keyof C>(
  client: C,
  method: K,
  request: RequestOf<C[K]>,
  metadata: Metadata = new Metadata(),
): Promise<ResponseOf<C[K]>> {
  const fn = client[method] as unknown as (...args: unknown[]) => unknown;
  return new Promise((resolve, reject) => {
    fn.call(client, request, metadata, {}, (error: ServiceError | null, response: ResponseOf<C[K]>) =>
      error ? reject(error) : resolve(response),
    );
  });
}
