// `npm start`: runs every process of the platform (libs/registry) on the embedded SQLite database
// (or DATABASE_URL), prints where each listens, restarts a process that dies (supervisor.ts), and
// stops them all on Ctrl-C.
import { resolve } from "node:path";
import { secureDataFolder } from "@msp/db";
import { gatewayEntry, platformProcesses, portVariable } from "@msp/registry";
import { jwtSecretFor } from "./jwt-secret";
import { Supervisor } from "./supervisor";
import { vaultMasterKeyEnv } from "./vault-master-key";

const root = resolve(__dirname, "..", "..");
const dataDir = resolve(process.env["MSP_DATA_DIR"] ?? "./data");
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
  onLine: (app, line, stream) => (stream === "stdout" ? process.stdout : process.stderr).write(`[${app}] ${line}\n`),
  onNotice: (message) => console.error(`[npm start] ${message}`),
});
let stopping = false;

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
  process.exit(exitCode);
}

async function main(): Promise<void> {
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  const database = process.env["DATABASE_URL"] ? "MariaDB (DATABASE_URL)" : `SQLite file in ${dataDir}`;
  console.log(`Starting the MSP platform on ${database} ...`);
  // Services first (they migrate the database), then the gateway in front of them.
  const processes = platformProcesses();
  await Promise.all(processes.filter((p) => !p.gateway).map((p) => supervisor.start(p)));
  await Promise.all(processes.filter((p) => p.gateway).map((p) => supervisor.start(p)));
  supervisor.startSpares();

  const host = process.env["GRPC_HOST"] ?? "127.0.0.1";
  const pids = supervisor.pids();
  const gateway = `http://${process.env["GATEWAY_HOST"] ?? "127.0.0.1"}:${process.env["GATEWAY_PORT"] ?? String(gatewayEntry.defaultPort)}`;
  console.log("\nThe MSP platform is running (a process that dies is restarted):");
  for (const proc of processes) {
    const where = proc.services.map((s) => `gRPC ${host}:${process.env[portVariable(s)] ?? String(s.defaultPort)} (${s.name})`);
    if (proc.gateway) where.unshift(`HTTP ${gateway}`);
    console.log(`  ${proc.app.padEnd(16)} ${where.join(", ")}   pid ${pids[proc.app] ?? "?"}`);
  }
  const work = processes.flatMap((p) => p.services).find((s) => s.name === "work-service");
  console.log(`\n  REST API   ${gateway}/api/v1   (OpenAPI: ${gateway}/api/openapi.json)`);
  console.log(`  API docs   ${gateway}/api/docs`);
  console.log("\nLog in (the admin password was printed above on the first start, or is MSP_BOOTSTRAP_ADMIN_PASSWORD):");
  console.log(
    `  curl -s -X POST ${gateway}/api/v1/auth/token -H 'content-type: application/json' -d '{"username":"admin","password":"..."}'`,
  );
  console.log("then send the accessToken as 'Authorization: Bearer <token>'; gRPC services take the same header:");
  if (work) {
    const port = process.env[portVariable(work)] ?? String(work.defaultPort);
    console.log(
      `  npx buf curl --protocol grpc --http2-prior-knowledge -H "Authorization: Bearer $TOKEN" --list-methods http://${host}:${port}`,
    );
  }
  console.log("\nPress Ctrl-C to stop.");
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
