import { AsyncLocalStorage } from "node:async_hooks";
import type { Sequelize } from "sequelize-typescript";
import { createMutex } from "./mutex";

/**
 * One SQLite process's write turns. Its transactions run one at a time on the connection kept for
 * them, and a write outside any transaction (an autocommit INSERT, UPDATE, DELETE or DDL) waits for
 * its turn too, rather than in SQLite's busy handler on Sequelize's shared "default" connection.
 *
 * Why: busy-waiting holds that connection, and every read of the process outside a transaction
 * (`Database.select`, a model read without `transaction`) runs on it. A transaction in progress that
 * reads that way (the vault's key ring, sealing inside a write transaction) then waits for the
 * busy-waiting write, which waits for the transaction's lock: both stood still for the whole busy
 * timeout (10 s), the write failed with SQLITE_BUSY, and the calls queued behind them passed the
 * gateway's deadline.
 */
export interface SqliteWriteTurns {
  /** Runs a transaction in this process's next write turn. */
  transaction<T>(run: () => Promise<T>): Promise<T>;
}

const inTurn = new AsyncLocalStorage<true>();

/** A statement that takes SQLite's write lock when it runs outside a transaction. */
const writeStatement = /^\s*(insert|update|delete|replace|create|drop|alter)\b/i;

function sqlOf(sql: unknown): string {
  if (typeof sql === "string") return sql;
  if (typeof sql === "object" && sql !== null && "query" in sql) return String((sql as { query: unknown }).query);
  return "";
}

/** Makes `sequelize`'s autocommit writes take turns with the process's transactions. */
export function sqliteWriteTurns(sequelize: Sequelize): SqliteWriteTurns {
  const turn = createMutex();
  const query = sequelize.query.bind(sequelize) as (sql: unknown, options?: { transaction?: unknown }) => Promise<unknown>;
  const queued = (sql: unknown, options?: { transaction?: unknown }): Promise<unknown> => {
    if (options?.transaction != null || !writeStatement.test(sqlOf(sql))) return query(sql, options);
    if (inTurn.getStore()) {
      // It would wait for a turn its own caller holds: a write that forgot its transaction.
      return Promise.reject(
        new Error(
          `a write outside its transaction was made inside a transaction of this process; pass { transaction }: ${sqlOf(sql).slice(0, 80)}`,
        ),
      );
    }
    return turn(() => inTurn.run(true, () => query(sql, options)));
  };
  (sequelize as unknown as { query: typeof queued }).query = queued;
  return { transaction: (run) => turn(() => inTurn.run(true, run)) };
}
