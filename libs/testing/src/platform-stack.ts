import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { DatabaseConfig } from "@msp/db";
import { nodeArgsOf } from "@msp/service-runtime";
import type { TestDatabase } from "./test-database";
import { createTestDatabase } from "./test-database";

const root = resolve(__dirname, "..", "..", "..");

/** A free TCP port on loopback, for a service the gateway must know before it starts. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** A decoded JSON response body; tests read it field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads arbitrary JSON
export type Json = any;

/** One app of the platform running as its own process, as `npm start` runs it. */
interface AppProcess {
  child: ChildProcess;
  /** The first line matching `ready`, once it is printed. */
  line: string;
  output: string[];
}

function startApp(entry: string, env: NodeJS.ProcessEnv, ready: RegExp, nodeArgs: readonly string[] = []): Promise<AppProcess> {
  // apps/<name>/src/main.ts: the app's own node options, as `npm start` gives them, then the caller's.
  const app = entry.split("/")[1] ?? "";
  const child = spawn(process.execPath, [...nodeArgsOf(app), ...nodeArgs, "--import", "tsx", entry], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${entry} did not start in 60 s:\n${output.slice(-20).join("\n")}`)), 60_000);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        output.push(line);
        if (ready.test(line)) {
          clearTimeout(timer);
          done({ child, line, output });
        }
      });
    }
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`${entry} exited with ${code}:\n${output.slice(-20).join("\n")}`));
    });
  });
}

function stopApp(app: AppProcess): Promise<void> {
  if (app.child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    app.child.once("exit", () => done());
    app.child.kill("SIGTERM");
    setTimeout(() => app.child.kill("SIGKILL"), 15_000).unref();
  });
}

/** The platform as `npm start` runs it (work and recall services, gateway with identity), on one fresh database. */
export interface PlatformStack {
  baseUrl: string;
  workAddress: string;
  recallAddress: string;
  identityAddress: string;
  adminPassword: string;
  secret: string;
  /** A fresh access token (admin by default). */
  login(username?: string, password?: string): Promise<string>;
  /** Calls the gateway with an optional bearer token and JSON body (or a raw body). */
  api(
    method: string,
    path: string,
    options?: { token?: string | undefined; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; json: Json }>;
  /** Stops the work service only, to see how the gateway answers without it. */
  stopWork(): Promise<void>;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  /** Extra environment for the gateway. */
  env?: Record<string, string>;
  /** Run on this database (kept afterwards) instead of a fresh test database. */
  database?: DatabaseConfig;
  /** Log level of the apps; warnings only by default. */
  logLevel?: string;
  /** Extra node options for the gateway process, such as --cpu-prof when profiling. */
  gatewayNodeArgs?: string[];
  /** Extra node options for the work service process. */
  workNodeArgs?: string[];
  /** Extra node options for the recall service process. */
  recallNodeArgs?: string[];
}

export async function startPlatform(options: PlatformOptions = {}): Promise<PlatformStack> {
  const database: TestDatabase = options.database
    ? { config: options.database, dialect: options.database.databaseUrl ? "mariadb" : "sqlite", drop: () => Promise.resolve() }
    : await createTestDatabase();
  const env = options.env ?? {};
  const secret = randomBytes(32).toString("hex");
  const adminPassword = `Admin-${randomBytes(9).toString("base64url")}`;
  const workPort = await freePort();
  const recallPort = await freePort();
  const common: NodeJS.ProcessEnv = {
    MSP_DATA_DIR: database.config.dataDir,
    MSP_JWT_SECRET: secret,
    LOG_LEVEL: options.logLevel ?? "warn",
    ...(database.config.databaseUrl ? { DATABASE_URL: database.config.databaseUrl } : {}),
  };
  const gateway = await startApp(
    "apps/gateway/src/main.ts",
    {
      ...common,
      GATEWAY_PORT: "0",
      IDENTITY_PORT: "0",
      WORK_SERVICE_ADDRESSES: `127.0.0.1:${workPort}`,
      RECALL_SERVICE_ADDRESSES: `127.0.0.1:${recallPort}`,
      MSP_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
      ...env,
    },
    /^gateway listening on/,
    options.gatewayNodeArgs,
  );
  const baseUrl = /listening on (http:\/\/[\d.]+:\d+)/.exec(gateway.line)![1]!;
  const identityAddress = /identity gRPC on ([\d.]+:\d+)/.exec(gateway.line)![1]!;
  let work: AppProcess;
  let recall: AppProcess;
  try {
    // Both migrate the database at start-up; the migration lock lets one do it.
    const started = await Promise.allSettled([
      startApp(
        "apps/work-service/src/main.ts",
        { ...common, WORK_SERVICE_PORT: String(workPort), IDENTITY_ADDRESS: identityAddress },
        /^work-service listening on/,
        options.workNodeArgs,
      ),
      startApp(
        "apps/recall-service/src/main.ts",
        { ...common, RECALL_SERVICE_PORT: String(recallPort), IDENTITY_ADDRESS: identityAddress },
        /^recall-service listening on/,
        options.recallNodeArgs,
      ),
    ]);
    const failed = started.find((s) => s.status === "rejected");
    if (failed) {
      await Promise.all(started.map((s) => (s.status === "fulfilled" ? stopApp(s.value) : Promise.resolve())));
      throw failed.reason;
    }
    [work, recall] = started.map((s) => (s as PromiseFulfilledResult<AppProcess>).value) as [AppProcess, AppProcess];
  } catch (error) {
    await stopApp(gateway);
    throw error;
  }

  const api: PlatformStack["api"] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers["authorization"] = `Bearer ${options.token}`;
    const body = options.body !== undefined ? JSON.stringify(options.body) : options.raw;
    if (body !== undefined) headers["content-type"] ??= "application/json";
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let json: Json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: response.status, json };
  };

  return {
    baseUrl,
    workAddress: `127.0.0.1:${workPort}`,
    recallAddress: `127.0.0.1:${recallPort}`,
    identityAddress,
    adminPassword,
    secret,
    api,
    async login(username = "admin", password = adminPassword) {
      const { status, json } = await api("POST", "/api/v1/auth/token", { body: { username, password } });
      if (status !== 200) throw new Error(`login as ${username} failed: ${status} ${JSON.stringify(json)}`);
      return json.accessToken as string;
    },
    stopWork: () => stopApp(work),
    async stop() {
      await Promise.all([stopApp(gateway), stopApp(work), stopApp(recall)]);
      await database.drop();
    },
  };
}
