// A second `npm start` while one runs: found before anything starts, and said in one line.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A port `npm start` is about to listen on, and the variable that moves it. */
export interface PlannedPort {
  host: string;
  port: number;
  variable: string;
}

/**
 * Where a running `npm start` keeps its pid: one file per gateway port, in the temporary folder
 * (not the data folder: a second start with another MSP_DATA_DIR still finds it).
 */
export function pidFilePath(gatewayPort: number, dir: string = tmpdir()): string {
  return join(dir, `msp-npm-start-${gatewayPort}.pid`);
}

/** Records this `npm start`'s pid; the returned function removes the record (when it stops). */
export function recordRunning(path: string, pid: number = process.pid): () => void {
  writeFileSync(path, `${pid}\n`, { mode: 0o600 });
  return () => {
    if (runningPid(path) === pid) rmSync(path, { force: true });
  };
}

/** The pid recorded at `path` when that process still runs. */
export function runningPid(path: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM" ? pid : undefined;
  }
}

/** Whether something already listens on host:port (binding it fails with EADDRINUSE). */
export function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE"));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/**
 * The one line that says why this `npm start` cannot run, or undefined when every port is free.
 * `recordedPid` is the pid of the `npm start` recorded for this gateway port, if it still runs.
 */
export async function alreadyRunningMessage(ports: readonly PlannedPort[], recordedPid: number | undefined): Promise<string | undefined> {
  for (const planned of ports) {
    if (planned.port === 0 || !(await portInUse(planned.host, planned.port))) continue;
    if (recordedPid !== undefined) {
      return (
        `the MSP platform is already running on ${ports[0]!.port} (pid ${recordedPid})? ` +
        `Stop it first (Ctrl-C where it runs, or kill ${recordedPid}), or give this one other ports (${planned.variable}...).`
      );
    }
    return (
      `port ${planned.port} (${planned.variable}) is in use: already running on ${planned.port}? ` +
      `Stop what listens there, or set ${planned.variable} to a free port.`
    );
  }
  return undefined;
}
