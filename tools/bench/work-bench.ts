// Benchmarks (not tests) of the platform as `npm start` runs it, over 100,000 stored sessions:
//  - the work service over gRPC: Get by id and a filtered List of 50, at 1 and 32 callers;
//  - the gateway: REST GET by id versus the same Get straight to the service over gRPC;
//  - token login (Argon2id).
// Every app runs as its own process; this process seeds the database and generates the load.
//   npm run bench -- [--db sqlite|mariadb|both] [--sessions 100000] [--seconds 10]
//   MariaDB: MSP_BENCH_MARIADB_URL (default mariadb://root@127.0.0.1:3306/msp_bench, recreated).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { credentials, Metadata } from "@grpc/grpc-js";
import type { DatabaseConfig } from "@msp/db";
import { createDatabase, migrateUp } from "@msp/db";
import { migrations } from "@msp/migrations";
import { call, startPlatform } from "@msp/testing";
import { GetSessionRequest, SessionServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { h2loadGet, h2loadUnary, hasH2load } from "./h2load";
import type { LoadResult } from "./load";
import { runLoad } from "./load";
import { resetMariaDb } from "./bench-database";
import { seedSessions } from "./seed";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "both" },
    sessions: { type: "string", default: "100000" },
    clients: { type: "string", default: "100" },
    seconds: { type: "string", default: "10" },
    logins: { type: "string", default: "40" },
  },
});

const ms = (n: number) => n.toFixed(2);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function bench(dialect: "sqlite" | "mariadb"): Promise<string[]> {
  const sessions = Number(args.sessions);
  const seconds = Number(args.seconds);
  const dataDir = mkdtempSync(join(tmpdir(), "msp-bench-"));
  const config: DatabaseConfig = { dataDir };
  if (dialect === "mariadb") {
    config.databaseUrl = process.env["MSP_BENCH_MARIADB_URL"] ?? "mariadb://root@127.0.0.1:3306/msp_bench";
    await resetMariaDb(config.databaseUrl);
  }
  const db = createDatabase(config);
  await migrateUp(db, migrations);
  const seedStart = performance.now();
  const { sessionIds, clientIds } = await seedSessions(db, sessions, Number(args.clients));
  console.error(`${dialect}: seeded ${sessions} sessions in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  await db.close();

  const platform = await startPlatform({ database: config, poolMax: 20 });
  const token = await platform.login();
  const auth = `authorization: Bearer ${token}`;
  const metadata = new Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  const client = new SessionServiceClient(platform.workAddress, credentials.createInsecure());
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  const get = () => call(client, "getSession", { id: pick(sessionIds) }, metadata);
  const list = () =>
    call(
      client,
      "listSessions",
      { pageSize: 50, pageToken: "", filter: `client_id = "${pick(clientIds)}" AND status = "completed"`, orderBy: "" },
      metadata,
    );
  const lines: string[] = [];
  const report = (name: string, concurrency: number, r: LoadResult) => {
    const line = `| ${dialect} | ${name} | ${concurrency} | ${Math.round(r.perSecond)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.errors} |`;
    console.error(line);
    lines.push(line);
  };
  try {
    for (const concurrency of [1, 32]) report("gRPC Get by id (grpc-js)", concurrency, await runLoad(get, concurrency, seconds));
    for (const concurrency of [1, 32]) report("gRPC List 50, filtered (grpc-js)", concurrency, await runLoad(list, concurrency, seconds));
    if (await hasH2load()) {
      // The same Get from a C client (h2load), straight to the service and through the gateway's
      // REST route: the difference is what the gateway adds. Every call asks for the same row.
      const id = pick(sessionIds);
      await call(client, "getSession", { id }, metadata); // h2load does not read gRPC statuses: make sure this one succeeds
      const message = GetSessionRequest.encode({ id }).finish();
      const grpcUrl = `http://${platform.workAddress}/msp.work.v1.SessionService/GetSession`;
      const restUrl = `${platform.baseUrl}/api/v1/sessions/${id}`;
      for (const concurrency of [1, 32]) {
        report("gRPC Get by id (h2load)", concurrency, await h2loadUnary(grpcUrl, message, concurrency, seconds, [auth]));
        report("REST GET by id via gateway (h2load)", concurrency, await h2loadGet(restUrl, concurrency, seconds, [auth]));
      }
    }
    const logins: number[] = [];
    for (let i = 0; i < Number(args.logins); i++) {
      const started = performance.now();
      await platform.login();
      logins.push(performance.now() - started);
    }
    const line = `| ${dialect} | POST /api/v1/auth/token (Argon2id), sequential | 1 | ${Math.round(1000 / median(logins))} | ${ms(median(logins))} | ${ms(Math.max(...logins))} (max of ${logins.length}) | 0 |`;
    console.error(line);
    lines.push(line);
  } finally {
    client.close();
    await platform.stop();
    if (dialect === "mariadb") await resetMariaDb(config.databaseUrl!, false);
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
