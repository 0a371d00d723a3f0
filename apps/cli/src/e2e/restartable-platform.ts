import type { DatabaseConfig } from "@msp/db";
import type { Json, PlatformStack, TestDatabase } from "@msp/testing";
import { createTestDatabase, freePort, startPlatform } from "@msp/testing";

/**
 * The whole platform (as `npm start` runs it) on one test database and one gateway port, so it
 * can be stopped and started again under the machines' feet: their config keeps the same URL.
 */
export interface RestartablePlatform {
  baseUrl: string;
  adminPassword: string;
  /** Its database, kept across restarts: a test may read it directly (dumpDatabase). */
  database: DatabaseConfig;
  /** An admin's REST call (logs in again after a restart). */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and drops the database. */
  dispose(): Promise<void>;
}

export async function startRestartablePlatform(): Promise<RestartablePlatform> {
  const database: TestDatabase = await createTestDatabase();
  const port = await freePort();
  let stack: PlatformStack | undefined;
  let adminPassword = "";
  let token: string | undefined;
  const start = async () => {
    stack = await startPlatform({ database: database.config, env: { GATEWAY_PORT: String(port) } });
    // The admin is created on the first start only; later starts keep the first password.
    adminPassword ||= stack.adminPassword;
    token = undefined;
  };
  await start();
  const platform: RestartablePlatform = {
    baseUrl: stack!.baseUrl,
    adminPassword,
    database: database.config,
    async api(method, path, body) {
      if (!stack) throw new Error("the platform is stopped");
      token ??= await stack.login("admin", adminPassword);
      return stack.api(method, path, { token, ...(body !== undefined ? { body } : {}) });
    },
    async stop() {
      await stack?.stop();
      stack = undefined;
    },
    start,
    async dispose() {
      await platform.stop();
      await database.drop();
    },
  };
  return platform;
}
