// `npm start`: runs every process of the platform (libs/registry) on the embedded SQLite database
// (or DATABASE_URL), prints where each listens, restarts a process that dies (supervisor.ts), and
// stops them all on Ctrl-C. Its output: start-output.ts (`npm start -- --json` for JSON lines).
import { resolve } from "node:path";
import { secureDataFolder } from "@msp/db";
import type { ServiceEntry } from "@msp/registry";
import { gatewayEntry, platformProcesses, portVariable } from "@msp/registry";
import { jwtSecretFor } from "./jwt-secret";
import type { PlannedPort } from "./running-platform";
import { alreadyRunningMessage, pidFilePath, recordRunning, runningPid } from "./running-platform";
import type { LogFormat } from "./start-output";
import { logFormatOf, renderNotice, renderProcessLine } from "./start-output";
import { Supervisor } from "./supervisor";
import { vaultMasterKeyEnv } from "./vault-master-key";

const root = resolve(__dirname, "..", "..");
const dataDir = resolve(process.env["MSP_DATA_DIR"] ?? "./data");
const format = formatOrExit();
const processes = platformProcesses();
const grpcHost = process.env["GRPC_HOST"] ?? "127.0.0.1";
const gatewayHost = process.env["GATEWAY_HOST"] ?? "127.0.0.1";
const gatewayPort = Number(process.env["GATEWAY_PORT"] ?? String(gatewayEntry.defaultPort));
const portOf = (service: ServiceEntry): string => process.env[portVariable(service)] ?? String(service.defaultPort);
// What the platform writes (the SQLite file and its -wal and -shm, secrets, backups) holds password
// and key hashes: readable by its own user only. The processes started below inherit the mask;
// the data folder is made (or tightened to) 0700, and @msp/db tightens the SQLite files too.
process.umask(0o077);
secureDataFolder(dataDir);
const jwtSecret = jwtSecretFor(dataDir, process.env["MSP_JWT_SECRET"]);
const supervisor = new Supervisor({
  cwd: root,
  env: {
    // A verified backup of the embedded database every day at 02:00 UTC into data/backups (the last 7
    // daily, 4 weekly and 12 monthly kept); AUDIT_BACKUP_DAILY_AT changes the time.
    AUDIT_BACKUP_DAILY_AT: "02:00",
    ...process.env,
    MSP_DATA_DIR: dataDir,
    MSP_JWT_SECRET: jwtSecret,
    ...vaultMasterKeyEnv(dataDir, process.env),
  },
  readyTimeoutMs: 120_000,
  spares: sparesWanted(process.env["MSP_WARM_SPARES"]),
  onLine: (app, line, stream) => {
    const proc = processes.find((p) => p.app === app);
    const text = renderProcessLine(format, app, proc?.readyPrefix ?? `${app} listening on`, line, stream);
    if (text !== undefined) (format === "pretty" && stream === "stderr" ? process.stderr : process.stdout).write(`${text}\n`);
  },
  onNotice: (message) => say(message, "warn"),
});
let stopping = false;
let forgetPid: () => void = () => undefined;

function formatOrExit(): LogFormat {
  try {
    return logFormatOf(process.argv.slice(2), process.env, process.stdout.isTTY === true);
  } catch (error) {
    console.error(`npm start: ${(error as Error).message}`);
    process.exit(1);
  }
}

/** A message of npm start itself: plain text at a terminal, a JSON line otherwise. */
function say(message: string, level: "info" | "warn" | "error" = "info"): void {
  const text = renderNotice(format, message, level);
  if (level === "info") console.log(text);
  else console.error(text);
}

/** Every port this start listens on, the gateway's first. */
function plannedPorts(): PlannedPort[] {
  return [
    { host: gatewayHost, port: gatewayPort, variable: "GATEWAY_PORT" },
    ...processes.flatMap((p) => p.services).map((s) => ({ host: grpcHost, port: Number(portOf(s)), variable: portVariable(s) })),
  ];
}

/**
 * A warm spare of each process takes over at once when one dies (140-190 MB resident each).
 * MSP_WARM_SPARES=0 saves their memory; a comma-separated list of apps keeps spares of those only.
 */
function sparesWanted(setting: string | undefined): "all" | string[] {
  const value = setting?.trim() ?? "";
  if (value === "" || value === "1" || value === "all") return "all";
  if (value === "0" || value === "none") return [];
  return value
    .split(",")
    .map((app) => app.trim())
    .filter(Boolean);
}

async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await supervisor.stopAll();
  forgetPid();
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const pidFile = pidFilePath(gatewayPort);
  const busy = await alreadyRunningMessage(plannedPorts(), runningPid(pidFile));
  if (busy) {
    say(busy, "error");
    process.exit(1);
  }
  forgetPid = recordRunning(pidFile);
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  const database = process.env["DATABASE_URL"] ? "MariaDB (DATABASE_URL)" : `SQLite file in ${dataDir}`;
  say(`Starting the MSP platform on ${database} ...`);
  // Services first (they migrate the database), then the gateway in front of them.
  await Promise.all(processes.filter((p) => !p.gateway).map((p) => supervisor.start(p)));
  await Promise.all(processes.filter((p) => p.gateway).map((p) => supervisor.start(p)));
  supervisor.startSpares();

  const pids = supervisor.pids();
  const gateway = `http://${gatewayHost}:${gatewayPort}`;
  const grpc = processes.flatMap((p) => p.services).map((s) => ({ name: s.name, address: `${grpcHost}:${portOf(s)}` }));
  if (format === "json") {
    console.log(
      JSON.stringify({
        level: 30,
        time: new Date().toISOString(),
        service: "npm start",
        msg: "the MSP platform is running",
        restApi: `${gateway}/api/v1`,
        docs: `${gateway}/api/docs`,
        grpc: Object.fromEntries(grpc.map((g) => [g.name, g.address])),
        pids,
      }),
    );
    return;
  }
  const work = grpc.find((g) => g.name === "work-service");
  console.log(
    [
      "",
      `The MSP platform is running (npm start pid ${process.pid}; a process that dies is restarted; Ctrl-C stops them all):`,
      `  REST API   ${gateway}/api/v1   (msp setup --server takes this URL; OpenAPI: ${gateway}/api/openapi.json)`,
      `  API docs   ${gateway}/api/docs`,
      `  gRPC       ${grpc.map((g) => `${g.name} ${g.address}`).join(", ")}`,
      `  processes  ${processes.map((p) => `${p.app} pid ${pids[p.app] ?? "?"}`).join(", ")}`,
      "",
      "Log in as admin (its password was printed above on the first start, or is MSP_BOOTSTRAP_ADMIN_PASSWORD;",
      'lost: npm run admin:reset-password). The README\'s "Calling the platform" keeps the token in $TOKEN:',
      `  curl -s -X POST ${gateway}/api/v1/auth/token -H 'content-type: application/json' -d '{"username":"admin","password":"..."}'`,
      "then send the accessToken as 'Authorization: Bearer <token>'; gRPC services take the same header (from this folder):",
      ...(work
        ? [
            `  node_modules/.bin/buf curl --protocol grpc --http2-prior-knowledge -H "Authorization: Bearer $TOKEN" --list-methods http://${work.address}`,
          ]
        : []),
      "",
      "Logs: pretty at a terminal, JSON lines otherwise (npm start -- --json); LOG_LEVEL=debug adds every refused request.",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  // Ctrl-C while starting stops the processes on purpose: no failure to report.
  if (!stopping) say(`failed: ${error instanceof Error ? error.message : String(error)}`, "error");
  void stopAll(1);
});
