// Benchmark (not a test) of Recall, the call a SessionStart hook makes, over a large memory, by
// default the shape issue 5 names: 100,000 conversation contexts and 100,000 snippets (plus
// 20,000 decisions, project states, insights and failure patterns) across 500 projects. The
// platform runs as `npm start` runs it (the recall service is its own process); this process seeds
// the database and calls Recall over gRPC, scoped to a random project, with and without query
// text: one call at a time for latency, then from 16 callers for throughput.
//   npx tsx tools/bench/recall-bench.ts [--db sqlite|mariadb] [--contexts 100000] [--snippets 100000]
//     [--projects 500] [--calls 1000] [--callers 16] [--seconds 10] [--reuse] [--cache-mb N]
//   --reuse keeps the seeded database for the next run (and uses one left by a run before).
//   --cache-mb sets the recall service's scope cache (RECALL_CACHE_MB; 0: every recall reads its
//   scope, as the first recall of a scope since it changed does).
//   MariaDB: MSP_BENCH_MARIADB_URL (default mariadb://root@127.0.0.1:3306/msp_recall_bench, recreated, dropped after).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { credentials, Metadata } from "@grpc/grpc-js";
import type { Database, DatabaseConfig } from "@msp/db";
import { createDatabase, migrateUp } from "@msp/db";
import { migrations } from "@msp/migrations";
import { call, startPlatform } from "@msp/testing";
import { MemoryServiceClient, RecallRequest, Scope } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { createMariaDbIfMissing, resetMariaDb } from "./bench-database";
import { runLoad } from "./load";
import type { RecallSeed } from "./recall-seed";
import { benchWord, seedRecall } from "./recall-seed";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    contexts: { type: "string", default: "100000" },
    snippets: { type: "string", default: "100000" },
    projects: { type: "string", default: "500" },
    clients: { type: "string", default: "50" },
    calls: { type: "string", default: "1000" },
    callers: { type: "string", default: "16" },
    seconds: { type: "string", default: "10" },
    reuse: { type: "boolean", default: false },
    "cache-mb": { type: "string" },
  },
});

const ms = (n: number) => n.toFixed(2);

interface Latencies {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function percentiles(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? NaN,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

/**
 * Recall reads random projects' rows: when InnoDB's buffer pool cannot hold the memory tables,
 * each call waits on page reads and the figures measure the disk, not recall. Says which it is.
 */
async function reportBufferPool(db: Database): Promise<void> {
  const [rows] = await db.sequelize.query(
    "SELECT @@innodb_buffer_pool_size AS pool, (SELECT SUM(data_length + index_length) FROM information_schema.tables WHERE table_schema = DATABASE()) AS data",
  );
  const { pool, data } = (rows as { pool: number | string; data: number | string }[])[0] ?? { pool: 0, data: 0 };
  const mib = (bytes: number | string) => `${Math.round(Number(bytes) / 1024 / 1024)} MiB`;
  console.error(`mariadb: innodb_buffer_pool_size ${mib(pool)}, data and indexes ${mib(data)}`);
  if (Number(pool) < Number(data)) {
    console.error(
      "mariadb: the buffer pool is smaller than the data: calls will wait on disk (SET GLOBAL innodb_buffer_pool_size = 1073741824)",
    );
  }
}

/** Seeds the memory the options name and refreshes the planner's statistics. */
async function seedAndAnalyze(db: Database, dialect: string): Promise<RecallSeed> {
  const started = performance.now();
  const seed = await seedRecall(db, {
    contexts: Number(args.contexts),
    snippets: Number(args.snippets),
    projects: Number(args.projects),
    clients: Number(args.clients),
  });
  console.error(`${dialect}: seeded ${JSON.stringify(seed.counts)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (dialect === "sqlite") await db.sequelize.query("PRAGMA optimize");
  else for (const table of Object.keys(seed.counts)) await db.sequelize.query(`ANALYZE TABLE ${table}`);
  return seed;
}

/** With --reuse: the projects a run before seeded, when the database holds as many contexts as asked. */
async function seededBefore(db: Database): Promise<RecallSeed | null> {
  const [counted] = await db.select<{ n: number | string }>("SELECT COUNT(*) AS n FROM conversation_contexts", []);
  if (Number(counted?.n ?? 0) !== Number(args.contexts)) {
    if (Number(counted?.n ?? 0) > 0)
      throw new Error(`--reuse: the database holds ${counted?.n} contexts, not ${args.contexts}; drop it first`);
    return null;
  }
  const projects = await db.select<{ id: string; clientId: string; repository: string }>(
    "SELECT project_id AS id, client_id AS clientId, repository FROM project_states WHERE project_id IS NOT NULL",
    [],
  );
  // The platform bootstraps its admin (with this run's password) only when there is no user.
  await db.sequelize.query("DELETE FROM api_keys");
  await db.sequelize.query("DELETE FROM users");
  console.error(`reusing the seeded database: ${counted?.n} contexts, ${projects.length} projects`);
  return { projects, clientIds: [...new Set(projects.map((p) => p.clientId))], counts: {} };
}

async function main(): Promise<void> {
  const dialect = args.db === "mariadb" ? "mariadb" : "sqlite";
  const dataDir = mkdtempSync(join(tmpdir(), "msp-recall-bench-"));
  const config: DatabaseConfig = { dataDir };
  if (dialect === "mariadb") {
    config.databaseUrl = process.env["MSP_BENCH_MARIADB_URL"] ?? "mariadb://root@127.0.0.1:3306/msp_recall_bench";
    if (!args.reuse) await resetMariaDb(config.databaseUrl);
    else await createMariaDbIfMissing(config.databaseUrl);
  }
  const db = createDatabase(config);
  await migrateUp(db, migrations);
  const seed = (args.reuse ? await seededBefore(db) : null) ?? (await seedAndAnalyze(db, dialect));
  if (dialect === "mariadb") await reportBufferPool(db);
  await db.close();

  // The platform as `npm start` runs it: the recall service is its own process (and inherits this environment).
  if (args["cache-mb"] !== undefined) process.env["RECALL_CACHE_MB"] = args["cache-mb"];
  const platform = await startPlatform({ database: config, poolMax: 20 });
  try {
    const metadata = new Metadata();
    const client = new MemoryServiceClient(platform.recallAddress, credentials.createInsecure());
    const calls = Number(args.calls);
    const anyProject = () => seed.projects[Math.floor(Math.random() * seed.projects.length)]!;
    // A few projects recalled again and again: their scope is in the cache and unchanged.
    const recentProject = () => seed.projects[Math.floor(Math.random() * Math.min(20, seed.projects.length))]!;
    const request = (query: string, scoped = true, pickProject = anyProject) => {
      const project = pickProject();
      return RecallRequest.fromPartial({
        scope: Scope.fromPartial(
          !scoped
            ? {}
            : {
                projectId: project.id,
                clientId: project.clientId,
                repository: project.repository,
                machineName: "BENCH",
              },
        ),
        query,
      });
    };
    const scenarios: { name: string; query: () => string; scoped?: false; pick?: () => (typeof seed.projects)[number]; load?: true }[] = [
      // The floor: the same RPC reading almost nothing (pinned global items only).
      { name: "floor: empty scope (pinned global items)", query: () => "", scoped: false },
      { name: "SessionStart: project scope, no query", query: () => "", load: true },
      { name: "SessionStart: one of 20 projects recalled before", query: () => "", pick: recentProject },
      {
        name: "UserPromptSubmit: project scope + 3-word query",
        query: () => `${benchWord()} ${benchWord()} ${benchWord()}`,
        load: true,
      },
      {
        name: "project scope + 12-word prompt",
        query: () => `why does the ${Array.from({ length: 12 }, benchWord).join(" ")} keep failing?`,
      },
    ];
    const lines: string[] = [];
    for (const scenario of scenarios) {
      metadata.set("authorization", `Bearer ${await platform.login()}`); // a fresh token: a scenario may outlast one
      for (let i = 0; i < 50; i++) await call(client, "recall", request(scenario.query(), scenario.scoped, scenario.pick), metadata); // warm-up
      const samples: number[] = [];
      let chars = 0;
      let items = 0;
      for (let i = 0; i < calls; i++) {
        const started = performance.now();
        const answer = await call(client, "recall", request(scenario.query(), scenario.scoped, scenario.pick), metadata);
        samples.push(performance.now() - started);
        chars += answer.textChars;
        items += answer.items.length;
      }
      const p = percentiles(samples);
      const line = `| ${dialect} | ${scenario.name} | ${calls} | ${ms(p.p50)} | ${ms(p.p95)} | ${ms(p.p99)} | ${ms(p.max)} | ${Math.round(items / calls)} | ${Math.round(chars / calls)} |`;
      console.error(line);
      lines.push(line);
    }
    // Throughput: many callers at once, each call as above.
    const callers = Number(args.callers);
    const loads: string[] = [];
    for (const scenario of scenarios.filter((s) => s.load)) {
      metadata.set("authorization", `Bearer ${await platform.login()}`);
      const load = await runLoad(() => call(client, "recall", request(scenario.query()), metadata), callers, Number(args.seconds));
      const line = `| ${dialect} | ${scenario.name} | ${callers} | ${Math.round(load.perSecond)} | ${ms(load.p50)} | ${ms(load.p95)} | ${ms(load.p99)} | ${load.errors} |`;
      console.error(line);
      loads.push(line);
    }
    client.close();
    console.log(
      `| db | scenario | calls | p50 ms | p95 ms | p99 ms | max ms | items | text chars |\n|---|---|---|---|---|---|---|---|---|\n${lines.join("\n")}`,
    );
    console.log(
      `\n| db | scenario | callers | recalls/s | p50 ms | p95 ms | p99 ms | errors |\n|---|---|---|---|---|---|---|---|\n${loads.join("\n")}`,
    );
  } finally {
    await platform.stop();
    if (config.databaseUrl && !args.reuse) await resetMariaDb(config.databaseUrl, false);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
