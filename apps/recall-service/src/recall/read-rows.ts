import type { Database } from "@msp/db";

/**
 * Runs a read-only SELECT and hands back its rows. `unionOfLimited`, when set, says the database
 * takes `(SELECT ... ORDER BY ... LIMIT n) UNION ALL (...)` (MariaDB): each part then streams
 * from its index with no temporary table, where a derived table of each part (what SQLite needs)
 * costs MariaDB an on-disk temporary table per part for the text columns.
 */
export type ReadRows = (<T extends object>(sql: string, params: readonly unknown[]) => Promise<T[]>) & { unionOfLimited?: boolean };

interface SqliteConnection {
  all(sql: string, params: unknown[], callback: (error: Error | null, rows: unknown[]) => void): void;
}
interface SqliteConnectionManager {
  getConnection(options: { uuid: string }): Promise<SqliteConnection>;
}

/**
 * The reads of recall, on the hot path of every SessionStart. MariaDB: the driver's pool, as
 * db.select does. SQLite: a connection of its own, straight to the driver, because Sequelize's
 * query pipeline costs several milliseconds per statement there. The connection is Sequelize's
 * (a named one of its connection manager), so closing the database closes it too.
 */
export function createRowReader(db: Database): ReadRows {
  if (db.dialect !== "sqlite")
    return Object.assign(<T extends object>(sql: string, params: readonly unknown[]) => db.select<T>(sql, params), {
      unionOfLimited: true,
    });
  const manager = db.sequelize.connectionManager as unknown as SqliteConnectionManager;
  let connection: Promise<SqliteConnection> | undefined;
  return async <T extends object>(sql: string, params: readonly unknown[]) => {
    connection ??= manager.getConnection({ uuid: "recall-read" }).catch((error: unknown) => {
      connection = undefined;
      throw error;
    });
    const open = await connection;
    return new Promise<T[]>((resolve, reject) => {
      open.all(sql, [...params], (error, rows) => (error ? reject(error) : resolve(rows as T[])));
    });
  };
}
