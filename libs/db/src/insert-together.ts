import type { Pool } from "mariadb";
import type { Model, ModelStatic, Sequelize, Transaction } from "sequelize";
import { retryingLockConflicts } from "./lock-retry";

/** Rows for one table; every row names the same columns. */
export interface TableRows {
  table: string;
  rows: readonly Record<string, unknown>[];
}

/** A value a row may hold: what the rows of the platform's append-only tables are made of. */
type Scalar = string | number | boolean | Date | Buffer | null;

/**
 * MariaDB: inserts the rows in one transaction on one connection of `pool`, the statements sent
 * together (the driver pipelines commands issued before the answers came): the INSERTs cost one
 * round trip, COMMIT a second, against four waits through Sequelize and its
 * model instances (about a third of the vault's CPU per reveal, BENCHMARKS.md). Nothing is
 * committed unless every INSERT succeeded; a connection that failed on the way is destroyed
 * rather than handed back with a transaction possibly open. A transaction that lost a deadlock
 * runs again, as Database.transaction's do (lock-retry.ts).
 */
export async function insertPipelined(pool: Pool, inserts: readonly TableRows[]): Promise<void> {
  const statements = inserts.filter((insert) => insert.rows.length > 0).map(insertStatement);
  if (statements.length === 0) return;
  await retryingLockConflicts(() => insertOnce(pool, statements));
}

async function insertOnce(pool: Pool, statements: readonly { sql: string; values: Scalar[] }[]): Promise<void> {
  const connection = await pool.getConnection();
  let clean = false;
  try {
    // autocommit off rather than START TRANSACTION: when a statement ends the transaction (a lost
    // deadlock rolls it back whole), the statements already sent after it begin a new one instead
    // of committing on their own, and only the COMMIT below commits anything.
    const sent = [connection.query("SET autocommit = 0"), ...statements.map((s) => connection.query(s.sql, s.values))];
    const results = await Promise.allSettled(sent);
    const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failed) {
      // A connection whose ROLLBACK failed too is destroyed (below); the INSERT's error is the one to tell.
      clean = await Promise.all([connection.query("ROLLBACK"), connection.query("SET autocommit = 1")]).then(
        () => true,
        () => false,
      );
      throw failed.reason;
    }
    await Promise.all([connection.query("COMMIT"), connection.query("SET autocommit = 1")]);
    clean = true;
  } finally {
    if (clean) await connection.release();
    else connection.destroy();
  }
}

/**
 * SQLite (and MariaDB inside a joined call, transaction-joiner.ts): the rows through their
 * Sequelize models' bulkCreate in `transaction`, as Model.create would write them.
 */
export async function insertWithModels(sequelize: Sequelize, transaction: Transaction, inserts: readonly TableRows[]): Promise<void> {
  // The same checks as on MariaDB, so that a caller's mistake shows on either database.
  for (const insert of inserts) if (insert.rows.length > 0) checkedRows(insert);
  for (const insert of inserts) {
    if (insert.rows.length === 0) continue;
    await modelOf(sequelize, insert.table).bulkCreate([...insert.rows], { transaction });
  }
}

function modelOf(sequelize: Sequelize, table: string): ModelStatic<Model> {
  const model = Object.values(sequelize.models).find((m) => m.getTableName() === table);
  if (!model) throw new Error(`insertTogether: no model is registered for table ${table}`);
  return model as ModelStatic<Model>;
}

/** `INSERT INTO table (columns) VALUES (...), (...)` with the rows' values, converted for the driver. */
function insertStatement(insert: TableRows): { sql: string; values: Scalar[] } {
  const { columns, values } = checkedRows(insert);
  const placeholders = `(${columns.map(() => "?").join(", ")})`;
  const sql = `INSERT INTO ${identifier(insert.table)} (${columns.map(identifier).join(", ")}) VALUES ${insert.rows.map(() => placeholders).join(", ")}`;
  return { sql, values };
}

/** The rows' columns (every row naming the same ones, in the same order) and their values, converted for the driver. */
function checkedRows(insert: TableRows): { columns: string[]; values: Scalar[] } {
  const columns = Object.keys(insert.rows[0] as Record<string, unknown>);
  const values: Scalar[] = [];
  for (const row of insert.rows) {
    const names = Object.keys(row);
    if (names.length !== columns.length || names.some((name, i) => name !== columns[i])) {
      throw new Error(`insertTogether: every row for ${insert.table} must name the same columns in the same order`);
    }
    for (const column of columns) values.push(driverValue(row[column], insert.table, column));
  }
  return { columns, values };
}

function identifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`insertTogether: ${JSON.stringify(name)} is not a plain table or column name`);
  return `\`${name}\``;
}

/**
 * A value as the driver should send it (null and undefined as NULL, a plain object or array as
 * its JSON text). A Date is written in UTC as Sequelize writes DATETIME
 * ("YYYY-MM-DD HH:MM:SS.mmm", its timezone "+00:00"); the driver would use the process's time zone.
 */
function driverValue(value: unknown, table: string, column: string): Scalar {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error(`insertTogether: ${table}.${column} is an invalid date`);
    return value.toISOString().replace("T", " ").replace("Z", "");
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || Buffer.isBuffer(value)) return value;
  // A JSON column's value, written as Sequelize writes DataType.JSON: its JSON text.
  if (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype) return JSON.stringify(value);
  throw new Error(
    `insertTogether: ${table}.${column} holds a ${typeof value}; give rows of strings, numbers, booleans, dates, buffers or JSON values`,
  );
}
