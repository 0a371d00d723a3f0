// For unit tests of the commands that call the gateway: a stand-in gateway on loopback, a config
// folder set up against it, and `msp <args>` run in process with its output captured.
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { cliMain } from "../cli-main";
import type { SecretSource } from "../commands/cred-secret";
import { writeConfig } from "../local/cli-config";
import { mspPaths } from "../local/msp-home";
import { tempDir } from "./temp-dirs";

/** One request the fake gateway received. */
export interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  /** The Idempotency-Key header the CLI sent with a write. */
  idempotencyKey: string | undefined;
  body: unknown;
}

/** The answer to a request; undefined for a 404. */
export type Route = (seen: Seen) => { status?: number; json: unknown } | undefined;

export type FakeGateway = Awaited<ReturnType<typeof fakeGateway>>;

/** A stand-in for the gateway: records every request and answers from `route` (404 for the rest). */
export async function fakeGateway(route: Route) {
  const seen: Seen[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://gateway");
      const request: Seen = {
        method: req.method ?? "",
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        authorization: req.headers.authorization,
        idempotencyKey: typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : undefined,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      seen.push(request);
      const answer = route(request) ?? { status: 404, json: { code: "not_found", message: `no route ${request.path}` } };
      res.writeHead(answer.status ?? 200, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The machine key the config folders of machineHome hold. */
export const machineKey = "msp_machine_key";

/** A config folder as `msp setup` leaves it, against `server`. */
export function machineHome(server: string): string {
  const home = tempDir("msp-home-");
  writeConfig(mspPaths(home).config, {
    server,
    machineId: "m1",
    machineName: "LAPTOP-3",
    fingerprint: "f",
    apiKey: machineKey,
    setupAt: new Date().toISOString(),
  });
  return home;
}

/** stdin that is not a terminal (nothing to prompt on). */
export function noTerminal(): SecretSource {
  return { stdin: Readable.from([]), stdinIsTTY: false, prompt: () => Promise.reject(new Error("no prompt expected")) };
}

/** Captures what a command writes to stdout and stderr. */
export async function captured(run: () => Promise<void>): Promise<{ stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr };
}

/** A command run in process: its output and the exit code it set (0 when none). */
export async function withExitCode(run: () => Promise<void>): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  process.exitCode = 0;
  try {
    const output = await captured(run);
    return { ...output, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = 0;
  }
}

/** `msp <args>` in process: its output and exit code. */
export function msp(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  return withExitCode(() => cliMain(args));
}
