import { port, z } from "@msp/config";
import { databaseConfigOf, platformEnv } from "@msp/service-runtime";
import type { BackendConfig } from "./backends";

/** host:port[,host:port...]; several addresses of one service are used round-robin. */
const addresses = z
  .string()
  .transform((text) =>
    text
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[\w.-]+:\d{1,5}$/, "must be host:port, comma-separated")).min(1))
  .optional();

const schema = platformEnv.extend({
  GATEWAY_PORT: port(8080),
  GATEWAY_HOST: z.string().min(1).default("127.0.0.1"),
  IDENTITY_PORT: port(50050),
  GRPC_HOST: z.string().min(1).default("127.0.0.1"),
  WORK_SERVICE_PORT: port(50051),
  WORK_SERVICE_ADDRESSES: addresses,
  RECALL_SERVICE_PORT: port(50055),
  RECALL_SERVICE_ADDRESSES: addresses,
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .default(7 * 86_400),
  LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).default(5),
  LOCKOUT_SECONDS: z.coerce.number().int().min(1).default(900),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  BACKEND_DEADLINE_MS: z.coerce.number().int().min(100).default(10_000),
  REVOCATION_CACHE_MS: z.coerce.number().int().min(0).default(2_000),
  MSP_BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
});

/** Where the gateway listens, what it forwards where, and the identity settings. */
export function gatewayConfigSchema() {
  return schema.transform((env) => ({
    http: { host: env.GATEWAY_HOST, port: env.GATEWAY_PORT, maxBodyBytes: env.MAX_BODY_BYTES, backendDeadlineMs: env.BACKEND_DEADLINE_MS },
    identity: {
      host: env.GRPC_HOST,
      port: env.IDENTITY_PORT,
      jwtSecret: env.MSP_JWT_SECRET,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      lockoutThreshold: env.LOCKOUT_THRESHOLD,
      lockoutSeconds: env.LOCKOUT_SECONDS,
      revocationCacheMs: env.REVOCATION_CACHE_MS,
      bootstrapAdminPassword: env.MSP_BOOTSTRAP_ADMIN_PASSWORD,
    },
    database: databaseConfigOf(env),
    logLevel: env.LOG_LEVEL,
    /** Backends by proto package; the identity services run in this process. */
    backends: [
      { protoPackage: "msp.work.v1", addresses: env.WORK_SERVICE_ADDRESSES ?? [`127.0.0.1:${env.WORK_SERVICE_PORT}`] },
      { protoPackage: "msp.recall.v1", addresses: env.RECALL_SERVICE_ADDRESSES ?? [`127.0.0.1:${env.RECALL_SERVICE_PORT}`] },
    ] as BackendConfig[],
  }));
}

export type GatewayConfig = z.infer<ReturnType<typeof gatewayConfigSchema>>;
