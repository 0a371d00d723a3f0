import type { EventEmitter } from "node:events";
import * as mariadb from "mariadb";
import type { DatabaseOptions } from "./database-config";

/**
 * A MariaDB server that does not accept a connection this fast is treated as unavailable, and a
 * read waits no longer for a pooled connection: well inside the gateway's and the peers' deadlines
 * (10 s, 5 s), so the caller hears UNAVAILABLE rather than a deadline.
 */
export const connectTimeoutMs = 3_000;

/**
 * How long the read pool keeps trying to connect (every 0.5 s) before it reports an error and
 * pauses; each pause is longer than the one before (the driver adds 0.5 s each time, up to 10 s),
 * which would leave reads failing for seconds after a long outage ended. A day of half-second
 * tries costs nothing while the database is gone and keeps the return noticed within 0.5 s.
 */
const readPoolRetryWindowMs = 24 * 60 * 60 * 1000;

/** Connections the read pool keeps open at rest, and how long an extra one may stay idle (seconds). */
const readPoolMinimumIdle = 2;
const readPoolIdleSeconds = 60;

/** Writes to stderr when the caller gave no logger: an unhandled pool 'error' event would end the process. */
function reportToStderr(error: Error): void {
  console.error(`database connection failed (the pool retries): ${error.message}`);
}

/**
 * The driver's own pool for reads outside transactions (`Database.select`, `selectRows`, and the
 * light RowReader): Sequelize's query pipeline adds latency to every call.
 */
export function mariadbReadPool(url: string, poolMax: number, options: DatabaseOptions): mariadb.Pool {
  const parsed = new URL(url);
  const readPool = mariadb.createPool({
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)),
    connectionLimit: poolMax,
    // Grown on demand and shrunk after a minute idle: the driver's default keeps every connection
    // open from the start, and five services with a full read pool each (besides Sequelize's pool)
    // took 100 of MariaDB's default 151 connections at rest; under load new ones were refused
    // (ER_CON_COUNT_ERROR) and callers got UNAVAILABLE.
    minimumIdle: Math.min(readPoolMinimumIdle, poolMax),
    idleTimeout: readPoolIdleSeconds,
    // Sequelize writes DATETIME in UTC; reading it as text keeps it UTC whatever the process's time
    // zone (the driver's own timezone: "Z" conversion is ten times slower).
    dateStrings: true,
    connectTimeout: connectTimeoutMs,
    acquireTimeout: connectTimeoutMs,
    initializationTimeout: readPoolRetryWindowMs,
  });
  // The pool emits 'error' when it cannot connect; with no listener that event ends the process
  // (a stopped MariaDB killed every service). Reported here, and the pool goes on trying.
  // (The driver's types do not list the event, which PoolPromise, an EventEmitter, does emit.)
  (readPool as unknown as EventEmitter).on("error", options.onConnectionError ?? reportToStderr);
  return readPool;
}
