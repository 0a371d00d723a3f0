import type { DatabaseConfig } from "@msp/db";
import { logLevel, port, z } from "@msp/config";

/** The settings every gRPC service runs with. */
export interface ServiceConfig {
  host: string;
  port: number;
  database: DatabaseConfig;
  logLevel: string;
  shutdownGraceMs: number;
  /** MSP_JWT_SECRET: verifies every caller's token; the same in every process of the platform. */
  jwtSecret: string;
  /** Where the identity services answer CheckRevocation (the gateway process). */
  identityAddress: string;
}

const makeSecret = "make one with `openssl rand -hex 32` and give every process the same";

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
});

/** The database settings from the variables of platformEnv. */
export function databaseConfigOf(env: z.infer<typeof platformEnv>): DatabaseConfig {
  return { databaseUrl: env.DATABASE_URL, dataDir: env.MSP_DATA_DIR, poolMax: env.DB_POOL_MAX };
}

const common = platformEnv.extend({
  GRPC_HOST: z.string().min(1).default("127.0.0.1"),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  IDENTITY_ADDRESS: z.string().min(1).default("127.0.0.1:50050"),
});

/** The environment schema of a service whose port variable is `portVariable` (WORK_SERVICE_PORT). */
export function serviceConfigSchema(portVariable: string, defaultPort: number): z.ZodType<ServiceConfig, z.ZodTypeDef, unknown> {
  const withPort = z.object({ [portVariable]: port(defaultPort) });
  return z.intersection(common, withPort).transform((env) => ({
    host: env.GRPC_HOST,
    port: env[portVariable] as number,
    database: databaseConfigOf(env),
    logLevel: env.LOG_LEVEL,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    jwtSecret: env.MSP_JWT_SECRET,
    identityAddress: env.IDENTITY_ADDRESS,
  }));
}
