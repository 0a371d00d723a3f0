import type { ModelCtor } from "sequelize-typescript";
import type { RevocationChecker } from "@msp/auth";
import { createAuthenticator, createRevocationClient } from "@msp/auth";
import type { Database } from "@msp/db";
import { createDatabase, migrateUp, prepareDatabase } from "@msp/db";
import type { RunningGrpcServer, ServiceRegistration } from "@msp/grpc-kit";
import { startGrpcServer } from "@msp/grpc-kit";
import type { Logger } from "@msp/logging";
import { createLogger, describeDatabaseUrl } from "@msp/logging";
import { migrations } from "@msp/migrations";
import type { ServiceConfig } from "./service-config";

/** What a service app provides: its models and, given a database, its gRPC services. */
export interface ServiceModule {
  name: string;
  models: ModelCtor[];
  /** The largest request message the service takes, when it needs more than the server's default (16 MiB). */
  maxReceiveMessageBytes?: number;
  services(db: Database, logger: Logger): ServiceRegistration[];
}

/** A service up and running: its port, and how to stop it (server first, then the pool). */
export interface RunningService {
  port: number;
  db: Database;
  stop(): Promise<void>;
}

export interface StartServiceOptions {
  /**
   * Answers revocation instead of asking the identity service at config.identityAddress:
   * tests, and the process that hosts the identity services itself (it must not ask itself).
   */
  revocation?: RevocationChecker;
}

/**
 * Start-up shared by every service: database, migrations (under the migration lock), gRPC
 * server with health and reflection, every call authenticated. Tests call this with port 0.
 */
export async function startService(
  module: ServiceModule,
  config: ServiceConfig,
  logger?: Logger,
  options: StartServiceOptions = {},
): Promise<RunningService> {
  const log = logger ?? createLogger({ service: module.name, level: config.logLevel });
  const revocation = revocationOf(config, options);
  const db = createDatabase(config.database, module.models);
  let server: RunningGrpcServer | undefined;
  try {
    const authenticator = createAuthenticator({ secret: config.jwtSecret, revocation: revocation.checker });
    await prepareDatabase(db);
    await migrateUp(db, migrations, { log: (message) => log.info(message) });
    server = await startGrpcServer({
      host: config.host,
      port: config.port,
      services: module.services(db, log),
      authenticator,
      logger: log,
      shutdownGraceMs: config.shutdownGraceMs,
      ...(module.maxReceiveMessageBytes === undefined ? {} : { maxReceiveMessageBytes: module.maxReceiveMessageBytes }),
    });
  } catch (error) {
    revocation.close();
    await db.close().catch(() => undefined);
    throw error;
  }
  const running = server;
  log.info({ port: running.port, database: describeDatabaseUrl(config.database.databaseUrl) }, `${module.name} listening`);
  return {
    port: running.port,
    db,
    async stop() {
      await running.shutdown();
      revocation.close();
      await db.close();
    },
  };
}

/** The given revocation checker, or a client of the identity service that stop() closes. */
function revocationOf(config: ServiceConfig, options: StartServiceOptions): { checker: RevocationChecker; close(): void } {
  if (options.revocation !== undefined) return { checker: options.revocation, close: () => undefined };
  const client = createRevocationClient({ address: config.identityAddress });
  return { checker: client, close: () => client.close() };
}
