import type { ChannelCredentials, Client } from "@grpc/grpc-js";
import type { ServiceModule } from "@msp/service-runtime";
import type { TestService } from "./test-service";
import { connect, startTestService } from "./test-service";

/** A generated grpc-js client class, as `connect` takes it. */
type ClientClass = new (address: string, creds: ChannelCredentials) => Client;

/** Client classes by the name a test reaches them by; `service` and `stop` are the stack's own. */
export type ClientClasses = Record<string, ClientClass> & { service?: never; stop?: never };

/** A running service with one connected client per entry of `classes`. */
export type ServiceStack<T extends ClientClasses> = { [K in keyof T]: InstanceType<NonNullable<T[K]>> } & {
  service: TestService;
  /** Closes every client, then stops the service and drops its database. */
  stop(): Promise<void>;
};

/**
 * Starts `module` as a test service (see `startTestService`) and connects a client for each
 * class, each sending the service's admin token by default. A service's own test stack is then
 * just its module and its list of clients.
 */
export async function startServiceStack<T extends ClientClasses>(module: ServiceModule, classes: T): Promise<ServiceStack<T>> {
  const service = await startTestService(module);
  const clients = Object.fromEntries(Object.entries(classes).map(([name, ctor]) => [name, connect(ctor, service)])) as Record<
    string,
    Client
  >;
  return {
    ...clients,
    service,
    async stop() {
      for (const client of Object.values(clients)) client.close();
      await service.stop();
    },
  } as ServiceStack<T>;
}
