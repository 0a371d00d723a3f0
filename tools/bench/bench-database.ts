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

/** Drops the benchmark database of `url` if it exists; with `recreate`, makes it again, empty. */
export async function resetMariaDb(url: string, recreate = true): Promise<void> {
  const { connect, database } = serverOf(url);
  const c = await connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
    if (recreate) await c.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await c.end();
  }
}

/** Makes the benchmark database of `url` when it does not exist yet (keeps what it holds). */
export async function createMariaDbIfMissing(url: string): Promise<void> {
  const { connect, database } = serverOf(url);
  const c = await connect();
  try {
    await c.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await c.end();
  }
}
