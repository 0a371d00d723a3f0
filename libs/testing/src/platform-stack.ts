import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { createMasterKeyFile } from "@msp/crypto";
import type { DatabaseConfig } from "@msp/db";
import type { PlatformProcess } from "@msp/registry";
import { addressesVariable, platformProcesses, platformServices, portVariable } from "@msp/registry";
import type { TestDatabase } from "./test-database";
import { createTestDatabase } from "./test-database";
import { freePort } from "./free-port";
import { describeDeadline, scaled } from "./slowness";

const root = resolve(__dirname, "..", "..", "..");

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

function startApp(proc: PlatformProcess, env: NodeJS.ProcessEnv, nodeArgs: readonly string[]): Promise<AppProcess> {
  // The app's own node options, as `npm start` gives them, then the caller's.
  const child = spawn(process.execPath, [...proc.nodeArgs, ...nodeArgs, "--import", "tsx", proc.entry], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  return new Promise((done, fail) => {
    // A few seconds on a usual machine, over a minute on two cores shared with other test files
    // (the services start side by side, each compiling its TypeScript); the deadline only turns a
    // hang into a failure, and an app that misses it is killed rather than left running.
    const deadline = scaled(36_000);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(
        new Error(`${proc.entry} did not print "${proc.readyPrefix}" in ${describeDeadline(deadline)}:\n${output.slice(-20).join("\n")}`),
      );
    }, deadline);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        output.push(line);
        if (line.startsWith(proc.readyPrefix)) {
          clearTimeout(timer);
          done({ child, line, output });
        }
      });
    }
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`${proc.entry} exited with ${code}:\n${output.slice(-20).join("\n")}`));
    });
  });
}

/** Whether the process has ended (by itself, or by a signal: then exitCode stays null). */
const exited = (app: AppProcess) => app.child.exitCode !== null || app.child.signalCode !== null;

function stopApp(app: AppProcess): Promise<void> {
  if (exited(app)) return Promise.resolve();
  return new Promise((done) => {
    app.child.once("exit", () => done());
    app.child.kill("SIGTERM");
    setTimeout(() => app.child.kill("SIGKILL"), 15_000).unref();
  });
}

/** The platform as `npm start` runs it (every registered service and the gateway), on one fresh database. */
export interface PlatformStack {
  baseUrl: string;
  /** The gRPC address of every registered service, by name (work-service, recall-service, identity). */
  addresses: Readonly<Record<string, string>>;
  workAddress: string;
  recallAddress: string;
  identityAddress: string;
  adminPassword: string;
  secret: string;
  /** The database every app of it runs on: a test may read it directly (dumpDatabase). */
  database: DatabaseConfig;
  /** What every app printed so far (warnings and errors at the default log level), app by app. */
  logs(): Array<{ app: string; lines: readonly string[] }>;
  /** A fresh access token (admin by default). */
  login(username?: string, password?: string): Promise<string>;
  /** Calls the gateway with an optional bearer token and JSON body (or a raw body). */
  api(
    method: string,
    path: string,
    options?: { token?: string | undefined; body?: unknown; raw?: string; headers?: Record<string, string>; signal?: AbortSignal },
  ): Promise<{ status: number; json: Json }>;
  /** Stops one app's process (work-service...), to see how the others answer without it. */
  stopApp(app: string): Promise<void>;
  /** Stops the work service only. */
  stopWork(): Promise<void>;
  /** Kills one app's process with SIGKILL (no shutdown, a transaction in hand is cut), once it has exited. */
  killApp(app: string): Promise<void>;
  /** Starts a stopped or killed app again with the same environment (database, ports, master key), once it serves. */
  restartApp(app: string): Promise<void>;
  /** The apps whose process has ended (stopped, killed, or crashed) and not been started again. */
  exitedApps(): string[];
  stop(): Promise<void>;
}

export interface PlatformOptions {
  /** Extra environment for the gateway. */
  env?: Record<string, string>;
  /** Run on this database (kept afterwards) instead of a fresh test database. */
  database?: DatabaseConfig;
  /** Log level of the apps; warnings only by default. */
  logLevel?: string;
  /** Extra node options per app (gateway, work-service...), such as --cpu-prof when profiling. */
  nodeArgs?: Readonly<Record<string, readonly string[]>>;
  /**
   * Database connections per pool of each process (DB_POOL_MAX): 5 by default, since test files
   * run platforms side by side on one MariaDB (151 connections by default, and each process has a
   * write and a read pool); benchmarks give the production default, 20.
   */
  poolMax?: number;
  /** Extra environment per app (vault-service...), such as a smaller batch for a background job. */
  envByApp?: Readonly<Record<string, Record<string, string>>>;
}

/**
 * The vault's master key: a fresh one for a fresh database; for a database the caller gives (it
 * outlives this platform, and a restart must open its key ring again), the one kept beside it in
 * its data folder, made on first use as `npm start` makes it.
 */
function vaultMasterKey(given: DatabaseConfig | undefined): Buffer {
  if (given === undefined) return randomBytes(32);
  mkdirSync(given.dataDir, { recursive: true });
  return createMasterKeyFile(join(given.dataDir, "vault-master-key"));
}

/** Starts every process of the registry (libs/registry) as `npm start` would, each on a free port. */
export async function startPlatform(options: PlatformOptions = {}): Promise<PlatformStack> {
  const database: TestDatabase = options.database
    ? { config: options.database, dialect: options.database.databaseUrl ? "mariadb" : "sqlite", drop: () => Promise.resolve() }
    : await createTestDatabase();
  const secret = randomBytes(32).toString("hex");
  const adminPassword = `Admin-${randomBytes(9).toString("base64url")}`;
  const addresses: Record<string, string> = {};
  const common: NodeJS.ProcessEnv = {
    MSP_DATA_DIR: database.config.dataDir,
    MSP_JWT_SECRET: secret,
    MSP_VAULT_MASTER_KEY: vaultMasterKey(options.database).toString("base64"),
    LOG_LEVEL: options.logLevel ?? "warn",
    DB_POOL_MAX: String(options.poolMax ?? 5),
    ...(database.config.databaseUrl ? { DATABASE_URL: database.config.databaseUrl } : {}),
  };
  const processes = platformProcesses();
  const launch = (proc: PlatformProcess, env: NodeJS.ProcessEnv) =>
    startApp(proc, { ...common, ...env, ...options.envByApp?.[proc.app] }, options.nodeArgs?.[proc.app] ?? []);
  const gatewayProcess = processes.find((p) => p.gateway)!;
  const gatewayEnv: NodeJS.ProcessEnv = { GATEWAY_PORT: "0", MSP_BOOTSTRAP_ADMIN_PASSWORD: adminPassword, ...options.env };
  const gatewayPort = gatewayEnv["GATEWAY_PORT"];
  let baseUrl = "";
  let running = new Map<string, AppProcess>();
  // A port found free can be taken by another test's process before an app binds it: the whole
  // platform then starts again on other ports (up to three times), as no app may keep a peer's old address.
  for (let attempt = 1; ; attempt++) {
    for (const service of platformServices) {
      const port = await freePort();
      addresses[service.name] = `127.0.0.1:${port}`;
      common[portVariable(service)] = String(port);
      common[addressesVariable(service)] = addresses[service.name];
    }
    try {
      ({ baseUrl, running } = await launchAll());
      break;
    } catch (error) {
      if (attempt >= 3 || !/EADDRINUSE/.test(String(error instanceof Error ? error.message : error))) throw error;
    }
  }

  /** The gateway first (it hosts identity, which every service asks about revoked tokens), then the others side by side. */
  async function launchAll(): Promise<{ baseUrl: string; running: Map<string, AppProcess> }> {
    gatewayEnv["GATEWAY_PORT"] = gatewayPort;
    const gateway = await launch(gatewayProcess, gatewayEnv);
    const url = /listening on (http:\/\/[\d.]+:\d+)/.exec(gateway.line)![1]!;
    // A restarted gateway takes the port it had: callers keep baseUrl.
    gatewayEnv["GATEWAY_PORT"] = new URL(url).port;
    const apps = new Map<string, AppProcess>([[gatewayProcess.app, gateway]]);
    // Each migrates at start-up, and the migration lock lets one do it.
    const started = await Promise.allSettled(processes.filter((p) => !p.gateway).map((p) => launch(p, {})));
    for (const [i, proc] of processes.filter((p) => !p.gateway).entries()) {
      const outcome = started[i]!;
      if (outcome.status === "fulfilled") apps.set(proc.app, outcome.value);
    }
    const failed = started.find((s) => s.status === "rejected");
    if (failed) {
      await Promise.all([...apps.values()].map(stopApp));
      throw failed.reason;
    }
    return { baseUrl: url, running: apps };
  }

  const api: PlatformStack["api"] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers["authorization"] = `Bearer ${options.token}`;
    const body = options.body !== undefined ? JSON.stringify(options.body) : options.raw;
    if (body !== undefined) headers["content-type"] ??= "application/json";
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const text = await response.text();
    let json: Json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: response.status, json };
  };

  const appNamed = (app: string) => {
    const proc = running.get(app);
    if (proc === undefined) throw new Error(`no app named ${app} runs in this platform: ${[...running.keys()].join(", ")}`);
    return proc;
  };
  const stopOne = async (app: string) => stopApp(appNamed(app));
  const killOne = async (app: string) => {
    const proc = appNamed(app);
    if (exited(proc)) return;
    await new Promise<void>((done) => {
      proc.child.once("exit", () => done());
      proc.child.kill("SIGKILL");
    });
  };
  const restartOne = async (app: string) => {
    const proc = appNamed(app);
    if (!exited(proc)) throw new Error(`${app} is still running: stop or kill it first`);
    const definition = processes.find((p) => p.app === app)!;
    running.set(app, await launch(definition, definition.gateway ? gatewayEnv : {}));
  };
  return {
    baseUrl,
    addresses,
    workAddress: addresses["work-service"]!,
    recallAddress: addresses["recall-service"]!,
    identityAddress: addresses["identity"]!,
    adminPassword,
    secret,
    database: database.config,
    logs: () => [...running].map(([app, proc]) => ({ app, lines: [...proc.output] })),
    api,
    async login(username = "admin", password = adminPassword) {
      const { status, json } = await api("POST", "/api/v1/auth/token", { body: { username, password } });
      if (status !== 200) throw new Error(`login as ${username} failed: ${status} ${JSON.stringify(json)}`);
      return json.accessToken as string;
    },
    stopApp: stopOne,
    stopWork: () => stopOne("work-service"),
    killApp: killOne,
    restartApp: restartOne,
    exitedApps: () => [...running].filter(([, proc]) => exited(proc)).map(([app]) => app),
    async stop() {
      await Promise.all([...running.values()].map(stopApp));
      await database.drop();
    },
  };
}
