import type { ModelCtor } from "sequelize-typescript";
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
  services(db: Database, logger: Logger): ServiceRegistration[];
}

/** A service up and running: its port, and how to stop it (server first, then the pool). */
export interface RunningService {
  port: number;
  db: Database;
  stop(): Promise<void>;
}

/**
 * Start-up shared by every service: database, migrations (under the migration lock), gRPC
 * server with health and reflection. Tests call this with port 0.
 */
export async function startService(module: ServiceModule, config: ServiceConfig, logger?: Logger): Promise<RunningService> {
  const log = logger ?? createLogger({ service: module.name, level: config.logLevel });
  const db = createDatabase(config.database, module.models);
  let server: RunningGrpcServer | undefined;
  try {
    await prepareDatabase(db);
    await migrateUp(db, migrations, { log: (message) => log.info(message) });
    server = await startGrpcServer({
      host: config.host,
      port: config.port,
      services: module.services(db, log),
      logger: log,
      shutdownGraceMs: config.shutdownGraceMs,
    });
  } catch (error) {
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
      await db.close();
    },
  };
}
