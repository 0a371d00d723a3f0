// A pool that cannot connect must not end the process (issue 18: with MariaDB stopped, the work
// service died on an unhandled 'error' event of the mariadb read pool). A server of the test's
// own refuses every login, which makes the pool emit 'error' at once; the database is opened in a
// child process, since an unhandled 'error' event ends the process it is emitted in.
import { spawn } from "node:child_process";
import type { Server } from "node:net";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";

const root = resolve(__dirname, "..", "..", "..");

/** A MySQL-protocol server whose greeting is error 1045 (access denied), as MariaDB sends it to a refused login. */
function startRefusingServer(): Promise<Server> {
  const message = Buffer.from("Access denied for user 'msp'@'localhost'");
  const payload = Buffer.concat([Buffer.from([0xff, 1045 & 0xff, 1045 >> 8]), Buffer.from("#28000"), message]);
  const packet = Buffer.concat([Buffer.from([payload.length & 0xff, (payload.length >> 8) & 0xff, 0, 0]), payload]);
  const server = createServer((socket) => socket.end(packet));
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

/** Runs `script` in a node process that can require @msp/db; its exit code and output. */
function runNode(script: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "-e", script], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done) => child.once("exit", (code) => done({ code, output })));
}

let server: Server;
beforeAll(async () => {
  server = await startRefusingServer();
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
});

it("reports a pool's connection errors and keeps the process running, with a logger and without one", async () => {
  const url = `mariadb://msp@127.0.0.1:${(server.address() as AddressInfo).port}/msp`;
  const script = `
    const { createDatabase } = require("@msp/db");
    const logged = createDatabase({ databaseUrl: ${JSON.stringify(url)}, dataDir: "unused", poolMax: 2 }, [], {
      onConnectionError: (error) => console.log("reported " + error.code),
    });
    const quiet = createDatabase({ databaseUrl: ${JSON.stringify(url)}, dataDir: "unused", poolMax: 2 });
    setTimeout(() => {
      Promise.all([logged.close(), quiet.close()]).then(() => {
        console.log("still running");
        process.exit(0);
      });
    }, 1500);
  `;
  const { code, output } = await runNode(script);
  expect(output).toContain("reported ER_ACCESS_DENIED_ERROR");
  expect(output).toContain("database connection failed (the pool retries)");
  expect(output).toContain("still running");
  expect(code).toBe(0);
}, 60_000);
