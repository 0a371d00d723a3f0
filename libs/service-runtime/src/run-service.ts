import type { ApiKeyExchanger, RevocationChecker } from "@msp/auth";
import { createApiKeyExchanger, createAuthenticator, createRevocationClient } from "@msp/auth";
import { preMigrationBackup } from "@msp/backup";
import type { Database } from "@msp/db";
import { createDatabase, migrateUp, prepareDatabase } from "@msp/db";
import type { RunningGrpcServer, ServerSupport, ServiceRegistration } from "@msp/grpc-kit";
import { serviceOf, startGrpcServer } from "@msp/grpc-kit";
import type { Logger } from "@msp/logging";
import { createLogger, describeDatabaseUrl } from "@msp/logging";
import { migrations } from "@msp/migrations";
import { createPeerClients } from "@msp/service-client";
import type { ServiceConfig } from "./service-config";
import type { BackgroundWorker, ServiceDeps, ServiceModule } from "./service-module";
import { isReadMethod } from "./read-methods";
import { createKeptKeys, idempotencyOf, keyPruner } from "./idempotency-store";

/** A service up and running: its port, and how to stop it (server first, then workers, then the pool). */
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
  /**
   * Exchanges API keys sent as bearer tokens, with `revocation`: the process that hosts the
   * identity services. Without `revocation` the identity service at config.identityAddress
   * exchanges them; with `revocation` and without this, API keys are refused.
   */
  apiKeys?: ApiKeyExchanger;
}

/**
 * Start-up shared by every service: database, migrations (under the migration lock, after a
 * pre-migration backup of an existing database), gRPC server with health and reflection, every
 * call authenticated, then its background workers. Tests call this with port 0.
 */
export async function startService<C>(
  module: ServiceModule<C>,
  config: ServiceConfig,
  ownConfig: C,
  logger?: Logger,
  options: StartServiceOptions = {},
): Promise<RunningService> {
  const log = logger ?? createLogger({ service: module.name, level: config.logLevel });
  const revocation = revocationOf(config, options);
  // A database that goes away is reported and connected to again; calls needing it meanwhile
  // answer UNAVAILABLE (grpc-kit), and everything else goes on serving.
  const db = createDatabase(config.database, module.models, {
    onConnectionError: (error) => log.warn({ err: error }, "cannot connect to the database; trying again"),
  });
  const peers = createPeerClients({
    service: module.name,
    secret: config.jwtSecret,
    scopes: module.peerScopes ?? [],
    addresses: config.peers,
    deadlineMs: config.peerDeadlineMs,
    retryable: isReadMethod,
  });
  const workers: BackgroundWorker[] = [];
  const started: BackgroundWorker[] = [];
  let server: RunningGrpcServer | undefined;
  const stopWorkers = async () => {
    for (const worker of started.splice(0).reverse()) {
      await worker.stop().catch((error: unknown) => log.error({ err: error, worker: worker.name }, "worker did not stop cleanly"));
    }
  };
  try {
    const authenticator = createAuthenticator({
      secret: config.jwtSecret,
      revocation: revocation.checker,
      ...(revocation.apiKeys ? { apiKeys: revocation.apiKeys } : {}),
    });
    await prepareDatabase(db);
    // An existing database is backed up before pending migrations change it (a failed backup
    // stops the start; MSP_SKIP_PREMIGRATION_BACKUP=1 is the escape hatch).
    await migrateUp(db, migrations, {
      log: (message) => log.info(message),
      beforeMigrating: preMigrationBackup({
        databaseUrl: config.database.databaseUrl,
        dataDir: config.database.dataDir,
        backupDir: config.database.backupDir,
        skip: config.database.skipPreMigrationBackup,
        log,
      }),
    });
    // Writes sent with an idempotency key are applied once (grpc-kit idempotency.ts), kept in the service's own table.
    const keptKeys = createKeptKeys(db, module.name);
    const support: ServerSupport = { idempotency: idempotencyOf(keptKeys, config.jwtSecret, log) };
    workers.push(keyPruner(keptKeys, log));
    const registrations = await register(
      module,
      { db, database: config.database, logger: log, config: ownConfig, peers },
      workers,
      support,
    );
    server = await startGrpcServer({
      host: config.host,
      port: config.port,
      services: registrations,
      authenticator,
      logger: log,
      shutdownGraceMs: config.shutdownGraceMs,
      ...(module.maxReceiveMessageBytes === undefined ? {} : { maxReceiveMessageBytes: module.maxReceiveMessageBytes }),
    });
    for (const worker of workers) {
      await worker.start();
      started.push(worker);
    }
  } catch (error) {
    await server?.shutdown();
    await stopWorkers();
    peers.close();
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
      await stopWorkers();
      peers.close();
      revocation.close();
      await db.close();
    },
  };
}

/** Runs the module's set-up: its services, bound to the server kit, and its workers. */
async function register<C>(
  module: ServiceModule<C>,
  deps: ServiceDeps<C>,
  workers: BackgroundWorker[],
  support: ServerSupport,
): Promise<ServiceRegistration[]> {
  const registrations: ServiceRegistration[] = [];
  await module.setUp(
    {
      serve: (definition, handlers, options) =>
        void registrations.push(serviceOf(definition, handlers, module.name, deps.logger, options, support)),
      run: (worker) => void workers.push(worker),
    },
    deps,
  );
  return registrations;
}

/**
 * The given revocation checker (and API key exchanger), or a client of the identity service that
 * answers both and that stop() closes.
 */
function revocationOf(
  config: ServiceConfig,
  options: StartServiceOptions,
): { checker: RevocationChecker; apiKeys: ApiKeyExchanger | undefined; close(): void } {
  if (options.revocation !== undefined) return { checker: options.revocation, apiKeys: options.apiKeys, close: () => undefined };
  const client = createRevocationClient({ address: config.identityAddress });
  const apiKeys = createApiKeyExchanger({ exchange: (key) => client.exchangeApiKey(key) });
  return { checker: client, apiKeys, close: () => client.close() };
}
