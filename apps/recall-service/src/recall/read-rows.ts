import type { Database } from "@msp/db";

/** Runs a read-only SELECT and hands back its rows. */
export type ReadRows = <T extends object>(sql: string, params: readonly unknown[]) => Promise<T[]>;

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
  if (db.dialect !== "sqlite") return (sql, params) => db.select(sql, params);
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
