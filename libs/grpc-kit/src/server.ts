import { Server, ServerCredentials } from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";
import type { Authenticator } from "@msp/auth";
import type { Logger } from "@msp/logging";
import { loadDescriptorSet } from "@msp/proto";
import type { ServiceRegistration } from "./handlers";
import { addReflection } from "./reflection";

export interface GrpcServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  services: readonly ServiceRegistration[];
  /** Checks the caller of every call to `services` (health and reflection stay open). */
  authenticator: Authenticator;
  logger: Logger;
  /** How long shutdown waits for in-flight calls before cancelling them. */
  shutdownGraceMs?: number;
  /** The largest request message taken (default 16 MiB). */
  maxReceiveMessageBytes?: number;
}

/** A started server: where it listens and how to stop it. */
export interface RunningGrpcServer {
  port: number;
  shutdown(): Promise<void>;
}

const healthServiceName = "grpc.health.v1.Health";

/**
 * Starts a gRPC server with the given services, each call authenticated, plus health and
 * reflection (both open, no auth), and returns once it listens.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new Server({
    "grpc.max_receive_message_length": options.maxReceiveMessageBytes ?? 16 * 1024 * 1024,
    "grpc.keepalive_permit_without_calls": 1,
  });
  for (const service of options.services) server.addService(service.definition, service.bind(options.authenticator));

  const health = new HealthImplementation({ "": "SERVING" });
  for (const service of options.services) health.setStatus(service.name, "SERVING");
  health.addToServer(server);
  addReflection(server, loadDescriptorSet(), { serviceNames: [...options.services.map((s) => s.name), healthServiceName] });

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${options.host}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) => {
      if (error) reject(error);
      else resolve(bound);
    });
  });

  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= new Promise<void>((resolve) => {
      health.setStatus("", "NOT_SERVING");
      for (const service of options.services) health.setStatus(service.name, "NOT_SERVING");
      const force = setTimeout(() => {
        options.logger.warn("grace period over; cancelling in-flight calls");
        server.forceShutdown();
        resolve();
      }, options.shutdownGraceMs ?? 10_000);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    return stopping;
  };
  return { port, shutdown };
}
