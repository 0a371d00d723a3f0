import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mariadb from "mariadb";
import type { DatabaseConfig } from "@msp/db";

/** A database of its own for one test file, and how to throw it away. */
export interface TestDatabase {
  config: DatabaseConfig;
  dialect: "sqlite" | "mariadb";
  drop(): Promise<void>;
}

/**
 * SQLite in a fresh temporary folder by default; with MSP_TEST_DATABASE_URL set, a fresh MariaDB
 * database named after it with a random suffix, so test files can run in parallel.
 */
export async function createTestDatabase(env: NodeJS.ProcessEnv = process.env): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), "msp-test-"));
  const base = env["MSP_TEST_DATABASE_URL"];
  if (!base) {
    return { config: { dataDir }, dialect: "sqlite", drop: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })) };
  }
  const url = new URL(base);
  const name = `${url.pathname.slice(1) || "msp_test"}_${randomBytes(4).toString("hex")}`;
  const admin = () =>
    mariadb.createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    });
  const connection = await admin();
  try {
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
  url.pathname = `/${name}`;
  return {
    config: { databaseUrl: url.toString(), dataDir, poolMax: 10 },
    dialect: "mariadb",
    async drop() {
      const c = await admin();
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
