// Which errors mean "the database cannot be reached now" (issue 18): those are UNAVAILABLE to
// callers (503 with Retry-After through the gateway), never INTERNAL. The connection errors here are
// real ones, from the drivers connecting to a loopback port where nothing listens.
import { status as GrpcStatus } from "@grpc/grpc-js";
import { DomainError, toPublicError } from "@msp/errors";
import { freePort } from "@msp/testing";
import * as mariadb from "mariadb";
import {
  ConnectionAcquireTimeoutError,
  ConnectionRefusedError,
  DatabaseError,
  ForeignKeyConstraintError,
  Sequelize,
  UniqueConstraintError,
} from "sequelize";
import { createDatabase } from "./database";
import { asDatabaseUnavailable, databaseUnavailableMessage, isDatabaseUnavailable } from "./unavailable";

/** A driver error as the mariadb driver makes it: SqlError with a code, and fatal when the connection is lost. */
function sqlError(code: string, fatal: boolean): Error {
  return Object.assign(new Error(`(conn=12, no: 45009, SQLState: 08S01) ${code}`), { name: "SqlError", code, fatal });
}

/** A Sequelize DatabaseError wrapping a driver error, as Sequelize's mariadb dialect throws it from a query. */
function wrapped(parent: Error): DatabaseError {
  return new DatabaseError(Object.assign(parent, { sql: "SELECT 1" }) as never);
}

let closedPort: number;
beforeAll(async () => {
  closedPort = await freePort();
});

describe("isDatabaseUnavailable", () => {
  it("is true for Sequelize's connection errors: refused, acquire timeout", () => {
    expect(isDatabaseUnavailable(new ConnectionRefusedError(new Error("connect ECONNREFUSED 127.0.0.1:3306")))).toBe(true);
    expect(isDatabaseUnavailable(new ConnectionAcquireTimeoutError(new Error("Operation timeout")))).toBe(true);
  });

  it("is true for a query whose connection broke, and for a server shutting down or out of connections", () => {
    expect(isDatabaseUnavailable(wrapped(sqlError("ER_SOCKET_UNEXPECTED_CLOSE", true)))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(sqlError("ER_SERVER_SHUTDOWN", false)))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(sqlError("ER_CON_COUNT_ERROR", false)))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(sqlError("ER_SOMETHING_NEW", true)))).toBe(true);
    expect(isDatabaseUnavailable(sqlError("ER_GET_CONNECTION_TIMEOUT", false))).toBe(true);
  });

  it("is false for what a statement did wrong, and for anything else", () => {
    expect(isDatabaseUnavailable(wrapped(sqlError("ER_PARSE_ERROR", false)))).toBe(false);
    expect(isDatabaseUnavailable(wrapped(sqlError("ER_LOCK_DEADLOCK", false)))).toBe(false);
    expect(isDatabaseUnavailable(sqlError("ER_DUP_ENTRY", false))).toBe(false);
    expect(isDatabaseUnavailable(new UniqueConstraintError({}))).toBe(false);
    expect(isDatabaseUnavailable(new ForeignKeyConstraintError({}))).toBe(false);
    expect(isDatabaseUnavailable(new Error("ECONNREFUSED"))).toBe(false);
    expect(isDatabaseUnavailable(new DomainError("not_found", "no such client"))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });

  it("is true for what Sequelize throws when nothing listens where the database should be", async () => {
    const sequelize = new Sequelize(`mariadb://root@127.0.0.1:${closedPort}/nothing`, { logging: false });
    try {
      const error: unknown = await sequelize.query("SELECT 1").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionRefusedError);
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await sequelize.close();
    }
  });

  it("is true for what the mariadb driver throws then, on a connection and from the read pool", async () => {
    const connecting: unknown = await mariadb
      .createConnection({ host: "127.0.0.1", port: closedPort, user: "root" })
      .catch((e: unknown) => e);
    expect(isDatabaseUnavailable(connecting)).toBe(true);
    const db = createDatabase({ databaseUrl: `mariadb://root@127.0.0.1:${closedPort}/nothing`, dataDir: "unused", poolMax: 1 }, [], {
      onConnectionError: () => undefined,
    });
    try {
      const reading: unknown = await db.select("SELECT 1", []).catch((e: unknown) => e);
      expect((reading as { code?: string }).code).toBe("ER_GET_CONNECTION_TIMEOUT");
      expect(isDatabaseUnavailable(reading)).toBe(true);
      const writing: unknown = await db.transaction(() => Promise.resolve()).catch((e: unknown) => e);
      expect(isDatabaseUnavailable(writing)).toBe(true);
    } finally {
      await db.close();
    }
  });
});

describe("asDatabaseUnavailable", () => {
  it("turns a connection error into UNAVAILABLE with a message naming no host, keeping the cause", () => {
    const cause = new ConnectionRefusedError(new Error("connect ECONNREFUSED 10.0.0.5:3306"));
    const error = asDatabaseUnavailable(cause);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: "unavailable", message: databaseUnavailableMessage, cause });
    expect(toPublicError(error)).toEqual({
      code: GrpcStatus.UNAVAILABLE,
      message: databaseUnavailableMessage,
      violations: [],
      unexpected: false,
    });
  });

  it("leaves every other error as it is", () => {
    const bug = new TypeError("x is undefined");
    expect(asDatabaseUnavailable(bug)).toBe(bug);
    expect(toPublicError(asDatabaseUnavailable(bug)).code).toBe(GrpcStatus.INTERNAL);
  });
});
