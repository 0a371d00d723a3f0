import sqlite3 from "sqlite3";
import type { DatabaseConfig, DatabaseOptions, Dialect } from "./database-config";
import { sqliteBusyTimeoutMs, sqlitePath } from "./database-config";
import { mariadbReadPool } from "./read-pool";

/**
 * Reads rows and nothing else, as `Database.selectRows` does. For a worker thread that must start
 * fast: it loads the driver alone, without Sequelize and the models (loading @msp/db cost a verify
 * worker about a second of CPU, BENCHMARKS.md). Import it from "@msp/db/src/row-reader" so that
 * the rest of @msp/db is not loaded.
 */
export interface RowReader {
  readonly dialect: Dialect;
  /** Each row as an array of its columns, in the SELECT's order. */
  selectRows(sql: string, params: readonly unknown[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

/** A RowReader of the platform database: MariaDB's read pool (poolMax connections, default 2), or a connection to the SQLite file. */
export function createRowReader(config: DatabaseConfig, options: DatabaseOptions = {}): RowReader {
  if (config.databaseUrl) {
    const pool = mariadbReadPool(config.databaseUrl, config.poolMax ?? 2, options);
    return {
      dialect: "mariadb",
      selectRows: (sql, params) => pool.query({ sql, rowsAsArray: true }, [...params]) as Promise<unknown[][]>,
      close: () => pool.end(),
    };
  }
  return sqliteRowReader(sqlitePath(config.dataDir));
}

/** The SQLite file must exist (the service that owns it made it); it is not created here. */
function sqliteRowReader(file: string): RowReader {
  let opened: Promise<sqlite3.Database> | undefined;
  const connection = () =>
    (opened ??= new Promise<sqlite3.Database>((resolve, reject) => {
      const db = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (error) => {
        if (error) {
          opened = undefined;
          reject(error);
          return;
        }
        // WAL readers do not wait for writers, but a checkpoint or recovery can hold the file briefly.
        db.configure("busyTimeout", sqliteBusyTimeoutMs);
        resolve(db);
      });
    }));
  return {
    dialect: "sqlite",
    selectRows: async (sql, params) => {
      const db = await connection();
      const rows = await new Promise<Record<string, unknown>[]>((resolve, reject) =>
        db.all(sql, [...params], (error: Error | null, result: Record<string, unknown>[]) => (error ? reject(error) : resolve(result))),
      );
      return rows.map((row) => Object.values(row));
    },
    close: async () => {
      const pending = opened;
      opened = undefined;
      const db = await pending?.catch(() => undefined);
      if (db) await new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
