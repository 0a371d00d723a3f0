// `npm start`: runs every service of the platform as its own process on the embedded SQLite
// database (or DATABASE_URL), prints where each listens, and stops them all on Ctrl-C.
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { StackProcess } from "./services";
import { stackProcesses } from "./services";

const root = resolve(__dirname, "..", "..");
const readyTimeoutMs = 120_000;
const children = new Map<string, ChildProcess>();
let stopping = false;

function start(proc: StackProcess): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", proc.entry], {
    cwd: root,
    env: { ...process.env, MSP_DATA_DIR: resolve(process.env["MSP_DATA_DIR"] ?? "./data") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.set(proc.name, child);
  return new Promise((ready, failed) => {
    const timer = setTimeout(() => failed(new Error(`${proc.name} did not start within ${readyTimeoutMs / 1000} s`)), readyTimeoutMs);
    const relay = (stream: NodeJS.ReadableStream, sink: NodeJS.WriteStream) =>
      createInterface({ input: stream }).on("line", (line) => {
        sink.write(`[${proc.name}] ${line}\n`);
        if (line.startsWith(`${proc.name} listening on`)) {
          clearTimeout(timer);
          ready();
        }
      });
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      children.delete(proc.name);
      if (!stopping) {
        console.error(`${proc.name} exited (${signal ?? `code ${code}`}); stopping the platform`);
        failed(new Error(`${proc.name} exited`));
        void stopAll(1);
      }
    });
  });
}

async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const exits = [...children.values()].map(
    (child) =>
      new Promise<void>((done) => {
        child.once("exit", () => done());
        child.kill("SIGTERM");
        setTimeout(() => {
          child.kill("SIGKILL");
          done();
        }, 15_000).unref();
      }),
  );
  await Promise.all(exits);
  process.exit(exitCode);
}

async function main(): Promise<void> {
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  const database = process.env["DATABASE_URL"]
    ? "MariaDB (DATABASE_URL)"
    : `SQLite file in ${resolve(process.env["MSP_DATA_DIR"] ?? "./data")}`;
  console.log(`Starting the MSP platform on ${database} ...`);
  await Promise.all(stackProcesses.map(start));
  const host = process.env["GRPC_HOST"] ?? "127.0.0.1";
  console.log("\nThe MSP platform is running:");
  for (const proc of stackProcesses) {
    const port = process.env[proc.portVariable] ?? String(proc.defaultPort);
    console.log(`  ${proc.name.padEnd(16)} ${proc.protocol} ${host}:${port}`);
  }
  const work = process.env["WORK_SERVICE_PORT"] ?? "50051";
  console.log(`\nTry: npx buf curl --protocol grpc --http2-prior-knowledge --list-services http://${host}:${work}`);
  console.log("Press Ctrl-C to stop.");
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
