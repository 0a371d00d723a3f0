import { DomainError } from "@msp/errors";
import { ConnectionError, DatabaseError } from "sequelize";

/**
 * Driver codes of a connection that could not be made or broke: the database (or the way to it)
 * is gone for now, the statement itself was not wrong. Socket errors, the mariadb driver's own
 * connection and pool codes, and the server's "too many connections", "shutting down" and
 * "connection killed".
 */
const connectionCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
  "ER_SOCKET",
  "ER_SOCKET_TIMEOUT",
  "ER_SOCKET_UNEXPECTED_CLOSE",
  "ER_CONNECTION_ALREADY_CLOSED",
  "ER_CMD_CONNECTION_CLOSED",
  "ER_CONNECTION_TIMEOUT",
  "ER_GET_CONNECTION_TIMEOUT",
  "ER_PING_TIMEOUT",
  "ER_POOL_ALREADY_CLOSED",
  "ER_ADD_CONNECTION_CLOSED_POOL",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  "ER_CONNECTION_KILLED",
]);

interface DriverError {
  code?: unknown;
  fatal?: unknown;
  message?: unknown;
}

/** Whether a driver error says the connection failed, rather than the statement. */
function isConnectionFailure(error: DriverError | undefined): boolean {
  if (error === undefined || error === null || typeof error !== "object") return false;
  if (typeof error.code === "string" && connectionCodes.has(error.code)) return true;
  // A Galera node that is not synced refuses every statement until it is.
  if (typeof error.message === "string" && /WSREP has not yet prepared node/i.test(error.message)) return true;
  // The mariadb driver marks an error fatal when the connection cannot be used any more.
  return error.fatal === true;
}

/**
 * Whether an error means the database cannot be reached now (refused, broken or timed-out
 * connections, a full or closing pool, a server shutting down): Sequelize's ConnectionError family,
 * and driver errors of a broken connection, raw (the read pool's) or wrapped in a DatabaseError.
 * A call that failed so may succeed once the database is back: callers get UNAVAILABLE.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  if (error instanceof DatabaseError) return isConnectionFailure(error.parent as DriverError);
  if (isDriverError(error)) return isConnectionFailure(error);
  return false;
}

/**
 * An error of the mariadb driver as it throws it (the read pool's): a SqlError, or a socket error
 * the driver marked with a SQL state and whether it was fatal.
 */
function isDriverError(error: unknown): error is DriverError {
  if (typeof error !== "object" || error === null) return false;
  return (error as { name?: unknown }).name === "SqlError" || ("sqlState" in error && "fatal" in error);
}

/** The message callers see while the database is away; the driver's (which names hosts) stays in the logs. */
export const databaseUnavailableMessage = "the database is unavailable; try again shortly";

/**
 * The error as callers should see it: a DomainError "unavailable" when the database could not be
 * reached (see isDatabaseUnavailable), the error itself otherwise.
 */
export function asDatabaseUnavailable(error: unknown): unknown {
  return isDatabaseUnavailable(error) ? new DomainError("unavailable", databaseUnavailableMessage, [], { cause: error }) : error;
}
