// Benchmark (not a test) of the work-tracking reports through the gateway over REST, as clients
// call them, on the platform as `npm start` runs it (gateway and work service as processes):
//  - GET /api/v1/sessions/{id}:timeline of a session with 200 work items and 2,000 details
//    (target: p95 under 50 ms), with the text hooks write in them, and again with required fields
//    only, to show what the size of the records costs;
//  - GET /api/v1/clients/{id}:billingSummary over a year holding 100,000 billable entries of that
//    client, among 190,000 in all (target: p95 under 200 ms).
// Data is seeded with bulk INSERTs; load comes from h2load (HTTP/1.1 keep-alive), or from Node's
// fetch when h2load is absent.
//   npm run bench:work-tracking -- [--db mariadb|sqlite|both] [--entries 100000] [--seconds 10]
//   MariaDB: MSP_BENCH_MARIADB_URL (default mariadb://root@127.0.0.1:3306/msp_bench_tracking, recreated and dropped).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { DatabaseConfig } from "@msp/db";
import { createDatabase, migrateUp } from "@msp/db";
import { migrations } from "@msp/migrations";
import { startPlatform } from "@msp/testing";
import { h2loadGet, hasH2load } from "./h2load";
import type { LoadResult } from "./load";
import { runLoad } from "./load";
import { resetMariaDb } from "./bench-database";
import { seedWorkTracking } from "./work-tracking-seed";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "mariadb" },
    entries: { type: "string", default: "100000" },
    clients: { type: "string", default: "10" },
    items: { type: "string", default: "200" },
    details: { type: "string", default: "2000" },
    seconds: { type: "string", default: "10" },
  },
});

const targets = { timeline: 50, summary: 200 };

interface Line {
  dialect: string;
  call: string;
  callers: number;
  result: LoadResult;
  target: number | undefined;
}

async function bench(dialect: "sqlite" | "mariadb"): Promise<Line[]> {
  const seconds = Number(args.seconds);
  const dataDir = mkdtempSync(join(tmpdir(), "msp-bench-tracking-"));
  const config: DatabaseConfig = { dataDir };
  if (dialect === "mariadb") {
    config.databaseUrl = process.env["MSP_BENCH_MARIADB_URL"] ?? "mariadb://root@127.0.0.1:3306/msp_bench_tracking";
    await resetMariaDb(config.databaseUrl);
  }
  const db = createDatabase(config);
  await migrateUp(db, migrations);
  const seedStart = performance.now();
  const seed = await seedWorkTracking(db, {
    clients: Number(args.clients),
    entries: Number(args.entries),
    workItems: Number(args.items),
    details: Number(args.details),
  });
  console.error(
    `${dialect}: seeded ${seed.totalEntries} billable entries (${seed.clientEntries} of the measured client) and a session of ` +
      `${seed.workItems} work items with ${seed.details} details in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );
  if (dialect === "mariadb") await db.sequelize.query("ANALYZE TABLE billable_time, sessions, work_items");
  await db.close();

  const platform = await startPlatform({ database: config, poolMax: 20 });
  const lines: Line[] = [];
  try {
    const token = await platform.login();
    const headers = { authorization: `Bearer ${token}` };
    const timelineUrl = `${platform.baseUrl}/api/v1/sessions/${seed.timelineSessionId}:timeline`;
    const leanUrl = `${platform.baseUrl}/api/v1/sessions/${seed.leanSessionId}:timeline`;
    const summaryUrl = `${platform.baseUrl}/api/v1/clients/${seed.clientId}:billingSummary?start=2026-01-01T00:00:00Z&end=2027-01-01T00:00:00Z`;

    // One call of each first: it must succeed, and says what is being measured.
    for (const [name, url] of [
      ["timeline", timelineUrl],
      ["timeline, lean records", leanUrl],
      ["summary", summaryUrl],
    ] as const) {
      const response = await fetch(url, { headers });
      const body = await response.text();
      if (!response.ok) throw new Error(`${name}: ${response.status} ${body.slice(0, 300)}`);
      const json = JSON.parse(body) as { workItems?: unknown[]; totals?: { entryCount?: number } };
      const what = name === "summary" ? `${json.totals?.entryCount} entries` : `${json.workItems?.length} work items`;
      console.error(`${dialect}: ${name} answers ${(body.length / 1024).toFixed(0)} KiB with ${what}`);
    }

    const h2load = await hasH2load();
    const measure = (url: string, callers: number): Promise<LoadResult> =>
      h2load
        ? h2loadGet(url, callers, seconds, [`authorization: Bearer ${token}`])
        : runLoad(
            async () => {
              const response = await fetch(url, { headers });
              await response.arrayBuffer();
              if (!response.ok) throw new Error(String(response.status));
            },
            callers,
            seconds,
          );
    for (const callers of [1, 8]) {
      const line = (call: string, result: LoadResult, target: number) => {
        const entry = { dialect, call, callers, result, target: callers === 1 ? target : undefined };
        console.error(format(entry));
        lines.push(entry);
      };
      line(
        `GET sessions/{id}:timeline (${seed.workItems} items, ${seed.details} details)`,
        await measure(timelineUrl, callers),
        targets.timeline,
      );
      line(`GET sessions/{id}:timeline, same counts, required fields only`, await measure(leanUrl, callers), targets.timeline);
      line(`GET clients/{id}:billingSummary (${seed.clientEntries} entries)`, await measure(summaryUrl, callers), targets.summary);
    }
    console.error(`load from ${h2load ? "h2load (HTTP/1.1 keep-alive)" : "Node fetch"}`);
  } finally {
    await platform.stop();
    if (dialect === "mariadb") await resetMariaDb(config.databaseUrl!, false);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return lines;
}

const ms = (n: number) => n.toFixed(1);

function format(line: Line): string {
  const r = line.result;
  const verdict =
    line.target === undefined ? "" : r.p95 < line.target && r.errors === 0 ? `met (< ${line.target})` : `NOT met (< ${line.target})`;
  return `| ${line.dialect} | ${line.call} | ${line.callers} | ${Math.round(r.perSecond)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.errors} | ${verdict} |`;
}

async function main(): Promise<void> {
  const dialects: ("sqlite" | "mariadb")[] = args.db === "both" ? ["mariadb", "sqlite"] : [args.db as "sqlite" | "mariadb"];
  const lines: Line[] = [];
  for (const dialect of dialects) lines.push(...(await bench(dialect)));
  console.log(`\n${args.seconds} s per scenario after a 2 s warm-up; target p95 in ms at 1 caller\n`);
  console.log("| database | call | callers | calls/s | p50 ms | p95 ms | p99 ms | errors | p95 target |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const line of lines) console.log(format(line));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
