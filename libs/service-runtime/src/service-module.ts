import type { ModelCtor } from "sequelize-typescript";
import { z } from "@msp/config";
import type { Database, DatabaseConfig } from "@msp/db";
import type { Handlers, ServeOptions, ServiceDef } from "@msp/grpc-kit";
import type { Logger } from "@msp/logging";
import type { PeerClients } from "@msp/service-client";

/** What a service's handlers and workers are built from. */
export interface ServiceDeps<C> {
  db: Database;
  /** Where the database is (its URL, or the SQLite file's data folder): for work on the database itself, such as backups. */
  database: DatabaseConfig;
  logger: Logger;
  /** The service's own settings, parsed from the environment at start-up (ServiceModule.config). */
  config: C;
  /** Clients of the other services, calling on behalf of the caller being served. */
  peers: PeerClients;
}

/**
 * Work a service does besides answering calls (draining a queue, writing bookkeeping). Started
 * once the server listens; stopped after it stopped taking calls and before the database closes,
 * so a worker can finish or hand back what it holds.
 */
export interface BackgroundWorker {
  name: string;
  start(): void | Promise<void>;
  stop(): Promise<void>;
}

/** Where a service module registers what it serves and runs. */
export interface ServiceHost {
  /**
   * Serves one gRPC service: `handlers` has exactly the methods of `definition`, each typed by
   * it, so a missing or misspelled method does not compile.
   */
  serve<D extends ServiceDef>(definition: D, handlers: Handlers<D>, options?: ServeOptions): void;
  /** Runs a background worker for the life of the service. */
  run(worker: BackgroundWorker): void;
}

/** A schema reading a service's own settings from the environment. */
export type ServiceConfigSchema<C> = z.ZodType<C, z.ZodTypeDef, unknown>;

/** The settings schema of a service with none of its own. */
export const noSettings: ServiceConfigSchema<Record<string, never>> = z.object({}).strip();

/**
 * What a service app provides: its registry name, its models, its own settings, and, given its
 * dependencies, the gRPC services (and workers) it runs.
 */
export interface ServiceModule<C = unknown> {
  /** Its name in the registry (libs/registry), such as work-service. */
  name: string;
  models: ModelCtor[];
  /** Its own settings (RECALL_CACHE_MB...), parsed once at start-up with the platform's, every problem listed; `noSettings` when none. */
  config: ServiceConfigSchema<C>;
  /** The scopes its calls to other services need (["work:read"]); its service tokens carry nothing else. */
  peerScopes?: readonly string[];
  /** The largest request message the service takes, when it needs more than the server's default (16 MiB). */
  maxReceiveMessageBytes?: number;
  /**
   * Registers its services and workers. It may be async (loading what every call needs, such as
   * the vault's key ring): the server starts once it has settled, and a rejection stops start-up.
   */
  setUp(host: ServiceHost, deps: ServiceDeps<C>): void | Promise<void>;
}
