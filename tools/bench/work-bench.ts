// Benchmark of the work service (not a test): Get by id and a filtered List of 50 over 100,000
// stored sessions, at 1 and 32 concurrent callers, on SQLite and MariaDB. The service runs in
// its own process, as in production; this process is the load generator.
//   npm run bench -- [--db sqlite|mariadb|both] [--sessions 100000] [--seconds 10]
//   MariaDB: MSP_BENCH_MARIADB_URL (default mariadb://root@127.0.0.1:3306/msp_bench, recreated).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { credentials } from "@grpc/grpc-js";
import * as mariadb from "mariadb";
import type { DatabaseConfig } from "@msp/db";
import { createDatabase, migrateUp } from "@msp/db";
import { migrations } from "@msp/migrations";
import { call } from "@msp/testing";
import { GetSessionRequest, SessionServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { h2loadUnary, hasH2load } from "./h2load";
import type { LoadResult } from "./load";
import { runLoad } from "./load";
import { seedSessions } from "./seed";

const root = resolve(__dirname, "..", "..");
const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "both" },
    sessions: { type: "string", default: "100000" },
    clients: { type: "string", default: "100" },
    seconds: { type: "string", default: "10" },
    port: { type: "string", default: "50151" },
  },
});

async function freshMariaDb(url: string): Promise<void> {
  const u = new URL(url);
  const c = await mariadb.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  });
  const name = u.pathname.slice(1);
  await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
}

function startWorkService(config: DatabaseConfig, port: number): Promise<() => Promise<void>> {
  const env: NodeJS.ProcessEnv = { ...process.env, WORK_SERVICE_PORT: String(port), MSP_DATA_DIR: config.dataDir, LOG_LEVEL: "warn" };
  if (config.databaseUrl) env["DATABASE_URL"] = config.databaseUrl;
  else delete env["DATABASE_URL"];
  const child = spawn(process.execPath, ["--import", "tsx", "apps/work-service/src/main.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((ready, failed) => {
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("listening on")) {
        ready(
          () =>
            new Promise<void>((done) => {
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        );
      }
    });
    child.once("exit", (code) => failed(new Error(`work-service exited with ${code}`)));
  });
}

const ms = (n: number) => n.toFixed(2);

async function bench(dialect: "sqlite" | "mariadb"): Promise<string[]> {
  const sessions = Number(args.sessions);
  const seconds = Number(args.seconds);
  const dataDir = mkdtempSync(join(tmpdir(), "msp-bench-"));
  const config: DatabaseConfig = { dataDir };
  if (dialect === "mariadb") {
    config.databaseUrl = process.env["MSP_BENCH_MARIADB_URL"] ?? "mariadb://root@127.0.0.1:3306/msp_bench";
    await freshMariaDb(config.databaseUrl);
  }
  const db = createDatabase(config);
  await migrateUp(db, migrations);
  const seedStart = performance.now();
  const { sessionIds, clientIds } = await seedSessions(db, sessions, Number(args.clients));
  console.error(`${dialect}: seeded ${sessions} sessions in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  await db.close();

  const port = Number(args.port);
  const stop = await startWorkService(config, port);
  const client = new SessionServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  const get = () => call(client, "getSession", { id: pick(sessionIds) });
  const list = () =>
    call(client, "listSessions", {
      pageSize: 50,
      pageToken: "",
      filter: `client_id = "${pick(clientIds)}" AND status = "completed"`,
      orderBy: "",
    });
  const lines: string[] = [];
  const report = (name: string, concurrency: number, r: LoadResult) => {
    const line = `| ${dialect} | ${name} | ${concurrency} | ${Math.round(r.perSecond)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.errors} |`;
    console.error(line);
    lines.push(line);
  };
  try {
    for (const concurrency of [1, 32]) report("Get by id", concurrency, await runLoad(get, concurrency, seconds));
    if (await hasH2load()) {
      // The same Get from a C client: what the service costs without grpc-js's client on the same cores.
      const id = pick(sessionIds);
      await call(client, "getSession", { id }); // h2load does not read gRPC statuses: make sure this one succeeds
      const message = GetSessionRequest.encode({ id }).finish();
      const url = `http://127.0.0.1:${port}/msp.work.v1.SessionService/GetSession`;
      for (const concurrency of [1, 32]) report("Get by id (h2load)", concurrency, await h2loadUnary(url, message, concurrency, seconds));
    }
    for (const concurrency of [1, 32]) report("List 50, filtered", concurrency, await runLoad(list, concurrency, seconds));
  } finally {
    client.close();
    await stop();
    if (dialect === "mariadb") await freshMariaDb(config.databaseUrl!);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return lines;
}

async function main(): Promise<void> {
  const dialects: ("sqlite" | "mariadb")[] = args.db === "both" ? ["mariadb", "sqlite"] : [args.db as "sqlite" | "mariadb"];
  const lines: string[] = [];
  for (const dialect of dialects) lines.push(...(await bench(dialect)));
  console.log(`\n${args.sessions} sessions stored, ${args.seconds} s per scenario after 2 s warm-up\n`);
  console.log("| database | call | callers | calls/s | p50 ms | p99 ms | errors |");
  console.log("|---|---|---|---|---|---|---|");
  for (const line of lines) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
