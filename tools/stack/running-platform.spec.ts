import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:net";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { alreadyRunningMessage, pidFilePath, portInUse, recordRunning, runningPid } from "./running-platform";

const dir = mkdtempSync(join(tmpdir(), "msp-running-"));
let server: Server;
let busyPort: number;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  busyPort = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

test("a second npm start finds the first: one line naming the port and its pid", async () => {
  expect(await portInUse("127.0.0.1", busyPort)).toBe(true);
  const path = pidFilePath(busyPort, dir);
  const forget = recordRunning(path);
  expect(runningPid(path)).toBe(process.pid);
  const ports = [{ host: "127.0.0.1", port: busyPort, variable: "GATEWAY_PORT" }];
  const message = await alreadyRunningMessage(ports, runningPid(path));
  expect(message).toBe(
    `the MSP platform is already running on ${busyPort} (pid ${process.pid})? ` +
      `Stop it first (Ctrl-C where it runs, or kill ${process.pid}), or give this one other ports (GATEWAY_PORT...).`,
  );
  expect(message).not.toContain("\n");
  forget();
  expect(existsSync(path)).toBe(false);
});

test("a port held by something else is named with its variable; free ports and a dead pid let it start", async () => {
  const ports = [
    { host: "127.0.0.1", port: 0, variable: "GATEWAY_PORT" },
    { host: "127.0.0.1", port: busyPort, variable: "VAULT_SERVICE_PORT" },
  ];
  expect(await alreadyRunningMessage(ports, undefined)).toBe(
    `port ${busyPort} (VAULT_SERVICE_PORT) is in use: already running on ${busyPort}? Stop what listens there, or set VAULT_SERVICE_PORT to a free port.`,
  );
  expect(await alreadyRunningMessage([ports[0]!], undefined)).toBeUndefined();
  const stale = pidFilePath(1, dir);
  recordRunning(stale, 2 ** 22 + 12345); // above Linux's pid_max: no such process
  expect(readFileSync(stale, "utf8").trim()).toBe(String(2 ** 22 + 12345));
  expect(runningPid(stale)).toBeUndefined();
});
