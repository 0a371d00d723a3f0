import { port, z } from "@msp/config";
import { gatewayEntry, portVariable, serviceEntry } from "@msp/registry";
import { databaseConfigOf, peerAddressesOf, peerVariables, platformEnv } from "@msp/service-runtime";

const identity = serviceEntry("identity");

const gatewayVariables = platformEnv.extend({
  GATEWAY_PORT: port(gatewayEntry.defaultPort),
  GATEWAY_HOST: z.string().min(1).default("127.0.0.1"),
  GRPC_HOST: z.string().min(1).default("127.0.0.1"),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .default(7 * 86_400),
  LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).default(5),
  LOCKOUT_SECONDS: z.coerce.number().int().min(1).default(900),
  // Far above what people (and the test suites) fail in ten minutes from one address; far below a
  // password spray's pace.
  LOGIN_THROTTLE_FAILURES: z.coerce.number().int().min(1).default(100),
  LOGIN_THROTTLE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(600),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  BACKEND_DEADLINE_MS: z.coerce.number().int().min(100).default(10_000),
  REVOCATION_CACHE_MS: z.coerce.number().int().min(0).default(2_000),
  MSP_BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
});
const schema = z.intersection(gatewayVariables, peerVariables());

/** Where the gateway listens, what it forwards where, and the identity settings. */
export function gatewayConfigSchema() {
  return schema.transform((env) => ({
    http: {
      host: env.GATEWAY_HOST,
      port: env.GATEWAY_PORT,
      maxBodyBytes: env.MAX_BODY_BYTES,
      backendDeadlineMs: env.BACKEND_DEADLINE_MS,
    },
    identity: {
      host: env.GRPC_HOST,
      port: env[portVariable(identity)] as number,
      jwtSecret: env.MSP_JWT_SECRET,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      lockoutThreshold: env.LOCKOUT_THRESHOLD,
      lockoutSeconds: env.LOCKOUT_SECONDS,
      loginThrottleFailures: env.LOGIN_THROTTLE_FAILURES,
      loginThrottleWindowSeconds: env.LOGIN_THROTTLE_WINDOW_SECONDS,
      revocationCacheMs: env.REVOCATION_CACHE_MS,
      bootstrapAdminPassword: env.MSP_BOOTSTRAP_ADMIN_PASSWORD,
    },
    database: databaseConfigOf(env),
    logLevel: env.LOG_LEVEL,
    /** Where every registered service answers, by name; the identity services run in this process. */
    peers: peerAddressesOf(env),
  }));
}

export type GatewayConfig = z.infer<ReturnType<typeof gatewayConfigSchema>>;
