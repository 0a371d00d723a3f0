import { join, resolve } from "node:path";

// What a process needs to reach the platform database, and the settings every handle on it
// shares. No driver here: light readers (row-reader.ts) import it without Sequelize.

export type Dialect = "mariadb" | "sqlite";

export interface DatabaseConfig {
  /** `mariadb://user:pass@host:3306/db`; unset means the embedded SQLite file. */
  databaseUrl?: string | undefined;
  /** Folder of the SQLite file when databaseUrl is unset. */
  dataDir: string;
  /** Connection pool size per process (MariaDB). */
  poolMax?: number;
}

/** What a database handle reports besides its answers. */
export interface DatabaseOptions {
  /**
   * A pool could not connect (the database went away). Reported, never thrown: the pools connect
   * again by themselves, and the calls that need the database meanwhile fail as unavailable.
   */
  onConnectionError?: (error: Error) => void;
}

/** SQLite waits this long for another process's write lock before giving up. */
export const sqliteBusyTimeoutMs = 10_000;

/** Owner-only modes of the data folder and of the SQLite files, which hold password and key hashes. */
export const dataFolderMode = 0o700;
export const databaseFileMode = 0o600;

export function sqlitePath(dataDir: string): string {
  return join(resolve(dataDir), "msp.sqlite");
}
