import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { loadConfig } from "@msp/config";
import { createLogger } from "@msp/logging";
import type { RunningService } from "@msp/service-runtime";
import { startService } from "@msp/service-runtime";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase } from "@msp/testing";
import { workModule } from "@msp/work-service/src/work-module";
import { gatewayConfigSchema } from "@msp/gateway/src/config";
import type { RunningGatewayProcess } from "@msp/gateway/src/start-gateway";
import { startGateway } from "@msp/gateway/src/start-gateway";

/** A free TCP port on loopback, for a service the gateway must know before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A decoded JSON response body; tests read it field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads arbitrary JSON
export type Json = any;

/** The platform as `npm start` runs it (work service, gateway with identity) on one fresh database. */
export interface GatewayStack {
  baseUrl: string;
  workAddress: string;
  identityAddress: string;
  adminPassword: string;
  secret: string;
  gateway: RunningGatewayProcess;
  work: RunningService;
  /** A fresh admin access token. */
  login(username?: string, password?: string): Promise<string>;
  /** fetch against the gateway with a bearer token (JSON body when given). */
  api(method: string, path: string, options?: { token?: string | undefined; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<{ status: number; json: Json }>;
  stop(): Promise<void>;
}

export async function startGatewayStack(env: Record<string, string> = {}): Promise<GatewayStack> {
  const database: TestDatabase = await createTestDatabase();
  const secret = randomBytes(32).toString("hex");
  const adminPassword = `Admin-${randomBytes(9).toString("base64url")}`;
  const workPort = await freePort();
  const logger = createLogger({ service: "test", level: "silent" });
  const config = loadConfig(gatewayConfigSchema(), {
    GATEWAY_PORT: "0",
    IDENTITY_PORT: "0",
    WORK_SERVICE_ADDRESSES: `127.0.0.1:${workPort}`,
    MSP_DATA_DIR: database.config.dataDir,
    ...(database.config.databaseUrl ? { DATABASE_URL: database.config.databaseUrl } : {}),
    MSP_JWT_SECRET: secret,
    MSP_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: "silent",
    ...env,
  });
  const gateway = await startGateway(config, logger);
  const identityAddress = `127.0.0.1:${gateway.identity.port}`;
  const work = await startService(
    workModule,
    { host: "127.0.0.1", port: workPort, database: database.config, logLevel: "silent", shutdownGraceMs: 2000, jwtSecret: secret, identityAddress },
    logger,
  );
  const baseUrl = `http://127.0.0.1:${gateway.http.port}`;

  const api: GatewayStack["api"] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers["authorization"] = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["content-type"] ??= "application/json";
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let json: Json;
    try {
      json = text ? (JSON.parse(text)) : undefined;
    } catch {
      json = text;
    }
    return { status: response.status, json };
  };

  return {
    baseUrl,
    workAddress: `127.0.0.1:${workPort}`,
    identityAddress,
    adminPassword,
    secret,
    gateway,
    work,
    api,
    async login(username = "admin", password = adminPassword) {
      const { status, json } = await api("POST", "/api/v1/auth/token", { body: { username, password } });
      if (status !== 200) throw new Error(`login as ${username} failed: ${status} ${JSON.stringify(json)}`);
      return (json as { accessToken: string }).accessToken;
    },
    async stop() {
      await gateway.stop();
      await work.stop();
      await database.drop();
    },
  };
}
