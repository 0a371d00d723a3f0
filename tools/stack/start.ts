// `npm start`: runs every service of the platform as its own process on the embedded SQLite
// database (or DATABASE_URL), prints where each listens, and stops them all on Ctrl-C.
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { nodeArgsOf } from "@msp/service-runtime";
import type { StackProcess } from "./services";
import { jwtSecretFor } from "./jwt-secret";
import { stackProcesses } from "./services";

const root = resolve(__dirname, "..", "..");
const dataDir = resolve(process.env["MSP_DATA_DIR"] ?? "./data");
const jwtSecret = jwtSecretFor(dataDir, process.env["MSP_JWT_SECRET"]);
const readyTimeoutMs = 120_000;
const children = new Map<string, ChildProcess>();
let stopping = false;

function start(proc: StackProcess): Promise<void> {
  const child = spawn(process.execPath, [...nodeArgsOf(proc.name), "--import", "tsx", proc.entry], {
    cwd: root,
    env: { ...process.env, MSP_DATA_DIR: dataDir, MSP_JWT_SECRET: jwtSecret },
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
  // Services first (they migrate the database), then the gateway in front of them.
  const [services, edge] = [stackProcesses.filter((p) => p.protocol === "gRPC"), stackProcesses.filter((p) => p.protocol === "HTTP")];
  await Promise.all(services.map(start));
  await Promise.all(edge.map(start));
  const host = process.env["GRPC_HOST"] ?? "127.0.0.1";
  console.log("\nThe MSP platform is running:");
  for (const proc of stackProcesses) {
    const port = process.env[proc.portVariable] ?? String(proc.defaultPort);
    console.log(`  ${proc.name.padEnd(16)} ${proc.protocol} ${host}:${port}`);
  }
  const gateway = `http://${process.env["GATEWAY_HOST"] ?? "127.0.0.1"}:${process.env["GATEWAY_PORT"] ?? "8080"}`;
  const work = process.env["WORK_SERVICE_PORT"] ?? "50051";
  console.log(`\n  REST API   ${gateway}/api/v1   (OpenAPI: ${gateway}/api/openapi.json)`);
  console.log(`  API docs   ${gateway}/api/docs`);
  console.log("\nLog in (the admin password was printed above on the first start, or is MSP_BOOTSTRAP_ADMIN_PASSWORD):");
  console.log(
    `  curl -s -X POST ${gateway}/api/v1/auth/token -H 'content-type: application/json' -d '{"username":"admin","password":"..."}'`,
  );
  console.log("then send the accessToken as 'Authorization: Bearer <token>'; gRPC services take the same header:");
  console.log(
    `  npx buf curl --protocol grpc --http2-prior-knowledge -H "Authorization: Bearer $TOKEN" --list-methods http://${host}:${work}`,
  );
  console.log("\nPress Ctrl-C to stop.");
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
