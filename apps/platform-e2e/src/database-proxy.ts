// A TCP proxy in front of the test's MariaDB, to take the database away and bring it back: the
// shared MariaDB server is not a test's to stop. Cutting the proxy refuses new connections on its
// port and drops every open one, as when the server stops; restoring it listens on the same port.
import type { Server, Socket } from "node:net";
import { connect as connectTcp, createServer } from "node:net";
import type { DatabaseConfig } from "@msp/db";

/** A TCP proxy to the database that can be cut and restored, on the same port. */
export interface DatabaseProxy {
  port: number;
  /** The database's config with its URL pointing at this proxy. */
  config: DatabaseConfig;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** A proxy in front of the MariaDB that `database.databaseUrl` names. */
export async function startDatabaseProxy(database: DatabaseConfig): Promise<DatabaseProxy> {
  if (!database.databaseUrl) throw new Error("a database proxy needs a MariaDB database (MSP_TEST_DATABASE_URL)");
  const real = new URL(database.databaseUrl);
  const target = { host: real.hostname, port: Number(real.port || 3306) };
  const open = new Set<Socket>();
  const newServer = () =>
    createServer((client) => {
      const upstream = connectTcp(target.port, target.host);
      for (const socket of [client, upstream]) {
        open.add(socket);
        socket.on("close", () => open.delete(socket));
        // A dropped connection is what this proxy is for: errors end both sides.
        socket.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
  const listen = (server: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
    });
  let server: Server | undefined = newServer();
  const port = await listen(server, 0);
  const stop = async () => {
    const closing = server;
    server = undefined;
    if (closing === undefined) return;
    const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
    for (const socket of open) socket.destroy();
    await closed;
  };
  const viaProxy = new URL(real);
  viaProxy.host = `127.0.0.1:${port}`;
  return {
    port,
    config: { ...database, databaseUrl: viaProxy.toString() },
    cut: stop,
    async restore() {
      server = newServer();
      await listen(server, port);
    },
    close: stop,
  };
}

/** What each service answers when it needs the database: one read per service, by name. */
export const readsByService: Readonly<Record<string, string>> = {
  "work-service": "/api/v1/clients?pageSize=1",
  "infra-service": "/api/v1/sites?pageSize=1",
  "vault-service": "/api/v1/credentials?pageSize=1",
  "audit-service": "/api/v1/auditEvents?pageSize=1",
  "recall-service": "/api/v1/failurePatterns?pageSize=1",
  identity: "/api/v1/users?pageSize=1",
};
