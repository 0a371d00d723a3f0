import "reflect-metadata";
import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { resolve } from "node:path";
import type { Transaction } from "sequelize";
import { QueryTypes } from "sequelize";
import { Sequelize } from "sequelize-typescript";
import type { ModelCtor } from "sequelize-typescript";
import { retryingLostConnection } from "./connection-retry";
import { connectTimeoutMs, mariadbReadPool } from "./read-pool";
import { retryingLockConflicts } from "./lock-retry";
import { sqliteWriteTurns } from "./sqlite-write-turns";
import type { TableRows } from "./insert-together";
import { insertPipelined, insertWithModels } from "./insert-together";
import { joinedTransaction, joinerWaiting } from "./transaction-joiner";
import type { DatabaseConfig, DatabaseOptions, Dialect } from "./database-config";
import { databaseFileMode, dataFolderMode, sqliteBusyTimeoutMs, sqlitePath } from "./database-config";

export type { DatabaseConfig, DatabaseOptions, Dialect } from "./database-config";
export { databaseFileMode, dataFolderMode, sqliteBusyTimeoutMs, sqlitePath } from "./database-config";

/** One process's handle on the platform database, whichever dialect it is. */
export interface Database {
  readonly sequelize: Sequelize;
  readonly dialect: Dialect;
  /**
   * A read outside any transaction, for the hot paths (get by id, list pages). On MariaDB it
   * goes straight to the driver's pool: Sequelize's query pipeline adds latency to every call.
   */
  select<T extends object>(sql: string, params: readonly unknown[]): Promise<T[]>;
  /**
   * The same read with each row as an array of its columns, in the SELECT's order: for reads of
   * hundreds of thousands of rows (the audit chain's verify), where building an object per row costs.
   */
  selectRows(sql: string, params: readonly unknown[]): Promise<unknown[][]>;
  /**
   * Runs fn in one transaction; on SQLite, write transactions of this process take turns. On
   * MariaDB a transaction that loses a deadlock runs again (lock-retry.ts), and so, once, does one
   * whose connection failed before it asked to commit (connection-retry.ts): fn must start from
   * scratch each time. A joiner of the call (transaction-joiner.ts) writes first in it.
   */
  transaction<T>(fn: (t: Transaction) => Promise<T>): Promise<T>;
  /**
   * Inserts rows into their tables in one transaction, resolving once it committed: for rows that
   * must commit together on a hot path (a reveal's access-log row and its audit event). On
   * MariaDB the statements go out pipelined on one connection (insert-together.ts); on SQLite, and
   * inside a call whose transaction a joiner waits for, through the tables' models in `transaction`.
   */
  insertTogether(inserts: readonly TableRows[]): Promise<void>;
  close(): Promise<void>;
}

export function createDatabase(config: DatabaseConfig, models: ModelCtor[] = [], options: DatabaseOptions = {}): Database {
  if (config.databaseUrl) return createMariaDb(config.databaseUrl, config.poolMax ?? 20, models, options);
  return createSqlite(config.dataDir, models);
}

function createMariaDb(url: string, poolMax: number, models: ModelCtor[], options: DatabaseOptions): Database {
  if (!/^mariadb:\/\//.test(url)) throw new Error("DATABASE_URL must start with mariadb://");
  const readPool = mariadbReadPool(url, poolMax, options);
  const sequelize = new Sequelize(url, {
    dialect: "mariadb",
    logging: false,
    timezone: "+00:00",
    pool: { max: poolMax, min: 0, idle: 10_000, acquire: 30_000 },
    // Connections are made on demand: while the database is gone each call fails at once
    // (ConnectionRefusedError, or after connectTimeout), and the first call after its return connects.
    dialectOptions: { connectTimeout: connectTimeoutMs },
    // No statement retries: a deadlock rolls back the whole transaction (retrying its statement
    // only fails again, "rollback has been called"); `transaction` runs it again instead.
    retry: { max: 0 },
    models,
  });
  const database: Database = {
    sequelize,
    dialect: "mariadb",
    select: <T extends object>(sql: string, params: readonly unknown[]) => readPool.query(sql, [...params]) as Promise<T[]>,
    selectRows: (sql, params) => readPool.query({ sql, rowsAsArray: true }, [...params]) as Promise<unknown[][]>,
    transaction: (fn) =>
      joinedTransaction(fn, (body) =>
        retryingLostConnection(body, (run) => retryingLockConflicts(() => sequelize.transaction((t) => run(t)))),
      ),
    insertTogether: (inserts) =>
      joinerWaiting() ? database.transaction((t) => insertWithModels(sequelize, t, inserts)) : insertPipelined(readPool, inserts),
    close: async () => {
      await readPool.end();
      await sequelize.close();
    },
  };
  return database;
}

function createSqlite(dataDir: string, models: ModelCtor[]): Database {
  secureDataFolder(dataDir);
  secureSqliteFiles(sqlitePath(dataDir));
  const sequelize = new Sequelize({
    dialect: "sqlite",
    storage: sqlitePath(dataDir),
    logging: false,
    models,
    // IMMEDIATE takes the write lock at BEGIN, so two writers wait instead of failing on upgrade.
    transactionType: "IMMEDIATE" as Transaction.TYPES,
  });
  configureSqliteConnections(sequelize);
  // Writes of this process run one at a time, transactions on the one connection kept for them
  // (configureSqliteConnections), rather than busy-waiting on our own lock (sqlite-write-turns.ts).
  // Other processes wait on busy_timeout.
  const writeTurns = sqliteWriteTurns(sequelize);
  const database: Database = {
    sequelize,
    dialect: "sqlite",
    select: <T extends object>(sql: string, params: readonly unknown[]) =>
      sequelize.query<T>(sql, { replacements: [...params], type: QueryTypes.SELECT }),
    selectRows: async (sql, params) =>
      (await sequelize.query<Record<string, unknown>>(sql, { replacements: [...params], type: QueryTypes.SELECT })).map((row) =>
        Object.values(row),
      ),
    transaction: (fn) => joinedTransaction(fn, (body) => writeTurns.transaction(() => sequelize.transaction((t) => body(t)))),
    insertTogether: (inserts) => database.transaction((t) => insertWithModels(sequelize, t, inserts)),
    close: () => sequelize.close(),
  };
  return database;
}

/**
 * Makes the data folder if needed and leaves it owner-only (0700): it holds the SQLite file, the
 * JWT secret, the vault's master key and backups. An existing folder (made group- and
 * world-readable by an older version) is tightened too; one this user may not change is left as is.
 */
export function secureDataFolder(dataDir: string): void {
  const folder = resolve(dataDir);
  mkdirSync(folder, { recursive: true, mode: dataFolderMode });
  try {
    chmodSync(folder, dataFolderMode);
  } catch {
    // Not ours to change (a shared mount): the files in it are still owner-only.
  }
}

/**
 * Creates the SQLite file owner-only (0600) before SQLite opens it, since SQLite would create it
 * with the process's umask (0644); SQLite gives the -wal and -shm files the database file's mode.
 * Files an older version created 0644 are tightened at every start.
 */
function secureSqliteFiles(file: string): void {
  closeSync(openSync(file, "a", databaseFileMode));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(path, databaseFileMode);
    } catch (error) {
      // No -wal or -shm yet (or another process just checkpointed it away): nothing to tighten; a
      // file of another user's stays as it is rather than stopping the start.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "EPERM") throw error;
    }
  }
}

/**
 * Sequelize's SQLite dialect has no connect hook, so each new connection gets its busy timeout
 * here; WAL lets readers proceed while one process writes.
 */
function configureSqliteConnections(sequelize: Sequelize): void {
  interface SqliteConnection {
    configure(option: "busyTimeout", ms: number): void;
    run(sql: string, callback: (error: Error | null) => void): void;
    close(callback: (error: Error | null) => void): void;
    uuid?: string;
    mspConfigured?: boolean;
  }
  const manager = sequelize.connectionManager as unknown as {
    connections: Record<string, SqliteConnection>;
    getConnection(options?: { uuid?: string }): Promise<SqliteConnection>;
    releaseConnection(connection: SqliteConnection, force?: boolean): void;
    destroyConnection(connection: SqliteConnection): Promise<void>;
  };
  const getConnection = manager.getConnection.bind(manager);
  const releaseConnection = manager.releaseConnection.bind(manager);
  const configured = async (options?: { uuid?: string }) => {
    const connection = await getConnection(options);
    if (!connection.mspConfigured) {
      connection.configure("busyTimeout", sqliteBusyTimeoutMs);
      connection.mspConfigured = true;
    }
    return connection;
  };
  // Sequelize opens a new SQLite connection for every transaction and closes it at the end, and
  // the first statement on a new connection parses the whole schema (hundreds of tables and
  // indexes): about 5 ms of CPU per transaction. This process's write transactions take turns
  // (Database.transaction), so one kept connection serves them all; a transaction that starts
  // while it is taken (one begun outside Database.transaction) gets its own, as before.
  // Closing a connection ended whatever transaction it still had open (a COMMIT that failed); the
  // kept one gets a ROLLBACK instead, finished before the next transaction takes it, and failing
  // harmlessly ("no transaction is active") after a transaction that ended as it should.
  let kept: SqliteConnection | undefined;
  let keptBusy = false;
  let keptClean: Promise<void> = Promise.resolve();
  manager.getConnection = async (options) => {
    const uuid = options?.uuid;
    if (uuid === undefined || uuid === "default" || keptBusy) return configured(options);
    keptBusy = true;
    try {
      await keptClean;
      kept ??= await configured({ ...options, uuid: keptTransactionConnection });
      return kept;
    } catch (error) {
      keptBusy = false;
      throw error;
    }
  };
  manager.releaseConnection = (connection, force) => {
    if (connection !== kept) return releaseConnection(connection, force);
    if (force === true) {
      kept = undefined;
      keptBusy = false;
      return releaseConnection(connection, force);
    }
    keptClean = new Promise((resolve) => connection.run("ROLLBACK", () => resolve()));
    keptBusy = false;
  };
  // After a failed COMMIT Sequelize "kills" the connection, through a pool SQLite does not use:
  // the connection stayed open, holding its transaction and the write lock. Closing it ends both.
  manager.destroyConnection = async (connection) => {
    if (connection === kept) {
      kept = undefined;
      keptBusy = false;
      keptClean = Promise.resolve();
      delete manager.connections[keptTransactionConnection];
    } else if (connection.uuid !== undefined) {
      delete manager.connections[connection.uuid];
    }
    await new Promise<void>((resolve) => connection.close(() => resolve()));
  };
}

/** The key of the SQLite connection kept for transactions among Sequelize's connections. */
const keptTransactionConnection = "msp-transactions";

/** Settings that persist in the SQLite file; run once at start-up. */
export async function prepareDatabase(db: Database): Promise<void> {
  if (db.dialect === "sqlite") {
    await db.sequelize.query("PRAGMA journal_mode = WAL");
    await db.sequelize.query("PRAGMA synchronous = NORMAL");
  }
}
