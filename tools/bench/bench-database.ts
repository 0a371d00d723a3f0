import * as mariadb from "mariadb";

/** A connection to the server of a mariadb:// URL, without selecting its database. */
function serverOf(url: string): { connect: () => Promise<mariadb.Connection>; database: string } {
  const u = new URL(url);
  return {
    database: u.pathname.slice(1),
    connect: () =>
      mariadb.createConnection({
        host: u.hostname,
        port: Number(u.port || 3306),
        user: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
      }),
  };
}

/** Runs `statements` (with the database's name) on a connection to the server of `url`. */
async function onServer(url: string, statements: (database: string) => string[]): Promise<void> {
  const { connect, database } = serverOf(url);
  const c = await connect();
  try {
    for (const sql of statements(database)) await c.query(sql);
  } finally {
    await c.end();
  }
}

const create = (database: string, ifMissing = false) =>
  `CREATE DATABASE ${ifMissing ? "IF NOT EXISTS " : ""}\`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

/** Drops the benchmark database of `url` if it exists; with `recreate`, makes it again, empty. */
export function resetMariaDb(url: string, recreate = true): Promise<void> {
  return onServer(url, (database) => [`DROP DATABASE IF EXISTS \`${database}\``, ...(recreate ? [create(database)] : [])]);
}

/** Makes the benchmark database of `url` when it does not exist yet (keeps what it holds). */
export function createMariaDbIfMissing(url: string): Promise<void> {
  return onServer(url, (database) => [create(database, true)]);
}
