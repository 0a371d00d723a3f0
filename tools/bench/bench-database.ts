import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mariadb from "mariadb";
import type { DatabaseConfig } from "@msp/db";

/** A connection to the server of a mariadb:// URL, without selecting its database. */
function serverOf(url: string): { connect: () => Promise<mariadb.Connection>; database: string } {
  const u = new URL(url);
  return {
    database: u.pathname.slice(1),
    connect: () =>
      mariadb.createConnection({
        host: u.hostname,
        port: Number(u.port || 3306),
        user: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
      }),
  };
}

/** Runs `statements` (with the database's name) on a connection to the server of `url`. */
async function onServer(url: string, statements: (database: string) => string[]): Promise<void> {
  const { connect, database } = serverOf(url);
  const c = await connect();
  try {
    for (const sql of statements(database)) await c.query(sql);
  } finally {
    await c.end();
  }
}

const create = (database: string, ifMissing = false) =>
  `CREATE DATABASE ${ifMissing ? "IF NOT EXISTS " : ""}\`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

/** Drops the benchmark database of `url` if it exists; with `recreate`, makes it again, empty. */
export function resetMariaDb(url: string, recreate = true): Promise<void> {
  return onServer(url, (database) => [`DROP DATABASE IF EXISTS \`${database}\``, ...(recreate ? [create(database)] : [])]);
}

/** Makes the benchmark database of `url` when it does not exist yet (keeps what it holds). */
export function createMariaDbIfMissing(url: string): Promise<void> {
  return onServer(url, (database) => [create(database, true)]);
}

/**
 * A fresh database for one benchmark run: a temporary data folder (the SQLite file, and where the
 * platform keeps its keys), and on MariaDB the database of MSP_BENCH_MARIADB_URL (default
 * mariadb://root@127.0.0.1:3306/msp_<name>_bench), made empty. `dispose` drops it and the folder.
 */
export async function freshBenchDatabase(
  dialect: "sqlite" | "mariadb",
  name: string,
): Promise<{ config: DatabaseConfig; dispose: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), `msp-${name}-bench-`));
  const config: DatabaseConfig = { dataDir };
  if (dialect === "mariadb") {
    config.databaseUrl = process.env["MSP_BENCH_MARIADB_URL"] ?? `mariadb://root@127.0.0.1:3306/msp_${name}_bench`;
    await resetMariaDb(config.databaseUrl);
  }
  return {
    config,
    async dispose() {
      if (config.databaseUrl) await resetMariaDb(config.databaseUrl, false);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
