import type { DatabaseConfig } from "@msp/db";
import { logLevel, port, z } from "@msp/config";
import type { ServiceEntry } from "@msp/registry";
import { addressesVariable, platformServices, portVariable } from "@msp/registry";

/** The database settings of a platform process, with where its pre-migration backups go. */
export interface PlatformDatabaseConfig extends DatabaseConfig {
  /** MSP_BACKUP_DIR: the backup folder; `<dataDir>/backups` when unset. */
  backupDir?: string | undefined;
  /**
   * MSP_SKIP_PREMIGRATION_BACKUP: migrate an existing database without the backup taken before
   * (the escape hatch when the MariaDB dump tools are missing; take a backup by hand first).
   */
  skipPreMigrationBackup?: boolean | undefined;
}

/** The settings every gRPC service runs with. */
export interface ServiceConfig {
  host: string;
  port: number;
  database: PlatformDatabaseConfig;
  logLevel: string;
  shutdownGraceMs: number;
  /** MSP_JWT_SECRET: verifies every caller's token; the same in every process of the platform. */
  jwtSecret: string;
  /** Where the identity services answer CheckRevocation (the gateway process). */
  identityAddress: string;
  /** Where every registered service answers, by service name (calls to other services use these). */
  peers: Record<string, string[]>;
  /** Deadline of a call to another service. */
  peerDeadlineMs: number;
}

const makeSecret = "make one with `openssl rand -hex 32` and give every process the same";

/** A yes/no variable: 1/true/yes/on or 0/false/no/off (any case); unset is `fallback`. */
const flag = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(
      z.enum(["1", "true", "yes", "on", "0", "false", "no", "off"], { errorMap: () => ({ message: "must be 1 or 0 (true or false)" }) }),
    )
    .transform((value) => ["1", "true", "yes", "on"].includes(value))
    .optional()
    .transform((value) => value ?? fallback);

/** The variables every process of the platform reads: database, logging, token secret. */
export const platformEnv = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^mariadb:\/\/[^/]+\/\w+/, "must look like mariadb://user:password@host:3306/database")
    .optional(),
  MSP_DATA_DIR: z.string().min(1).default("./data"),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(20),
  LOG_LEVEL: logLevel,
  MSP_JWT_SECRET: z.string({ required_error: `is required; ${makeSecret}` }).min(32, `must be at least 32 characters; ${makeSecret}`),
  /** Where backups go (pre-migration ones included); `<MSP_DATA_DIR>/backups` when unset. */
  MSP_BACKUP_DIR: z.string().min(1).optional(),
  /** Escape hatch: upgrade an existing database without the pre-migration backup. Off by default. */
  MSP_SKIP_PREMIGRATION_BACKUP: flag(false),
});

/** The database settings from the variables of platformEnv. */
export function databaseConfigOf(env: z.infer<typeof platformEnv>): PlatformDatabaseConfig {
  return {
    databaseUrl: env.DATABASE_URL,
    dataDir: env.MSP_DATA_DIR,
    poolMax: env.DB_POOL_MAX,
    backupDir: env.MSP_BACKUP_DIR,
    skipPreMigrationBackup: env.MSP_SKIP_PREMIGRATION_BACKUP,
  };
}

/** host:port[,host:port...]; several addresses of one service are used round-robin. */
export const addressList = z
  .string()
  .transform((text) =>
    text
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[\w.-]+:\d{1,5}$/, "must be host:port, comma-separated")).min(1));

/**
 * The variables naming where each registered service answers: <PREFIX>_ADDRESSES (host:port,
 * comma-separated), or <PREFIX>_ADDRESS (one; IDENTITY_ADDRESS is documented), or 127.0.0.1 on
 * its port (<PREFIX>_PORT, else the registry's default).
 */
export function peerVariables(services: readonly ServiceEntry[] = platformServices) {
  const shape: Record<string, z.ZodTypeAny> = {};
  for (const service of services) {
    shape[addressesVariable(service)] = addressList.optional();
    shape[`${service.envPrefix}_ADDRESS`] = addressList.optional();
    shape[portVariable(service)] = port(service.defaultPort);
  }
  return z.object(shape);
}

/** Where each registered service answers, by name, from the variables of peerVariables. */
export function peerAddressesOf(
  env: Record<string, unknown>,
  services: readonly ServiceEntry[] = platformServices,
): Record<string, string[]> {
  const peers: Record<string, string[]> = {};
  for (const service of services) {
    const listed = (env[addressesVariable(service)] ?? env[`${service.envPrefix}_ADDRESS`]) as string[] | undefined;
    peers[service.name] = listed ?? [`127.0.0.1:${env[portVariable(service)] as number}`];
  }
  return peers;
}

const common = platformEnv.extend({
  GRPC_HOST: z.string().min(1).default("127.0.0.1"),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  PEER_DEADLINE_MS: z.coerce.number().int().min(100).default(5_000),
});

/** The environment schema of a registered service: the platform's variables, its port, and where the others answer. */
export function serviceConfigSchema(
  entry: ServiceEntry,
  services: readonly ServiceEntry[] = platformServices,
): z.ZodType<ServiceConfig, z.ZodTypeDef, unknown> {
  return z.intersection(common, peerVariables(services)).transform((env): ServiceConfig => {
    const peers = peerAddressesOf(env, services);
    return {
      host: env.GRPC_HOST,
      port: env[portVariable(entry)] as number,
      database: databaseConfigOf(env),
      logLevel: env.LOG_LEVEL,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      jwtSecret: env.MSP_JWT_SECRET,
      identityAddress: peers["identity"]?.[0] ?? "127.0.0.1:50050",
      peers,
      peerDeadlineMs: env.PEER_DEADLINE_MS,
    };
  });
}
